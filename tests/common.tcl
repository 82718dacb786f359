# common.tcl --
#
#	Helpers shared by the tls test files: certificate paths, bounded waits,
#	in-interpreter TLS servers, external peers (child tclsh, openssl,
#	python3, curl) and their cleanup.  Sourced by every *.test file.
#
#	Every wait here is bounded: a broken library must make tests fail,
#	never hang the suite.
#
#	Environment:
#	    TLS_TEST_CERTS     directory for the generated certificates
#	                       (default <repo>/build/test-certs)
#	    TLS_TEST_REQUIRE   version requirement passed to "package require
#	                       tls" (for example 1.7 to run against the C
#	                       reference); default: any
#	    TLS_TEST_WATCHDOG  seconds one test file may run (default 150)

if {"::tcltest" ni [namespace children]} {
    package require tcltest 2
}
namespace import -force ::tcltest::*

namespace eval ::tlstest {
    variable testDir [file dirname [file normalize [info script]]]
    variable repoDir [file dirname $testDir]
    variable peerCount 0
    variable tracked {}
    variable tempFiles {}
    variable require {}
    if {[info exists ::env(TLS_TEST_REQUIRE)]} {
	set require $::env(TLS_TEST_REQUIRE)
    }
}

# sourceVersion --
#
#	Returns the package version as the source states it, in its one
#	place (internal/version/version.go), for tests that compare what was
#	built and installed with it.

proc sourceVersion {} {
    set f [open [file join $::tlstest::repoDir internal version version.go]]
    set text [read $f]
    close $f
    if {![regexp -line {^const Tcl = "([^"]+)"$} $text -> v]} {
	error "no version in internal/version/version.go"
    }
    return $v
}

# certdir --
#
#	Returns the directory holding the test certificates, generating them
#	first with certs.sh if needed.

proc certdir {} {
    if {[info exists ::env(TLS_TEST_CERTS)] && $::env(TLS_TEST_CERTS) ne ""} {
	set dir [file normalize $::env(TLS_TEST_CERTS)]
    } else {
	set dir [file join $::tlstest::repoDir build test-certs]
    }
    if {![file exists [file join $dir done]]} {
	exec sh [file join $::tlstest::testDir certs.sh] $dir
    }
    return $dir
}

# cert --
#
#	Returns the path of the generated certificate or key file NAME.

proc cert {name} {
    return [file join [certdir] $name]
}

# The AddressSanitizer run (tests/run.sh) loads a build of the library
# that needs the ASan runtime first in the process, given in LD_PRELOAD:
# every tclsh that loads the package gets it (tclsh_cmd), the other
# programs the tests start do not (curl hangs with it).
namespace eval ::tlstest {
    variable preload {}
    if {[info exists ::env(LD_PRELOAD)]
	    && [string match *libasan* $::env(LD_PRELOAD)]} {
	set preload $::env(LD_PRELOAD)
	unset ::env(LD_PRELOAD)
    }
}

# tclsh_cmd --
#
#	Returns the command list that starts a tclsh like this one, for a
#	child that loads the package.

proc tclsh_cmd {} {
    if {$::tlstest::preload ne ""} {
	return [list env LD_PRELOAD=$::tlstest::preload \
		[info nameofexecutable]]
    }
    return [list [info nameofexecutable]]
}

# Generate the certificates now, once, before any test needs them.
certdir

# Load the package under test.
package require tls {*}$::tlstest::require

# A watchdog thread that ends this process if the file takes far too long
# (for example when a blocking call in this interpreter never returns).
if {![catch {package require Thread}]} {
    apply {{} {
	set secs 150
	if {[info exists ::env(TLS_TEST_WATCHDOG)]} {
	    set secs $::env(TLS_TEST_WATCHDOG)
	}
	thread::create [format {
	    after %d
	    puts stderr "watchdog: test file still running after %d s, exiting"
	    exit 3
	} [expr {$secs * 1000}] $secs]
    }}
}

