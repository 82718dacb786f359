# bench.tcl --
#
#	Side-by-side benchmark of this tls package ("go"), Debian's C tcl-tls
#	1.7 ("ref") and plain Tcl sockets ("plain"), with openssl s_server and
#	s_time as the reference for handshakes.  Everything runs on 127.0.0.1.
#	When TCL9SH names a tclsh9.0, a few bulk runs are repeated under it
#	("go9": this package's libtcl9tls.so, "plain9": its plain sockets).
#	Besides rates it measures what load does not change much: the CPU
#	time of each side's process (user + system, all threads), its context
#	switches (voluntary + involuntary) and, for this package, the calls
#	from C into Go (the test build of the library, which make bench
#	loads, counts them when TLS_COUNT_CROSSINGS is set and reports them
#	with ::tls::_crossings).
#
#	    tclsh bench.tcl main CERTDIR RESULTFILE
#	        runs every measurement (each in fresh processes, the
#	        implementations interleaved within each run), prints the
#	        tables and writes them to RESULTFILE.  BENCH_QUICK=1 in the
#	        environment makes a short run; BENCH_ONLY="bulk hss hsc mem
#	        conc" picks measurements.
#
#	The other roles are the processes the main role starts:
#	    bulk-server IMPL CERTDIR BYTES MODE BUF
#	    bulk-client IMPL CERTDIR PORT BYTES MODE BUF
#	    server IMPL CERTDIR                  hs-client IMPL CERTDIR PORT SECONDS
#	    mem-client IMPL CERTDIR PORT WARM N  echo-server IMPL CERTDIR
#	    echo-client IMPL CERTDIR PORT CLIENTS LINES TIMEOUT
#	MODE is "block" (blocking reads and writes) or "event" (non-blocking,
#	driven by fileevent); BUF is the channel's -buffersize, or "default"
#	to leave Tcl's own.
#
#	A role prints "PORT n ..." once it listens and "RESULT ..." when it
#	has a figure; the main role waits for each line with a deadline.

set role [lindex $argv 0]
set argv [lrange $argv 1 end]

# ---------------------------------------------------------------------------
# Helpers for the worker roles.

# impl_load IMPL --
#	Loads the TLS package IMPL names, if any.
proc impl_load {impl} {
    switch -- $impl {
	go - go9 { package require tls 2 }
	ref   { package require tls 1.7 }
	plain - plain9 {}
	default { error "unknown implementation \"$impl\"" }
    }
}

# connect IMPL CERTDIR PORT ?async? --
#	Opens a client connection to 127.0.0.1:PORT.
proc connect {impl certdir port {async 0}} {
    set a [expr {$async ? "-async" : ""}]
    if {[plain $impl]} {
	return [socket {*}$a 127.0.0.1 $port]
    }
    return [tls::socket {*}$a -cafile [file join $certdir ca.pem] -require 1 \
	    127.0.0.1 $port]
}

# listen IMPL CERTDIR CMD --
#	Listens on an ephemeral port; returns the port.
proc listen {impl certdir cmd} {
    if {[plain $impl]} {
	set l [socket -server $cmd -myaddr 127.0.0.1 0]
    } else {
	set l [tls::socket -server $cmd -myaddr 127.0.0.1 \
		-certfile [file join $certdir server.pem] \
		-keyfile [file join $certdir server.key] 0]
    }
    return [lindex [fconfigure $l -sockname] 2]
}

# handshake IMPL CHAN --
#	Completes the handshake of a blocking client channel.
proc handshake {impl chan} {
    if {![plain $impl]} {
	tls::handshake $chan
    }
}

# plain IMPL --
#	Whether IMPL is plain sockets, under either Tcl.
proc plain {impl} {
    return [expr {$impl in {plain plain9}}]
}

# rss --
#	The resident set size of this process in KiB.
proc rss {} {
    set f [open /proc/self/status]
    set data [read $f]
    close $f
    regexp {VmRSS:\s+(\d+)} $data -> kb
    return $kb
}

proc say {args} {
    puts [join $args]
    flush stdout
}

# watchdog SECONDS --
#	Ends the process if it is still running after SECONDS.
proc watchdog {seconds} {
    after [expr {$seconds * 1000}] {
	puts stderr "[lindex $::argv0 0] $::role: watchdog expired"
	exit 3
    }
}

# usage ?PID? --
#	The CPU time (ns, user + system, summed over the threads) and the
#	context switches (voluntary + involuntary, summed over the threads)
#	of process PID, by default this one.
proc usage {{pid self}} {
    set cpu 0
    set csw 0
    foreach task [glob -nocomplain -directory /proc/$pid/task *] {
	if {[catch {
	    set f [open $task/schedstat]
	    set ns [lindex [read $f] 0]
	    close $f
	    set f [open $task/status]
	    set status [read $f]
	    close $f
	}]} continue
	incr cpu $ns
	foreach key {voluntary_ctxt_switches nonvoluntary_ctxt_switches} {
	    if {[regexp "\n$key:\\s+(\\d+)" $status -> n]} {
		incr csw $n
	    }
	}
    }
    return [list $cpu $csw]
}

