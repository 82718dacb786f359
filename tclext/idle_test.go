package tclext_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tclgo/tls/internal/tcl/tclhost"
	"github.com/tclgo/tls/internal/testcert"
)

// An idle connection holds no channel buffer: Tcl keeps the input buffer
// a read took (64 KiB for a TLS layer) until the layer gives it back
// after a read that found nothing. Server and clients run in one
// interpreter over 127.0.0.1, and the C heap in use is compared between
// the moments: handshakes done, one idle read on every server channel,
// then a message to each server channel, read to its end. Each step
// cost 64 KiB per connection before the layer gave the buffer back.
func TestIdleConnectionHoldsNoInputBuffer(t *testing.T) {
	if tclhost.MallocInUse() == 0 {
		t.Skip("the C library does not report its heap in use")
	}
	dir := t.TempDir()
	if strings.ContainsAny(dir, "{}\\") {
		t.Skipf("temporary directory %q cannot be quoted for Tcl", dir)
	}
	cert, key := testcert.Write(t, dir)
	ip := newInterp(t)
	const n = 40
	setup := `
	set ::n ` + strconv.Itoa(n) + `
	set ::srv {}
	set ::cli {}
	array set ::st {shaken 0 got 0}
	proc srvAccept {s args} {
	    fconfigure $s -blocking 0 -translation binary
	    lappend ::srv $s
	    fileevent $s readable [list shake $s]
	}
	proc shake {c} {
	    if {[catch {tls::handshake $c} done]} {
		set ::failed "$c: $done"
		return
	    }
	    if {$done} {
		fileevent $c readable {}
		fileevent $c writable {}
		if {[incr ::st(shaken)] == 2 * $::n} {
		    set ::step shaken
		}
	    }
	}
	proc srvRead {s} {
	    append ::data($s) [read $s]
	    if {[string length $::data($s)] == 8} {
		fileevent $s readable {}
		if {[incr ::st(got)] == $::n} {
		    set ::step read
		}
	    }
	}
	proc wait {step} {
	    set id [after 30000 {set ::step timeout}]
	    while {![info exists ::failed] && $::step ne $step
		    && $::step ne "timeout"} {
		vwait ::step
	    }
	    after cancel $id
	    if {[info exists ::failed]} {
		error $::failed
	    }
	    if {$::step ne $step} {
		error "timed out waiting for $step: $::st(shaken) handshakes,\
			$::st(got) messages"
	    }
	}
	set ::step start
	set ::l [tls::socket -server srvAccept -myaddr 127.0.0.1 \
		-certfile {` + cert + `} -keyfile {` + key + `} 0]
	set port [lindex [fconfigure $::l -sockname] 2]
	for {set i 0} {$i < $::n} {incr i} {
	    set c [tls::socket -async -cafile {` + cert + `} 127.0.0.1 $port]
	    fconfigure $c -blocking 0 -translation binary -buffersize 4096
	    lappend ::cli $c
	    fileevent $c writable [list shake $c]
	    fileevent $c readable [list shake $c]
	}
	wait shaken
	`
	if _, err := ip.Eval(setup); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ip.Eval(`foreach c [concat $::cli $::srv] { catch {close $c} }; close $::l`)
	})
	shaken := tclhost.MallocInUse()

	// A read that finds nothing on each server channel.
	if r, err := ip.Eval(`
	set out {}
	foreach s $::srv { append out [read $s] }
	update
	set out`); err != nil || r != "" {
		t.Fatalf("idle reads: %q, %v", r, err)
	}
	idle := tclhost.MallocInUse()

	// Traffic: a message to each server channel, read to its end. The
	// buffer is taken again and given back once the message is read;
	// what the clients keep of their writes is not counted.
	if _, err := ip.Eval(`
	foreach c $::cli { puts -nonewline $c [format %08d [incr k]]; flush $c }
	`); err != nil {
		t.Fatal(err)
	}
	written := tclhost.MallocInUse()
	if _, err := ip.Eval(`
	foreach s $::srv { fileevent $s readable [list srvRead $s] }
	wait read
	update
	set got {}
	foreach s $::srv { lappend got $::data($s) }
	if {[lsort $got] ne [lsort [lmap c $::cli {format %08d [incr m]}]]} {
	    error "messages: $got"
	}`); err != nil {
		t.Fatal(err)
	}
	read := tclhost.MallocInUse()

	perConn := func(from, to uint64) float64 { return (float64(to) - float64(from)) / n }
	t.Logf("C heap per connection: idle read %+.0f B, message read %+.0f B",
		perConn(shaken, idle), perConn(written, read))
	// Well below the 64 KiB buffer (65.6 KiB per connection with Tcl's
	// header), above Tcl's own small allocations.
	if d := perConn(shaken, idle); d > 2048 {
		t.Errorf("an idle read keeps %.0f bytes per connection, want at most 2048", d)
	}
	if d := perConn(written, read); d > 2048 {
		t.Errorf("a message read to its end keeps %.0f bytes per connection, want at most 2048", d)
	}
}