testConstraint curl [expr {[auto_execok curl] ne ""}]
testConstraint openssl [expr {[auto_execok openssl] ne ""}]
testConstraint timeout [expr {[auto_execok timeout] ne ""}]
testConstraint python3ssl [expr {
    [auto_execok python3] ne "" && ![catch {exec python3 -c {import ssl}}]
}]
# The package came from libtls.so or libtcl9tls.so (a C Tcl host), not
# registered by the interpreter itself as in tlstclsh, the modernc.org/tcl
# shell.
testConstraint sharedlib [expr {
    [string match {*lib*tls.so*} [package ifneeded tls [package present tls]]]
}]
# Tcl 9 (strict encoding profiles, byte arrays that refuse characters
# above U+00FF).
testConstraint tcl9 [package vsatisfies [package provide Tcl] 9.0-]
testConstraint http [expr {![catch {package require http 2}]}]

# stage_dir --
#
#	A path NAME-PID under build/stage, cleared, for unpacking or
#	a DESTDIR (not elsewhere in the tree: the make rules take every Tcl
#	file there for a source of the library).  Returns its path.

proc stage_dir {name} {
    set dir [file join $::tlstest::repoDir build stage $name-[pid]]
    file delete -force $dir
    file mkdir [file dirname $dir]
    return $dir
}

# ----------------------------------------------------------------------
# Bounded waits
# ----------------------------------------------------------------------

# wait_for --
#
#	Enters the event loop until the global variable VARNAME is written,
#	for at most MS milliseconds.  Returns the new value; raises "timeout
#	waiting for VARNAME" if the time runs out.

proc wait_for {varName {ms 10000}} {
    if {![string match ::* $varName]} {
	set varName ::$varName
    }
    set sentinel "\u0000tlstest-timeout\u0000"
    set id [after $ms [list set $varName $sentinel]]
    vwait $varName
    after cancel $id
    if {[set $varName] eq $sentinel} {
	unset $varName
	return -code error "timeout waiting for [string trimleft $varName :]"
    }
    return [set $varName]
}

# wait_until --
#
#	Runs the event loop until the expression COND (evaluated in the
#	caller) is true, for at most MS milliseconds.  WHAT names the awaited
#	condition in the timeout error (default: the expression).

proc wait_until {cond {ms 10000} {what ""}} {
    set deadline [expr {[clock milliseconds] + $ms}]
    while {![uplevel 1 [list expr $cond]]} {
	if {[clock milliseconds] > $deadline} {
	    if {$what eq ""} {
		set what $cond
	    }
	    return -code error "timeout waiting for $what"
	}
	set id [after 10 [list set ::tlstest::tick 1]]
	vwait ::tlstest::tick
	after cancel $id
    }
    return
}

# pause --
#
#	Runs the event loop for MS milliseconds.  Not a way to wait for
#	something: use wait_for or wait_until, which wait for the event
#	itself.  Only for showing that something does not happen in a time
#	where load cannot turn a pass into a failure.

proc pause {ms} {
    set id [after $ms [list set ::tlstest::pause 1]]
    vwait ::tlstest::pause
    after cancel $id
}

# ----------------------------------------------------------------------
# Background errors
#
# Every background error of the interpreter is collected in
# ::tlstest::bgerrors (the messages) instead of being printed.  Tcl
# delivers a background error from an idle handler, after the code that
# raised it has returned: a test asserts on them through bgerrors, which
# delivers what is pending first and can wait for a number of them.
# close_tracked, in every cleanup, delivers what is still pending and
# starts the next test with an empty list; errors no test asked for are
# kept in ::tlstest::unclaimed, and finish reports them as a failure.
# ----------------------------------------------------------------------

namespace eval ::tlstest {
    variable bgerrors {}
    variable bgclaimed 0
    variable unclaimed {}
}