# crossings --
#	Calls from C into Go so far in this process, "-" when not counted.
proc crossings {} {
    if {[info commands ::tls::_crossings] eq ""} {
	return -
    }
    return [::tls::_crossings]
}

# delta BEFORE AFTER --
#	The differences of two {cpu csw crossings} lists.
proc delta {before after} {
    set d {}
    foreach a $before b $after {
	if {$a eq "-" || $b eq "-"} {
	    lappend d -
	} else {
	    lappend d [expr {$b - $a}]
	}
    }
    return $d
}

proc counters {} {
    return [list {*}[usage] [crossings]]
}

# bufopt BUF --
#	The fconfigure options that give a channel the buffer BUF.
proc bufopt {buf} {
    if {$buf eq "default"} {
	return {}
    }
    return [list -buffersize $buf]
}

# ---------------------------------------------------------------------------
# Bulk transfer: one connection, BYTES from client to server in 64 KiB
# writes and reads; the server acknowledges the last byte with a line.
# Each side measures itself from the end of the handshake to the last
# byte (server) or the acknowledgement (client) and reports
# "RESULT CPU_NS SWITCHES CROSSINGS MICROSECONDS PROTOCOL".

proc role_bulk-server {impl certdir bytes mode buf} {
    impl_load $impl
    watchdog 300
    set port [listen $impl $certdir {apply {{s args} {set ::conn $s}}}]
    say PORT $port
    vwait ::conn
    set s $::conn
    fconfigure $s -translation binary -blocking 1 {*}[bufopt $buf]
    handshake $impl $s
    set c0 [counters]
    set t0 [clock microseconds]
    set ::total 0
    if {$mode eq "block"} {
	while {$::total < $bytes} {
	    # Only the length: a comparison with "" would make a string of
	    # the bytes each time.
	    set n [string length [read $s 65536]]
	    if {$n == 0 && [eof $s]} break
	    incr ::total $n
	}
    } else {
	fconfigure $s -blocking 0
	fileevent $s readable [list bs_read $s $bytes]
	vwait ::done
	fileevent $s readable {}
	fconfigure $s -blocking 1
    }
    set dt [expr {[clock microseconds] - $t0}]
    set d [delta $c0 [counters]]
    puts $s "ok $::total"
    flush $s
    say RESULT {*}$d $dt -
    # The C reference reports the client's close without close_notify
    # as an error.
    catch {read $s}
    catch {close $s}
}

proc bs_read {s bytes} {
    incr ::total [string length [read $s]]
    if {$::total >= $bytes || [eof $s]} {
	set ::done 1
    }
}

proc role_bulk-client {impl certdir port bytes mode buf} {
    impl_load $impl
    watchdog 300
    set s [connect $impl $certdir $port]
    fconfigure $s -translation binary -buffering full {*}[bufopt $buf]
    handshake $impl $s
    set proto plain
    if {![plain $impl]} {
	set st [tls::status $s]
	foreach key {protocol version} {
	    if {[dict exists $st $key]} {
		set proto [dict get $st $key]
		break
	    }
	}
    }
    set ::chunk [string repeat x 65536]
    set c0 [counters]
    set t0 [clock microseconds]
    if {$mode eq "block"} {
	for {set n 0} {$n < $bytes} {incr n 65536} {
	    puts -nonewline $s $::chunk
	}
	flush $s
	set ack [gets $s]
    } else {
	set ::sent 0
	fconfigure $s -blocking 0
	fileevent $s writable [list bc_write $s $bytes]
	vwait ::ack
	set n $::sent
	set ack $::ack
    }
    set dt [expr {[clock microseconds] - $t0}]
    set d [delta $c0 [counters]]
    close $s
    if {$ack ne "ok $n"} {
	error "bad acknowledgement \"$ack\" for $n bytes"
    }
    say RESULT {*}$d $dt $proto
}

# bc_write CHAN BYTES --
#	Writes the next chunk when the channel is writable (Tcl calls it only
#	when no background flush is pending); after the last one, waits for
#	the acknowledgement.
proc bc_write {s bytes} {
    if {$::sent >= $bytes} {
	fileevent $s writable {}
	fileevent $s readable [list bc_ack $s]
	return
    }
    puts -nonewline $s $::chunk
    flush $s
    incr ::sent 65536
}

proc bc_ack {s} {
    if {[gets $s line] >= 0} {
	set ::ack $line
    } elseif {[eof $s]} {
	set ::ack "end of file"
    }
}

# ---------------------------------------------------------------------------
# An event-loop server for handshake and memory runs: it completes the
# handshake of every connection, keeps it open while idle and closes it at
# the client's end of stream.  A plain control port answers "stat" with
# "HANDSHAKES OPEN ERRORS RSS_KIB CROSSINGS".

