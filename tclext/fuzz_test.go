package tclext_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/tcl/tclhost"
	"github.com/tclgo/tls/internal/testcert"
)

// memPipeScript defines ::mempipe::pair: two connected in-memory channels
// (reflected channels) whose reads return chunks of random size and whose
// reads and writes fail at random with EAGAIN, with a given probability.
// ::mempipe::tick posts the events each end is waiting for, as a socket's
// notifier would.
const memPipeScript = `
namespace eval ::mempipe {
    variable buf
    variable watch
    variable chan
    variable eagain 0.0
    proc pair {p} {
	variable buf
	variable watch
	variable chan
	variable eagain $p
	array set buf {a {} b {}}
	array unset ::mempipe::blocking
	array set watch {a {} b {}}
	set a [chan create {read write} [list ::mempipe::handler a b]]
	set b [chan create {read write} [list ::mempipe::handler b a]]
	array set chan [list a $a b $b]
	foreach c [list $a $b] {
	    fconfigure $c -blocking 0 -translation binary
	}
	return [list $a $b]
    }
    proc tick {} {
	variable buf
	variable watch
	variable chan
	foreach me {a b} {
	    if {![info exists chan($me)]} {
		continue
	    }
	    set events {}
	    if {"read" in $watch($me) && $buf($me) ne ""} {
		lappend events read
	    }
	    if {"write" in $watch($me)} {
		lappend events write
	    }
	    if {[llength $events]} {
		chan postevent $chan($me) $events
	    }
	}
    }
    proc handler {me peer cmd chan args} {
	variable buf
	variable eagain
	variable watch
	switch -- $cmd {
	    initialize {
		return {initialize finalize watch read write blocking}
	    }
	    finalize {
		unset -nocomplain ::mempipe::chan($me)
		return
	    }
	    watch {
		set watch($me) [lindex $args 0]
		return
	    }
	    blocking {
		set ::mempipe::blocking($me) [lindex $args 0]
		return
	    }
	    read {
		set n [lindex $args 0]
		if {rand() < $eagain || $buf($me) eq ""} {
		    return -code error EAGAIN
		}
		set k [expr {1 + int(rand() * min($n, [string length $buf($me)]))}]
		set data [string range $buf($me) 0 $k-1]
		set buf($me) [string range $buf($me) $k end]
		return $data
	    }
	    write {
		set data [lindex $args 0]
		if {[info exists ::mempipe::blocking($me)] && $::mempipe::blocking($me)} {
		    append buf($peer) $data
		    return [string length $data]
		}
		if {rand() < $eagain} {
		    return -code error EAGAIN
		}
		set k [expr {1 + int(rand() * [string length $data])}]
		append buf($peer) [string range $data 0 $k-1]
		return $k
	    }
	}
    }
}
`

// pumpScript runs a TLS client and server over a mempipe pair, sends a
// payload each way and returns "ok" when both arrive intact.
const pumpScript = `
proc pump {seed size eagain cert key} {
    expr {srand($seed)}
    lassign [::mempipe::pair $eagain] a b
    tls::import $a -cafile $cert -require 1 -servername localhost
    tls::import $b -server 1 -certfile $cert -keyfile $key -request 0
    fconfigure $a -blocking 0 -translation binary -buffering full
    fconfigure $b -blocking 0 -translation binary -buffering full
    set up [string repeat x $size]
    set down ""
    for {set i 0} {$i < $size} {incr i} {
	append down [format %c [expr {int(rand() * 256)}]]
    }
    set up [string map {x y} $up]
    puts -nonewline $a $up
    puts -nonewline $b $down
    set gotUp ""
    set gotDown ""
    for {set i 0} {$i < 100000} {incr i} {
	::mempipe::tick
	update
	catch {flush $a}
	catch {flush $b}
	append gotUp [read $b]
	append gotDown [read $a]
	if {[string length $gotUp] >= $size && [string length $gotDown] >= $size} {
	    break
	}
    }
    # Closing sends close_notify through the same lossy channels.
    close $a
    close $b
    if {$gotUp ne $up} {
	return "client to server: sent [string length $up], got [string length $gotUp]"
    }
    if {$gotDown ne $down} {
	return "server to client: sent [string length $down], got [string length $gotDown]"
    }
    return ok
}
`

// FuzzPump moves data both ways through a TLS client and server whose
// lower channels deliver ciphertext in random pieces and answer "would
// block" at random: every byte must arrive, in order.
func FuzzPump(f *testing.F) {
	f.Add(int64(1), uint16(10), uint8(0))
	f.Add(int64(2), uint16(65000), uint8(64))
	f.Add(int64(3), uint16(1), uint8(200))
	f.Add(int64(4), uint16(20000), uint8(128))
	ip := newInterp(f)
	cert, key := testcert.Write(f, f.TempDir())
	if _, err := ip.Eval(memPipeScript + pumpScript); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, seed int64, size uint16, eagain uint8) {
		p := float64(eagain) / 256 * 0.8 // leave room for progress
		setVars(t, ip, map[string]tcl.Obj{
			"seed": tcl.NewInt(seed), "size": tcl.NewInt(int64(size) + 1),
			"eagain": tcl.NewString(fmt.Sprint(p)),
			"cert":   tcl.NewString(cert), "key": tcl.NewString(key),
		})
		res, err := ip.Eval("pump $seed $size $eagain $cert $key")
		if err != nil || res != "ok" {
			t.Fatalf("seed %d size %d eagain %.2f: %s %v", seed, size, p, res, err)
		}
	})
}