proc ::tlstest::bgerror {msg opts} {
    variable bgerrors
    lappend bgerrors $msg
    set ::tlstest::bgevent [llength $bgerrors]
}
interp bgerror {} ::tlstest::bgerror

# bgerrors --
#
#	Returns the messages of the background errors raised since the last
#	cleanup, oldest first, after delivering those already raised.  With
#	COUNT, first waits at most MS milliseconds until there are at least
#	COUNT; raises an error naming what arrived if the time runs out.

proc bgerrors {{count 0} {ms 10000}} {
    update idletasks
    set deadline [expr {[clock milliseconds] + $ms}]
    while {[llength $::tlstest::bgerrors] < $count} {
	if {[clock milliseconds] > $deadline} {
	    return -code error "timeout waiting for $count background\
		    errors; got: $::tlstest::bgerrors"
	}
	set id [after 10 [list set ::tlstest::bgevent tick]]
	vwait ::tlstest::bgevent
	after cancel $id
    }
    set ::tlstest::bgclaimed [llength $::tlstest::bgerrors]
    return $::tlstest::bgerrors
}

# current_test --
#
#	The name of the test whose script is running, or "(none)".

proc current_test {} {
    for {set l [info frame]} {$l > 0} {incr l -1} {
	set frame [info frame $l]
	if {[dict exists $frame cmd]
		&& [regexp {^\s*(?:::)?(?:tcltest::)?test\s+(\S+)\s} \
		    [dict get $frame cmd] -> name]} {
	    return $name
	}
    }
    return (none)
}

# drain --
#
#	Ends what a test left in the event loop: runs it until it is idle
#	(the events that are ready and the idle handlers, background errors
#	among them, are delivered), cancels every pending "after" script,
#	and empties the list of background errors, keeping those no test
#	asked for in ::tlstest::unclaimed.  An event loop that does not go
#	idle within 5 seconds (an event source always ready: a bug) is
#	recorded there too, instead of hanging the file.

proc drain {} {
    set id [after 5000 {set ::tlstest::drained timeout}]
    after idle {set ::tlstest::drained idle}
    vwait ::tlstest::drained
    after cancel $id
    if {$::tlstest::drained ne "idle"} {
	lappend ::tlstest::unclaimed \
		"[current_test]: the event loop did not go idle within 5 s"
    }
    foreach id [after info] {
	after cancel $id
    }
    update idletasks
    set new [lrange $::tlstest::bgerrors $::tlstest::bgclaimed end]
    foreach msg $new {
	lappend ::tlstest::unclaimed "[current_test]: $msg"
    }
    set ::tlstest::bgerrors {}
    set ::tlstest::bgclaimed 0
}

# client_handshake --
#
#	Drives the handshake of the non-blocking TLS channel CHAN with
#	tls::handshake while the event loop runs, for at most MS
#	milliseconds.  Returns the list of values tls::handshake returned;
#	handshake errors propagate.

proc client_handshake {chan {ms 10000}} {
    set deadline [expr {[clock milliseconds] + $ms}]
    set seen {}
    while 1 {
	set r [tls::handshake $chan]
	lappend seen $r
	if {$r} {
	    return $seen
	}
	if {[clock milliseconds] > $deadline} {
	    return -code error "timeout waiting for the handshake on $chan"
	}
	set id [after 5 [list set ::tlstest::tick 1]]
	vwait ::tlstest::tick
	after cancel $id
    }
}

# ----------------------------------------------------------------------
# Channels and ports
# ----------------------------------------------------------------------

# track --
#
#	Remembers CHAN so that close_tracked closes it.  Returns CHAN.

proc track {chan} {
    lappend ::tlstest::tracked $chan
    return $chan
}

# close_tracked --
#
#	Closes every tracked channel and every channel accepted by the test
#	servers, ignoring errors, then drains the event loop (see drain).
#	Every test that uses the event loop calls it in its cleanup.