proc role_server {impl certdir} {
    impl_load $impl
    watchdog 600
    array set ::st {hs 0 open 0 err 0}
    set port [listen $impl $certdir srv_accept]
    set ctrl [socket -server ctrl_accept -myaddr 127.0.0.1 0]
    say PORT $port [lindex [fconfigure $ctrl -sockname] 2]
    vwait forever
}

proc srv_accept {s args} {
    incr ::st(open)
    fconfigure $s -blocking 0 -translation binary
    if {$::impl eq "plain"} {
	incr ::st(hs)
	fileevent $s readable [list srv_read $s 1]
    } else {
	fileevent $s readable [list srv_read $s 0]
    }
}

proc srv_read {s done} {
    if {!$done} {
	if {[catch {tls::handshake $s} r]} {
	    incr ::st(err)
	    srv_close $s
	    return
	}
	if {!$r} return
	incr ::st(hs)
	fileevent $s readable [list srv_read $s 1]
    }
    if {[catch {read $s}] || [eof $s]} {
	srv_close $s
    }
}

proc srv_close {s} {
    incr ::st(open) -1
    catch {close $s}
}

proc ctrl_accept {s args} {
    fconfigure $s -buffering line
    fileevent $s readable [list ctrl_read $s]
}

proc ctrl_read {s} {
    if {[gets $s line] < 0} {
	if {[eof $s]} { close $s }
	return
    }
    if {$line eq "stat"} {
	puts $s "$::st(hs) $::st(open) $::st(err) [rss] [crossings]"
    }
}

# ---------------------------------------------------------------------------
# Client handshakes: sequential connect, handshake and close for SECONDS;
# "RESULT RATE COUNT CPU_NS".

proc role_hs-client {impl certdir port seconds} {
    impl_load $impl
    watchdog [expr {$seconds + 60}]
    set end [expr {[clock milliseconds] + int($seconds * 1000)}]
    set n 0
    set c0 [usage]
    set t0 [clock microseconds]
    while {[clock milliseconds] < $end} {
	set s [connect $impl $certdir $port]
	handshake $impl $s
	close $s
	incr n
    }
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    set cpu [lindex [delta $c0 [usage]] 0]
    say RESULT [format %.1f [expr {$n / $dt}]] $n $cpu
}

# ---------------------------------------------------------------------------
# Idle connections: WARM connections, then "WARM" and a wait for a line on
# stdin, then N more, then "DONE" and a wait for stdin to close.

proc role_mem-client {impl certdir port warm n} {
    impl_load $impl
    watchdog 600
    set conns {}
    for {set i 0} {$i < $warm} {incr i} {
	set s [connect $impl $certdir $port]
	handshake $impl $s
	lappend conns $s
    }
    say WARM
    gets stdin
    for {set i 0} {$i < $n} {incr i} {
	set s [connect $impl $certdir $port]
	handshake $impl $s
	lappend conns $s
    }
    say DONE
    gets stdin
    foreach s $conns { catch {close $s} }
}

# ---------------------------------------------------------------------------
# Concurrency: an event-loop line echo server, and CLIENTS non-blocking
# clients in one process, each sending LINES lines one after the other and
# checking every echo.

proc role_echo-server {impl certdir} {
    impl_load $impl
    watchdog 600
    set port [listen $impl $certdir echo_accept]
    say PORT $port
    vwait forever
}

proc echo_accept {s args} {
    fconfigure $s -blocking 0 -buffering full
    fileevent $s readable [list echo_read $s]
}

proc echo_read {s} {
    if {[catch {
	while {[gets $s line] >= 0} {
	    puts $s $line
	}
	flush $s
	set end [eof $s]
    }]} {
	set end 1
    }
    if {$end} { catch {close $s} }
}

proc role_echo-client {impl certdir port clients lines timeout} {
    impl_load $impl
    watchdog [expr {$timeout + 60}]
    set ::left $clients
    set ::errors 0
    set t0 [clock microseconds]
    for {set i 0} {$i < $clients} {incr i} {
	if {[catch {
	    set s [connect $impl $certdir $port]
	    fconfigure $s -blocking 0 -buffering line
	    set ::count($s) 0
	    puts $s "line 0 of $s"
	    fileevent $s readable [list ec_read $s $lines]
	} msg]} {
	    puts stderr "client $i: $msg"
	    incr ::errors
	    incr ::left -1
	}
    }
    set timer [after [expr {$timeout * 1000}] {set ::left timeout}]
    while {$::left ne "timeout" && $::left > 0} {
	vwait ::left
    }
    after cancel $timer
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    if {$::left eq "timeout"} {
	set ::errors [expr {$::errors + [array size ::count]}]
    }
    say RESULT [format %.2f $dt] $::errors
}