// FuzzImportOptions gives tls::import arbitrary option words. Whatever
// they are, the result is either a TLS channel or an error that leaves the
// channel as it was; nothing crashes.
func FuzzImportOptions(f *testing.F) {
	for _, s := range []string{
		"-server 1", "-tls1 0 -tls1.1 0 -tls1.2 0 -tls1.3 0", "-alpn {h2 {}}",
		"-securitylevel 9", "-certfile /nonexistent", "-cafile", "-request maybe",
		"-cipher NOPE", "-ciphersuites TLS_AES_128_GCM_SHA256", "-servername",
		"-alpn {h2 http/1.1} -servername example.org", "-cert \x00\x01 -key \x02",
		"-model nosuchchan", "-session_id abc -server 1", "plain words",
	} {
		f.Add(s)
	}
	ip := newInterp(f)
	if _, err := ip.Eval(memPipeScript); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, opts string) {
		// Options that take scripts would run them later: leave those out.
		for _, w := range []string{"-command", "-password", "-validatecommand", "-vcmd"} {
			if strings.Contains(opts, w) {
				return
			}
		}
		setVars(t, ip, map[string]tcl.Obj{"opts": tcl.NewString(opts)})
		if _, err := ip.Eval("llength $opts"); err != nil {
			return // not a list
		}
		script := `
	    lassign [::mempipe::pair 0] a b
	    set r [catch {tls::import $a {*}$opts} msg]
	    set plain [catch {tls::status $a}]
	    if {$r == 0} {
		if {$plain} {
		    error "import succeeded but $a is not a TLS channel"
		}
		tls::unimport $a
	    } elseif {!$plain || $msg eq ""} {
		error "import failed ([list $msg]) but left $a changed"
	    }
	    fconfigure $a -translation binary
	    close $a
	    close $b
	    set msg`
		if _, err := ip.Eval(script); err != nil {
			t.Fatalf("options %q: %v", opts, err)
		}
	})
}

// setVars sets global variables of the interpreter.
func setVars(t *testing.T, ip *tclhost.Interp, vars map[string]tcl.Obj) {
	t.Helper()
	for name, v := range vars {
		if err := ip.SetVar(name, v, tcl.GlobalOnly|tcl.LeaveErrMsg); err != nil {
			t.Fatal(err)
		}
	}
}

// verifyScript drives a client whose -validatecommand answers with
// ::fuzzResult against a server over a mempipe pair, and returns how the
// client's handshake ended (ok, fail) and how Tcl reads the answer.
const verifyScript = `
proc vcmd {args} {
    return $::fuzzResult
}
proc vcheck {result cert key} {
    set ::fuzzResult $result
    lassign [::mempipe::pair 0] a b
    tls::import $a -cafile $cert -servername localhost -validatecommand ::vcmd
    tls::import $b -server 1 -certfile $cert -keyfile $key -request 0
    set ca ""
    set cb ""
    for {set i 0} {$i < 5000 && ($ca eq "" || $cb eq "")} {incr i} {
	::mempipe::tick
	update
	foreach side {a b} {
	    upvar 0 c$side done
	    if {$done eq ""} {
		if {[catch {tls::handshake [set $side]} r]} {
		    set done fail
		} elseif {$r} {
		    set done ok
		}
	    }
	}
    }
    catch {close $a}
    catch {close $b}
    if {$ca eq ""} {
	set ca none
    }
    if {[string is wideinteger -strict $result]} {
	set kind [expr {$result == 0 ? "reject" : $result == 1 ? "accept" : "other"}]
    } else {
	set kind accept
    }
    return [list $ca $kind]
}
`

// FuzzCallbackResult gives a -validatecommand arbitrary answers. Whatever
// the script returns, the handshake ends one way or the other; 0 rejects
// the peer, 1 and anything that is not an integer accept it.
func FuzzCallbackResult(f *testing.F) {
	for _, s := range []string{"0", "1", "2", "", "yes", " 0 ", "0x0", "-1",
		"99999999999999999999", "{", "1.0", "\x00"} {
		f.Add(s)
	}
	ip := newInterp(f)
	cert, key := testcert.Write(f, f.TempDir())
	if _, err := ip.Eval(memPipeScript + verifyScript); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, result string) {
		setVars(t, ip, map[string]tcl.Obj{
			"result": tcl.NewString(result),
			"cert":   tcl.NewString(cert), "key": tcl.NewString(key),
		})
		out, err := ip.Eval("vcheck $result $cert $key")
		if err != nil {
			t.Fatalf("answer %q: %v", result, err)
		}
		var ended, kind string
		if _, err := fmt.Sscan(out, &ended, &kind); err != nil {
			t.Fatalf("answer %q: unexpected %q", result, out)
		}
		switch {
		case ended == "none":
			t.Fatalf("answer %q: the handshake did not end", result)
		case kind == "reject" && ended != "fail":
			t.Fatalf("answer %q rejects, but the handshake ended %s", result, ended)
		case kind == "accept" && ended != "ok":
			t.Fatalf("answer %q accepts, but the handshake ended %s", result, ended)
		}
	})
}