proc close_tracked {} {
    global srv
    set chans $::tlstest::tracked
    if {[info exists srv(chans)]} {
	lappend chans {*}$srv(chans)
    }
    foreach chan $chans {
	if {$chan in [chan names]} {
	    catch {fileevent $chan readable {}}
	    catch {fileevent $chan writable {}}
	    catch {fconfigure $chan -blocking 0}
	    catch {close $chan}
	}
    }
    set ::tlstest::tracked {}
    set srv(chans) {}
    drain
}

# free_port --
#
#	Returns a TCP port on 127.0.0.1 that was free a moment ago.

proc free_port {} {
    set s [socket -server {apply {args {}}} -myaddr 127.0.0.1 0]
    set port [lindex [fconfigure $s -sockname] 2]
    close $s
    return $port
}

# start_server_peer --
#
#	Starts CMDLIST, a server that listens on the port given in its
#	arguments as @PORT@, on a free port, waiting for READYRE as
#	start_peer does.  A port found free can be taken by another process
#	before the server binds it: then it tries again with another port.
#	Returns {peer port}.

proc start_server_peer {cmdlist readyRe} {
    for {set try 1} 1 {incr try} {
	set port [free_port]
	set cmd [lmap word $cmdlist {string map [list @PORT@ $port] $word}]
	if {![catch {start_peer $cmd $readyRe} id opts]} {
	    return [list $id $port]
	}
	if {$try >= 10 || ![regexp {Address already in use} $id]} {
	    return -options $opts $id
	}
    }
}

# listen_port --
#
#	Returns the port a listening socket is bound to.

proc listen_port {chan} {
    return [lindex [fconfigure $chan -sockname] 2]
}

# ----------------------------------------------------------------------
# TLS servers inside this interpreter
#
# State lives in the global array srv:
#   srv(chans)   accepted channels
#   srv(errors)  error messages seen by the server
#   srv(status)  tls::status of the last channel that finished its handshake
#   srv(lines)   lines received
#   srv(event)   written on every notable server event (for wait_for)
#   srv(peer)    {addr port} from the accept callback
# ----------------------------------------------------------------------

# reset_srv --
#
#	Clears the server state.

proc reset_srv {} {
    global srv
    array unset srv
    array set srv {chans {} errors {} lines {} closed 0}
}
reset_srv

# tls_server --
#
#	Starts a TLS server on 127.0.0.1 (ephemeral port) whose accepted
#	channels behave according to MODE (see srv_ready_* below), with
#	server.pem/server.key unless ARGS override them.  Returns the port.
#	The listening socket is tracked.

proc tls_server {mode args} {
    set l [tls::socket -server [list srv_accept $mode] -myaddr 127.0.0.1 \
	    -certfile [cert server.pem] -keyfile [cert server.key] \
	    {*}$args 0]
    track $l
    return [listen_port $l]
}

# srv_accept --
#
#	Accept callback: makes the channel non-blocking and drives its
#	handshake explicitly from readable events.

proc srv_accept {mode chan addr port} {
    global srv
    lappend srv(chans) $chan
    set srv(peer) [list $addr $port]
    fconfigure $chan -blocking 0 -buffering line -translation {auto lf}
    fileevent $chan readable [list srv_handshake $mode $chan]
}

# srv_handshake --
#
#	Advances the server side handshake; once done records tls::status and
#	hands the channel to srv_ready_MODE.

proc srv_handshake {mode chan} {
    global srv
    if {[catch {tls::handshake $chan} done]} {
	lappend srv(errors) $done
	srv_close $chan
	set srv(event) error
	return
    }
    if {!$done} {
	return
    }
    set srv(status) [tls::status $chan]
    fileevent $chan readable [list srv_echo $chan]
    srv_ready_$mode $chan
    set srv(event) handshake
}

# srv_close --
#
#	Closes a server side channel, recording errors.

proc srv_close {chan} {
    global srv
    catch {fileevent $chan readable {}}
    if {[catch {close $chan} msg]} {
	lappend srv(errors) $msg
    }
    incr srv(closed)
}