proc ec_done {s ok} {
    if {!$ok} { incr ::errors }
    unset ::count($s)
    catch {close $s}
    incr ::left -1
}

proc ec_read {s lines} {
    if {[catch {ec_lines $s $lines} msg]} {
	puts stderr "$s: $msg"
	if {[info exists ::count($s)]} { ec_done $s 0 }
    }
}

# ec_lines CHAN LINES --
#	Checks the echoes waiting on CHAN and sends the next line.
proc ec_lines {s lines} {
    while {[gets $s line] >= 0} {
	if {$line ne "line $::count($s) of $s"} {
	    puts stderr "$s: unexpected \"$line\""
	    ec_done $s 0
	    return
	}
	if {[incr ::count($s)] >= $lines} {
	    ec_done $s 1
	    return
	}
	puts $s "line $::count($s) of $s"
    }
    if {[eof $s]} {
	puts stderr "$s: end of file after $::count($s) lines"
	ec_done $s 0
    }
}

# ---------------------------------------------------------------------------
# The main role: starts the workers, collects figures, prints the tables.

# spawn ARGS --
#	Starts a worker "tclsh bench.tcl ARGS" (or any command when ARGS
#	starts with "exec") with stdin and stdout as a pipe.
proc spawn {args} {
    if {[lindex $args 0] eq "exec"} {
	set cmd [lrange $args 1 end]
    } elseif {[lindex $args 1] in {go9 plain9}} {
	set cmd [list $::env(TCL9SH) $::script {*}$args]
    } else {
	set cmd [list [info nameofexecutable] $::script {*}$args]
    }
    set ch [open |[concat $cmd [list 2>> $::log]] r+]
    fconfigure $ch -blocking 0 -buffering line
    lappend ::children $ch
    return $ch
}

# expect CHAN PREFIX SECONDS --
#	Waits for the next line of a worker starting with PREFIX; returns
#	the rest of it, or fails at the deadline or at the worker's end.
proc expect {ch prefix seconds} {
    set deadline [expr {[clock milliseconds] + int($seconds * 1000)}]
    while 1 {
	if {[gets $ch line] >= 0} {
	    if {[string match "$prefix*" $line]} {
		return [string trim [string range $line [string length $prefix] end]]
	    }
	    continue
	}
	if {[eof $ch]} {
	    error "worker ended without \"$prefix\""
	}
	if {[clock milliseconds] > $deadline} {
	    error "no \"$prefix\" from worker within $seconds s"
	}
	set ::wake 0
	set id [after 20 {set ::wake 1}]
	fileevent $ch readable {set ::wake 1}
	vwait ::wake
	after cancel $id
	fileevent $ch readable {}
    }
}

# finish CHAN --
#	Closes a worker's stdin, ending it, and reaps it (killing it when
#	it does not end within a few seconds).
proc finish {ch} {
    set pids [pid $ch]
    set i [lsearch -exact $::children $ch]
    set ::children [lreplace $::children $i $i]
    catch {chan close $ch write}
    set deadline [expr {[clock milliseconds] + 5000}]
    while {[clock milliseconds] < $deadline} {
	set alive 0
	foreach p $pids {
	    if {[file exists /proc/$p] && ![zombie $p]} { set alive 1 }
	}
	if {!$alive} break
	after 20
    }
    foreach p $pids {
	if {[file exists /proc/$p] && ![zombie $p]} {
	    catch {exec kill $p}
	}
    }
    fconfigure $ch -blocking 1
    catch {close $ch}
}

proc zombie {p} {
    if {[catch {open /proc/$p/stat} f]} { return 1 }
    set stat [read $f]
    close $f
    return [expr {[lindex [split [lindex [split $stat )] end] " "] 1] eq "Z"}]
}

# kill_server CHAN --
#	Ends a server worker that runs an event loop forever.
proc kill_server {ch} {
    foreach p [pid $ch] { catch {exec kill $p} }
    finish $ch
}

proc ctrl_stat {port} {
    set s [socket 127.0.0.1 $port]
    fconfigure $s -buffering line
    puts $s stat
    set r [gets $s]
    close $s
    return $r
}

# wait_stat CTRLPORT HANDSHAKES SECONDS --
#	Waits until the server has completed HANDSHAKES handshakes, then
#	returns its statistics line.
proc wait_stat {port hs seconds} {
    set deadline [expr {[clock milliseconds] + int($seconds * 1000)}]
    while 1 {
	set st [ctrl_stat $port]
	if {[lindex $st 0] >= $hs || [clock milliseconds] > $deadline} {
	    return $st
	}
	after 50
    }
}

# Measurements.  Each returns a dict of figures; the main role keeps one
# value per figure, implementation and run.

