package tclext_test

import (
	"strings"
	"testing"

	"github.com/tclgo/tls/internal/testcert"
)

// BenchmarkHandshake measures one TLS 1.3 connection of the package to
// itself in one interpreter: client and server channel, handshake, close.
// Its allocation figures are the Go heap allocations of both sides (the
// time includes the event loop between them); compare runs with
// benchstat.
func BenchmarkHandshake(b *testing.B) {
	dir := b.TempDir()
	if strings.ContainsAny(dir, "{}\\") {
		b.Skipf("temporary directory %q cannot be quoted for Tcl", dir)
	}
	cert, key := testcert.Write(b, dir)
	ip := newInterp(b)
	if _, err := ip.Eval(`
	proc accept {s args} {
	    fconfigure $s -blocking 0
	    fileevent $s readable [list serve $s]
	}
	proc serve {s} {
	    if {[catch {tls::handshake $s} done]} {
		set ::failed $done
		close $s
		set ::closed failed
		return
	    }
	    if {!$done} return
	    fileevent $s readable [list finish $s]
	}
	proc finish {s} {
	    read $s
	    if {[eof $s]} {
		close $s
		set ::closed 1
	    }
	}
	proc shake {c} {
	    if {[catch {tls::handshake $c} done]} {
		set ::failed $done
		set ::closed failed
		return
	    }
	    if {$done} {
		close $c
	    }
	}
	proc connect {} {
	    set c [tls::socket -async -cafile {` + cert + `} 127.0.0.1 $::port]
	    fconfigure $c -blocking 0
	    fileevent $c writable [list shake $c]
	    set id [after 10000 {set ::closed timeout}]
	    vwait ::closed
	    after cancel $id
	    if {$::closed ne "1"} {
		catch {close $c}
		error "connection: $::closed [expr {[info exists ::failed] ? $::failed : ""}]"
	    }
	}
	set ::l [tls::socket -server accept -myaddr 127.0.0.1 \
		-certfile {` + cert + `} -keyfile {` + key + `} 0]
	set ::port [lindex [fconfigure $::l -sockname] 2]
	connect
	`); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ip.Eval(`close $::l`) })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ip.Eval(`connect`); err != nil {
			b.Fatal(err)
		}
	}
}