# srv_gets --
#
#	Reads a line of a server connection into the caller's variable
#	LINEVAR.  Returns 1 when a line was read; 0 when none is complete
#	yet, or at end of file or on an error, which close the connection
#	and are recorded in srv.

proc srv_gets {chan lineVar} {
    global srv
    upvar 1 $lineVar line
    if {[catch {gets $chan line} n]} {
	lappend srv(errors) $n
	srv_close $chan
	set srv(event) error
	return 0
    }
    if {$n < 0} {
	if {[eof $chan]} {
	    srv_close $chan
	    set srv(event) eof
	}
	return 0
    }
    return 1
}

# srv_echo --
#
#	Readable handler of an echo connection: echoes each line; "quit"
#	closes the connection.

proc srv_echo {chan} {
    global srv
    if {![srv_gets $chan line]} {
	return
    }
    lappend srv(lines) $line
    if {$line eq "quit"} {
	srv_close $chan
	set srv(event) quit
	return
    }
    if {[catch {puts $chan $line} msg]} {
	lappend srv(errors) $msg
    }
    set srv(event) line
}

# Modes: what a server connection does once its handshake is done.

proc srv_ready_echo {chan} {}

proc srv_ready_greet {chan} {
    puts $chan "hello client"
}

proc srv_ready_burst {chan} {
    for {set i 1} {$i <= 200} {incr i} {
	puts $chan "line $i"
    }
}

# bye: one line, then close (with close_notify).
proc srv_ready_bye {chan} {
    puts $chan bye
    flush $chan
    srv_close $chan
}

# byeraw: one line, then remove the TLS layer and close the TCP socket, so
# that the peer sees a FIN without close_notify.
proc srv_ready_byeraw {chan} {
    global srv
    puts $chan bye
    flush $chan
    if {[catch {tls::unimport $chan} msg]} {
	lappend srv(errors) $msg
    }
    srv_close $chan
}

# ----------------------------------------------------------------------
# HTTPS: a responder in this interpreter and Tcl's http package
# ----------------------------------------------------------------------

set ::httpBody "hello over https\n"

# http_accept, http_read --
#
#	A minimal HTTP/1.x responder for tls::socket -server: reads the
#	request head (the handshake starts by itself on the first read) and
#	answers 200 with httpBody, then closes.

proc http_accept {chan addr port} {
    global srv
    lappend srv(chans) $chan
    set srv(request,$chan) {}
    fconfigure $chan -blocking 0 -buffering full -translation {auto crlf}
    fileevent $chan readable [list http_read $chan]
}

proc http_read {chan} {
    global srv httpBody
    if {![srv_gets $chan line]} {
	return
    }
    if {$line ne ""} {
	lappend srv(request,$chan) $line
	return
    }
    set srv(status) [tls::status $chan]
    lappend srv(requests) [lindex $srv(request,$chan) 0]
    fileevent $chan readable {}
    if {[catch {
	puts $chan "HTTP/1.1 200 OK"
	puts $chan "Content-Type: text/plain"
	puts $chan "Content-Length: [string length $httpBody]"
	puts $chan "Connection: close"
	puts $chan ""
	puts -nonewline $chan $httpBody
	flush $chan
    } msg]} {
	lappend srv(errors) $msg
    }
    srv_close $chan
    set srv(event) served
}

# https_server --
#
#	Starts the HTTP responder over TLS on an ephemeral port; returns the
#	port.

proc https_server {args} {
    set l [track [tls::socket -server http_accept -myaddr 127.0.0.1 \
	    -certfile [cert server.pem] -keyfile [cert server.key] {*}$args 0]]
    return [listen_port $l]
}

# fetch --
#
#	http::geturl URL without blocking this interpreter (the server runs
#	here too); returns {status ncode body error}.