# m_bulk IMPL MODE BUF --
#	CPU s/GiB, switches/MiB and crossings/MiB of each side, MiB/s.
proc m_bulk {impl mode buf} {
    set bytes $::cfg(bytes)
    set srv [spawn bulk-server $impl $::certdir $bytes $mode $buf]
    set port [expect $srv PORT 20]
    set cli [spawn bulk-client $impl $::certdir $port $bytes $mode $buf]
    set c [expect $cli RESULT 300]
    set s [expect $srv RESULT 30]
    finish $cli
    finish $srv
    if {![plain $impl] && [lindex $c 4] ne "TLSv1.3"} {
	error "$impl negotiated [lindex $c 4], not TLSv1.3"
    }
    set gib [expr {$bytes / double(1 << 30)}]
    set mib [expr {$bytes / double(1 << 20)}]
    set r {}
    foreach side {client server} v [list $c $s] {
	lassign $v cpu csw x
	dict set r $side,cpu [expr {$cpu / 1e9 / $gib}]
	dict set r $side,csw [expr {$csw / $mib}]
	if {$x ne "-"} {
	    dict set r $side,x [expr {$x / $mib}]
	}
    }
    dict set r rate [expr {$mib / ([lindex $c 3] / 1e6)}]
    return $r
}

proc start_s_server {} {
    set port [free_port]
    set srv [spawn exec openssl s_server -quiet -www -accept 127.0.0.1:$port \
	    -cert [file join $::certdir server.pem] \
	    -key [file join $::certdir server.key]]
    wait_port $port 20
    return [list $srv $port]
}

proc free_port {} {
    set l [socket -server {} -myaddr 127.0.0.1 0]
    set port [lindex [fconfigure $l -sockname] 2]
    close $l
    return $port
}

proc wait_port {port seconds} {
    set deadline [expr {[clock milliseconds] + int($seconds * 1000)}]
    while {[catch {socket 127.0.0.1 $port} s]} {
	if {[clock milliseconds] > $deadline} {
	    error "nothing listens on port $port after $seconds s"
	}
	after 50
    }
    close $s
}

# s_time PORT --
#	Runs openssl s_time -new against PORT; returns the handshakes it
#	completed and their rate over the wall-clock time of the run.
proc s_time {port} {
    set t0 [clock microseconds]
    set out [exec timeout [expr {$::cfg(seconds) + 30}] openssl s_time \
	    -connect 127.0.0.1:$port -new -time $::cfg(seconds) 2>@1]
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    if {![regexp {(\d+) connections in [\d.]+ real seconds} $out -> n]} {
	error "unexpected s_time output: [string range $out end-300 end]"
    }
    return [list $n [expr {$n / $dt}]]
}

# m_hs_server IMPL --
#	Server side of handshakes with openssl s_time -new as the client:
#	connections/s, and the server process's CPU ms, context switches and
#	crossings per connection s_time made.  IMPL openssl is openssl
#	s_server.
proc m_hs_server {impl} {
    if {$impl eq "openssl"} {
	lassign [start_s_server] srv port
	set pid [pid $srv]
	try {
	    set u0 [usage $pid]
	    lassign [s_time $port] n rate
	    set d [delta $u0 [usage $pid]]
	    set x -
	} finally {
	    kill_server $srv
	}
    } else {
	set srv [spawn server $impl $::certdir]
	set pid [pid $srv]
	lassign [expect $srv PORT 20] port ctrl
	try {
	    set st0 [ctrl_stat $ctrl]
	    set u0 [usage $pid]
	    lassign [s_time $port] n rate
	    # s_time closes each connection at once, so the server's writing
	    # of session tickets often fails: count every connection the
	    # server finished with, handshake or error.
	    set want [expr {[lindex $st0 0] + [lindex $st0 2] + $n}]
	    set deadline [expr {[clock milliseconds] + 10000}]
	    while {1} {
		set st1 [ctrl_stat $ctrl]
		if {[lindex $st1 0] + [lindex $st1 2] >= $want
			|| [clock milliseconds] > $deadline} break
		after 50
	    }
	    set d [delta $u0 [usage $pid]]
	    set x [lindex [delta [lindex $st0 4] [lindex $st1 4]] 0]
	} finally {
	    kill_server $srv
	}
    }
    if {$n <= 0} {
	error "no handshakes completed"
    }
    lassign $d cpu csw
    set r [dict create rate $rate cpu [expr {$cpu / 1e6 / $n}] csw [expr {$csw / double($n)}]]
    if {$x ne "-"} {
	dict set r x [expr {$x / double($n)}]
    }
    return $r
}

# m_hs_client IMPL --
#	Client handshakes per second against openssl s_server, and the
#	client's CPU ms per handshake (IMPL openssl: openssl s_time's rate).
proc m_hs_client {impl} {
    lassign [start_s_server] srv port
    try {
	if {$impl eq "openssl"} {
	    return [dict create rate [lindex [s_time $port] 1]]
	}
	set cli [spawn hs-client $impl $::certdir $port $::cfg(seconds)]
	lassign [expect $cli RESULT [expr {$::cfg(seconds) + 60}]] rate n cpu
	finish $cli
	return [dict create rate $rate cpu [expr {$cpu / 1e6 / $n}]]
    } finally {
	kill_server $srv
    }
}

# m_memory IMPL --
#	VmRSS growth of the server per idle connection, KiB.
proc m_memory {impl} {
    set warm 10
    set n $::cfg(idle)
    set srv [spawn server $impl $::certdir]
    lassign [expect $srv PORT 20] port ctrl
    set cli [spawn mem-client $impl $::certdir $port $warm $n]
    try {
	expect $cli WARM 60
	wait_stat $ctrl $warm 20
	after 300
	set st0 [ctrl_stat $ctrl]
	puts $cli go
	expect $cli DONE 300
	wait_stat $ctrl [expr {$warm + $n}] 30
	after 300
	set st1 [ctrl_stat $ctrl]
	if {[lindex $st1 1] != $warm + $n || [lindex $st1 2] != 0} {
	    error "server has [lindex $st1 1] connections open and\
		    [lindex $st1 2] errors, expected [expr {$warm + $n}] and 0"
	}
	return [dict create kib [expr {([lindex $st1 3] - [lindex $st0 3]) / double($n)}]]
    } finally {
	finish $cli
	kill_server $srv
    }
}

# m_concurrency IMPL --
#	Total time of CLIENTS simultaneous line-echo clients, and errors.
proc m_concurrency {impl} {
    set srv [spawn echo-server $impl $::certdir]
    set port [expect $srv PORT 20]
    try {
	set cli [spawn echo-client $impl $::certdir $port $::cfg(clients) \
		$::cfg(lines) $::cfg(timeout)]
	lassign [expect $cli RESULT [expr {$::cfg(timeout) + 60}]] dt errors
	finish $cli
	return [dict create time $dt errors $errors]
    } finally {
	kill_server $srv
    }
}

# ---------------------------------------------------------------------------
# Statistics and formatting.

proc median {l} {
    set l [lsort -real $l]
    set n [llength $l]
    if {$n % 2} {
	return [lindex $l [expr {$n / 2}]]
    }
    return [expr {([lindex $l [expr {$n / 2 - 1}]] + [lindex $l [expr {$n / 2}]]) / 2.0}]
}

# values KEY IMPL --
#	The figure KEY ("test,figure") of IMPL in every run that has it.
proc values {key impl} {
    set l {}
    for {set run 1} {$run <= $::cfg(runs)} {incr run} {
	if {[info exists ::fig($key,$impl,$run)]} {
	    lappend l $::fig($key,$impl,$run)
	}
    }
    return $l
}

# ratios KEY A B --
#	A's figure divided by B's in the same run, for every run with both:
#	the machine's load changes between runs, so only figures taken side
#	by side are compared.
proc ratios {key a b} {
    set l {}
    for {set run 1} {$run <= $::cfg(runs)} {incr run} {
	if {[info exists ::fig($key,$a,$run)] && [info exists ::fig($key,$b,$run)]
		&& $::fig($key,$b,$run) != 0} {
	    lappend l [expr {double($::fig($key,$a,$run)) / $::fig($key,$b,$run)}]
	}
    }
    return $l
}

# num X --
#	X with three significant digits or so.
proc num {x} {
    if {[string is entier -strict $x]} { return $x }
    set a [expr {abs($x)}]
    if {$a >= 100} { return [format %.0f $x] }
    if {$a >= 10} { return [format %.1f $x] }
    if {$a >= 1} { return [format %.2f $x] }
    return [format %.3f $x]
}

# cell LIST ?SUFFIX? --
#	The median of LIST, with the range over the runs when there are
#	several: "1.08 (1.02-1.15)"; "-" when LIST is empty.
proc cell {l {suffix ""}} {
    if {![llength $l]} {
	return -
    }
    set m [num [median $l]]$suffix
    if {[llength $l] > 1} {
	set s [lsort -real $l]
	append m " ([num [lindex $s 0]]-[num [lindex $s end]])"
    }
    return $m
}

proc fig {key impl} { return [cell [values $key $impl]] }
proc rat {key a b} { return [cell [ratios $key $a $b] x] }

proc row {args} {
    return "| [join $args { | }] |\n"
}

proc header {args} {
    set md [row {*}$args]
    append md "|[string repeat ---| [llength $args]]\n"
    return $md
}

# ---------------------------------------------------------------------------
# The main role.

proc machine {} {
    set cpu unknown
    if {![catch {open /proc/cpuinfo} f]} {
	regexp -line {^model name\s*:\s*(.*)$} [read $f] -> cpu
	close $f
    }
    set load ?
    if {![catch {open /proc/loadavg} f]} {
	set load [lrange [read $f] 0 2]
	close $f
    }
    return [list [exec nproc] $cpu [exec uname -sr] $load]
}