proc fetch {url} {
    set ::fetched ""
    set tok [http::geturl $url -timeout 15000 \
	    -command [list apply {{tok} {set ::fetched $tok}}]]
    wait_for fetched 20000
    set r [list [http::status $tok] [http::ncode $tok] [http::data $tok] \
	    [http::error $tok]]
    http::cleanup $tok
    return $r
}

# ----------------------------------------------------------------------
# External peers
#
# A peer is a process started with open |cmd r+ whose standard output is
# collected by a fileevent handler into ::tlstest::out($id).
# ::tlstest::state($id) is "running", then "exited" with the exit status
# in ::tlstest::exit($id).
# ----------------------------------------------------------------------

# start_peer --
#
#	Starts CMDLIST (run under "timeout" so that it cannot outlive the
#	suite by much) and waits at most MS milliseconds until its standard
#	output matches READYRE (empty: do not wait).  Returns a peer handle.
#	Standard error is kept apart (see peer_stderr).

proc start_peer {cmdlist {readyRe ""} {ms 10000}} {
    variable ::tlstest::peerCount
    if {[lindex $cmdlist 0] ne "timeout"} {
	set cmdlist [list timeout 120 {*}$cmdlist]
    }
    set id peer[incr peerCount]
    # Standard error goes to a file of its own, so that diagnostics (or a
    # library's debug output) never mix with the output tests compare.
    close [file tempfile errFile /tmp/tlstest-stderr.txt]
    lappend ::tlstest::tempFiles $errFile
    set ::tlstest::errFile($id) $errFile
    set chan [open |[concat $cmdlist [list 2> $errFile]] r+]
    fconfigure $chan -blocking 0 -buffering line -translation {auto lf}
    set ::tlstest::chan($id) $chan
    set ::tlstest::pids($id) [pid $chan]
    set ::tlstest::out($id) ""
    set ::tlstest::state($id) running
    fileevent $chan readable [list peer_readable $id]
    if {$readyRe ne ""} {
	set deadline [expr {[clock milliseconds] + $ms}]
	while {![regexp -- $readyRe $::tlstest::out($id)]} {
	    if {$::tlstest::state($id) ne "running"
		    || [clock milliseconds] > $deadline} {
		set out $::tlstest::out($id)
		set err [peer_stderr $id]
		stop_peer $id
		return -code error "peer [list $cmdlist] did not get ready\
			(waiting for /$readyRe/); output: $out; stderr: $err"
	    }
	    set t [after 10 [list set ::tlstest::tick 1]]
	    vwait ::tlstest::tick
	    after cancel $t
	}
    }
    return $id
}

# peer_readable --
#
#	Collects a peer's output; at EOF reaps it and records its exit status.

proc peer_readable {id} {
    set chan $::tlstest::chan($id)
    if {[catch {read $chan} data]} {
	set data ""
    }
    append ::tlstest::out($id) $data
    if {[eof $chan]} {
	fileevent $chan readable {}
	fconfigure $chan -blocking 1
	set status 0
	if {[catch {close $chan} msg opts]} {
	    set code [dict get $opts -errorcode]
	    if {[lindex $code 0] eq "CHILDSTATUS"} {
		set status [lindex $code 2]
	    } elseif {[lindex $code 0] eq "CHILDKILLED"} {
		set status [lindex $code 2]
	    }
	}
	set ::tlstest::exit($id) $status
	set ::tlstest::state($id) exited
    }
}

# peer_output --
#
#	Returns the output collected so far from peer ID.

proc peer_output {id} {
    return $::tlstest::out($id)
}

# peer_stderr --
#
#	Returns what peer ID wrote to its standard error so far.

proc peer_stderr {id} {
    if {[catch {
	set f [open $::tlstest::errFile($id)]
	set data [read $f]
	close $f
    }]} {
	return ""
    }
    return $data
}

# peer_send --
#
#	Writes DATA (a line) to the standard input of peer ID.

proc peer_send {id data} {
    puts $::tlstest::chan($id) $data
    flush $::tlstest::chan($id)
}