proc main {certdir resultfile} {
    set ::certdir [file normalize $certdir]
    set quick [expr {[info exists ::env(BENCH_QUICK)] && $::env(BENCH_QUICK) ni {"" 0}}]
    if {$quick} {
	array set ::cfg {runs 1 bytes 67108864 seconds 2 idle 200 clients 50 lines 20 timeout 60}
    } else {
	array set ::cfg {runs 3 bytes 536870912 seconds 4 idle 1000 clients 500 lines 100 timeout 180}
    }
    set ::children {}
    # Workers' error output (the C reference reports every failed
    # connection there) goes to a log, not to the table.
    set ::log [file normalize build/bench-workers.log]
    close [open $::log w]
    set started [clock seconds]
    lassign [machine] ncpu cpu kernel load0
    set only {}
    if {[info exists ::env(BENCH_ONLY)]} {
	set only $::env(BENCH_ONLY)
    }
    puts "bench: [expr {$quick ? "quick" : "full"}] run, $::cfg(runs) run(s),\
	    implementations interleaved within each run"
    flush stdout

    # Each run measures every implementation one after the other, in an
    # order that rotates from run to run.
    set bulk {}
    foreach mode {block event} {
	foreach buf {default 65536} {
	    lappend bulk [list bulk $mode $buf]
	}
    }
    set tests {}
    foreach t $bulk {
	lappend tests $t {go ref plain}
    }
    # Under Tcl 9 (its notifier waits in the thread itself, with epoll),
    # only the event-driven runs, against its plain sockets.
    set bulk9 {}
    if {[info exists ::env(TCL9SH)] && $::env(TCL9SH) ne ""} {
	foreach buf {default 65536} {
	    lappend bulk9 [list bulk9 event $buf]
	}
    }
    foreach t $bulk9 {
	lappend tests $t {go9 plain9}
    }
    lappend tests hss {go ref openssl}
    # The same server under Tcl 9, which has no notifier thread, against
    # s_server measured alongside.
    if {[llength $bulk9]} {
	lappend tests hss9 {go9 openssl}
    }
    lappend tests hsc {go ref openssl} mem {go ref plain} conc {go ref plain}
    for {set run 1} {$run <= $::cfg(runs)} {incr run} {
	foreach {t impls} $tests {
	    set kind [lindex $t 0]
	    if {[llength $only] && [string trimright $kind 9] ni $only} continue
	    set k [expr {($run - 1) % [llength $impls]}]
	    set impls [concat [lrange $impls $k end] [lrange $impls 0 [expr {$k - 1}]]]
	    foreach impl $impls {
		set cmd [dict get {bulk m_bulk bulk9 m_bulk hss m_hs_server
			hss9 m_hs_server hsc m_hs_client mem m_memory
			conc m_concurrency} $kind]
		if {[catch {$cmd $impl {*}[lrange $t 1 end]} r]} {
		    puts "  run $run [join $t] $impl: FAILED: $r (see $::log)"
		    continue
		}
		set line {}
		dict for {name v} $r {
		    set ::fig([join $t -],$name,$impl,$run) $v
		    lappend line "$name [num $v]"
		}
		puts "  run $run [join $t] $impl: [join $line {, }]"
		flush stdout
	    }
	}
    }
    lassign [machine] - - - load1

    set md "# Benchmark results\n\n"
    append md "`make bench`, [clock format $started -format {%Y-%m-%d %H:%M}],\
	    [expr {$quick ? "quick" : "full"}] run.\
	    Machine: $ncpu CPUs ($cpu), $kernel, load average $load0 at the\
	    start and $load1 at the end. [exec openssl version], Tcl\
	    [info patchlevel].\n\n"
    append md "go is this package, ref Debian's C tcl-tls 1.7 (the one\
	    installed), plain Tcl sockets without TLS, openssl the openssl\
	    command. Each figure is the median of $::cfg(runs) run(s), with\
	    the lowest and highest in brackets when there are several; ratios\
	    are taken between figures of the same run (the implementations\
	    run one after the other within each run), then the same way.\
	    CPU is user + system time of the process, all its threads;\
	    switches are voluntary + involuntary context switches; C->Go\
	    counts the calls from C into Go (this package only).\n\n"

    if {![llength $only] || "bulk" in $only} {
	set mib [expr {$::cfg(bytes) >> 20}]
	append md "## Bulk transfer\n\n"
	append md "One TLS 1.3 connection, $mib MiB from client to server in\
		64 KiB writes and reads, measured in each process from the end\
		of the handshake to the last byte. block: blocking channels;\
		event: non-blocking, driven by fileevent. Buffer: the\
		channel's -buffersize (default: Tcl's, 4 KiB).\n\n"
	append md [header mode buffer side "CPU s/GiB go" ref plain \
		"go/ref" "go/plain" "switches/MiB go" ref plain "C->Go/MiB go"]
	foreach t $bulk {
	    lassign $t - mode buf
	    set key [join $t -]
	    foreach side {client server} {
		append md [row $mode [expr {$buf eq "default" ? "default" : "64 KiB"}] \
			[expr {$side eq "client" ? "sending" : "receiving"}] \
			[fig $key,$side,cpu go] [fig $key,$side,cpu ref] \
			[fig $key,$side,cpu plain] \
			[rat $key,$side,cpu go ref] [rat $key,$side,cpu go plain] \
			[fig $key,$side,csw go] [fig $key,$side,csw ref] \
			[fig $key,$side,csw plain] [fig $key,$side,x go]]
	    }
	}
	if {[llength $bulk9]} {
	    append md "\nUnder Tcl 9 ([exec $::env(TCL9SH) << {puts [info patchlevel]}],\
		    libtcl9tls.so; go9 this package, plain9 plain sockets),\
		    event-driven only:\n\n"
	    append md [header mode buffer side "CPU s/GiB go9" plain9 \
		    go9/plain9 "switches/MiB go9" plain9 "C->Go/MiB go9"]
	    foreach t $bulk9 {
		lassign $t - mode buf
		set key [join $t -]
		foreach side {client server} {
		    append md [row $mode [expr {$buf eq "default" ? "default" : "64 KiB"}] \
			    [expr {$side eq "client" ? "sending" : "receiving"}] \
			    [fig $key,$side,cpu go9] [fig $key,$side,cpu plain9] \
			    [rat $key,$side,cpu go9 plain9] \
			    [fig $key,$side,csw go9] [fig $key,$side,csw plain9] \
			    [fig $key,$side,x go9]]
		}
	    }
	}
	append md "\nWall-clock rate (MiB/s; it swings with the load of the\
		machine more than the CPU figures do):\n\n"
	append md [header mode buffer go ref plain go/ref go/plain]
	foreach t $bulk {
	    lassign $t - mode buf
	    set key [join $t -]
	    append md [row $mode [expr {$buf eq "default" ? "default" : "64 KiB"}] \
		    [fig $key,rate go] [fig $key,rate ref] [fig $key,rate plain] \
		    [rat $key,rate go ref] [rat $key,rate go plain]]
	}
	append md \n
    }
    if {![llength $only] || "hss" in $only || "hsc" in $only} {
	append md "## Handshakes\n\n"
	append md "TLS 1.3, RSA 2048 server key, $::cfg(seconds) s per run.\
		Server side: openssl s_time -new against an event-loop server\
		(openssl: openssl s_server). Client side: sequential\
		connect, handshake and close against openssl s_server\
		(openssl: openssl s_time).\n\n"
	append md [header figure go ref openssl go/ref go/openssl]
	foreach {key label} {
	    hss,rate "server: connections/s"
	    hss,cpu "server: CPU ms per handshake"
	    hss,csw "server: switches per handshake"
	    hss,x "server: C->Go per handshake"
	    hsc,rate "client: handshakes/s"
	    hsc,cpu "client: CPU ms per handshake"
	} {
	    append md [row $label [fig $key go] [fig $key ref] [fig $key openssl] \
		    [rat $key go ref] [rat $key go openssl]]
	}
	if {[llength $bulk9] && (![llength $only] || "hss" in $only)} {
	    append md "\nThe server under Tcl 9, whose notifier waits in the\
		    thread itself (go9; openssl: s_server again, measured in\
		    the same runs):\n\n"
	    append md [header figure go9 openssl go9/openssl]
	    foreach {key label} {
		hss9,rate "server: connections/s"
		hss9,cpu "server: CPU ms per handshake"
		hss9,csw "server: switches per handshake"
	    } {
		append md [row $label [fig $key go9] [fig $key openssl] \
			[rat $key go9 openssl]]
	    }
	}
	append md \n
    }
    if {![llength $only] || "mem" in $only || "conc" in $only} {
	append md "## Memory and concurrency\n\n"
	append md [header figure go ref plain go/ref go/plain]
	append md [row "server RSS per idle connection, KiB ($::cfg(idle) connections)" \
		[fig mem,kib go] [fig mem,kib ref] [fig mem,kib plain] \
		[rat mem,kib go ref] [rat mem,kib go plain]]
	append md [row "$::cfg(clients) clients x $::cfg(lines) lines, total s" \
		[fig conc,time go] [fig conc,time ref] [fig conc,time plain] \
		[rat conc,time go ref] [rat conc,time go plain]]
	append md [row "echo errors" [fig conc,errors go] [fig conc,errors ref] \
		[fig conc,errors plain] - -]
	append md \n
    }
    append md "Took [expr {[clock seconds] - $started}] s.\n"
    puts ""
    puts -nonewline $md
    set f [open $resultfile w]
    puts -nonewline $f $md
    close $f
    puts "\nbench: written to $resultfile"
}

set script [file normalize [info script]]
if {$role eq "main"} {
    main {*}$argv
} else {
    set impl [lindex $argv 0]
    role_$role {*}$argv
}
exit 0