# peer_wait --
#
#	Waits at most MS milliseconds for peer ID to exit and returns its
#	output.  On timeout the peer is killed and an error raised.

proc peer_wait {id {ms 10000}} {
    set deadline [expr {[clock milliseconds] + $ms}]
    while {$::tlstest::state($id) eq "running"} {
	if {[clock milliseconds] > $deadline} {
	    set out $::tlstest::out($id)
	    set err [peer_stderr $id]
	    stop_peer $id
	    return -code error "timeout waiting for peer $id to exit;\
		    output so far: $out; stderr: $err"
	}
	set t [after 10 [list set ::tlstest::tick 1]]
	vwait ::tlstest::tick
	after cancel $t
    }
    return $::tlstest::out($id)
}

# peer_exit --
#
#	Returns the exit status of a finished peer.

proc peer_exit {id} {
    return $::tlstest::exit($id)
}

# stop_peer --
#
#	Kills peer ID if it still runs and forgets it.

proc stop_peer {id} {
    if {![info exists ::tlstest::state($id)]} {
	return
    }
    if {$::tlstest::state($id) eq "running"} {
	set chan $::tlstest::chan($id)
	foreach p $::tlstest::pids($id) {
	    catch {exec kill $p}
	}
	catch {fileevent $chan readable {}}
	catch {fconfigure $chan -blocking 0}
	catch {close $chan}
	set ::tlstest::state($id) killed
    }
}

# stop_all_peers --
#
#	Kills every peer still running.

proc stop_all_peers {} {
    foreach id [array names ::tlstest::state] {
	stop_peer $id
    }
}

# ----------------------------------------------------------------------
# Child tclsh scripts
# ----------------------------------------------------------------------

# child_file --
#
#	Writes SCRIPT to a temporary file behind a preamble that loads the
#	same tls package as this interpreter and defines cert/certdir.
#	Returns the file name.

proc child_file {script} {
    set preamble [format {
	set ::tlstest_certdir %s
	proc certdir {} {return $::tlstest_certdir}
	proc cert {name} {file join $::tlstest_certdir $name}
	fconfigure stdout -buffering line
	package require tls {*}%s
    } [list [certdir]] [list $::tlstest::require]]
    set f [file tempfile path /tmp/tlstest-child.tcl]
    puts $f $preamble
    # An uncaught error is reported on standard output, which tests see.
    puts $f "if {\[catch [list $script] msg\]} {
	puts \"child error: \$::errorInfo\"
	exit 1
    }"
    close $f
    lappend ::tlstest::tempFiles $path
    return $path
}

# child_cmd --
#
#	Returns the command list that runs SCRIPT in a child tclsh with
#	arguments ARGS, killed after SECS seconds.

proc child_cmd {script {arguments {}} {secs 30}} {
    return [list timeout $secs {*}[tclsh_cmd] [child_file $script] \
	    {*}$arguments]
}

# start_child --
#
#	Starts SCRIPT in a child tclsh as a peer (see start_peer).

proc start_child {script {arguments {}} {readyRe ""} {secs 30}} {
    return [start_peer [child_cmd $script $arguments $secs] $readyRe]
}

# run_child --
#
#	Runs SCRIPT in a child tclsh to completion (at most SECS seconds) and
#	returns its output, stderr included.  Blocks this interpreter: use it
#	only when the child's peer is not served by this interpreter.

proc run_child {script {arguments {}} {secs 30}} {
    catch {
	exec {*}[child_cmd $script $arguments $secs] 2>@1
    } out
    return $out
}

# finish --
#
#	End of a test file: kill leftover peers, close channels, remove
#	temporary files, report.

proc finish {} {
    stop_all_peers
    close_tracked
    foreach f $::tlstest::tempFiles {
	catch {file delete $f}
    }
    set file [file rootname [file tail [info script]]]
    test $file-bgerrors {no test left a background error unexamined} -body {
	join $::tlstest::unclaimed \n
    } -result {}
    tcltest::cleanupTests
}
