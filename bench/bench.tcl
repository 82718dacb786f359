# bench.tcl --
#
#	Side-by-side benchmark of this tls package ("go"), Debian's C tcl-tls
#	1.7 ("ref") and plain Tcl sockets ("plain"), with openssl s_server and
#	s_time as the ceiling for handshakes.  Everything runs on 127.0.0.1.
#
#	    tclsh bench.tcl main CERTDIR RESULTFILE
#	        runs every measurement (each in fresh processes), prints a
#	        table of medians and ratios, and writes it to RESULTFILE.
#	        BENCH_QUICK=1 in the environment makes a short run;
#	        BENCH_ONLY="bulk hsc hss mem conc" picks measurements.
#
#	The other roles are the processes the main role starts:
#	    bulk-server IMPL CERTDIR BYTES       bulk-client IMPL CERTDIR PORT BYTES
#	    server IMPL CERTDIR                  hs-client IMPL CERTDIR PORT SECONDS
#	    mem-client IMPL CERTDIR PORT WARM N  echo-server IMPL CERTDIR
#	    echo-client IMPL CERTDIR PORT CLIENTS LINES TIMEOUT
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
	go    { package require tls 2 }
	ref   { package require tls 1.7 }
	plain {}
	default { error "unknown implementation \"$impl\"" }
    }
}

# connect IMPL CERTDIR PORT ?async? --
#	Opens a client connection to 127.0.0.1:PORT.
proc connect {impl certdir port {async 0}} {
    set a [expr {$async ? "-async" : ""}]
    if {$impl eq "plain"} {
	return [socket {*}$a 127.0.0.1 $port]
    }
    return [tls::socket {*}$a -cafile [file join $certdir ca.pem] -require 1 \
	    127.0.0.1 $port]
}

# listen IMPL CERTDIR CMD --
#	Listens on an ephemeral port; returns the port.
proc listen {impl certdir cmd} {
    if {$impl eq "plain"} {
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
    if {$impl ne "plain"} {
	tls::handshake $chan
    }
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

# ---------------------------------------------------------------------------
# Bulk throughput: one connection, BYTES from client to server in 64 KiB
# writes and reads; the server acknowledges the last byte with a line.

proc role_bulk-server {impl certdir bytes} {
    impl_load $impl
    watchdog 300
    set port [listen $impl $certdir {apply {{s args} {set ::conn $s}}}]
    say PORT $port
    vwait ::conn
    set s $::conn
    fconfigure $s -translation binary -blocking 1 -buffersize 65536
    handshake $impl $s
    set total 0
    while {$total < $bytes} {
	# Only the length: a comparison with "" would make a string of
	# the bytes each time.
	set n [string length [read $s 65536]]
	if {$n == 0 && [eof $s]} break
	incr total $n
    }
    puts $s "ok $total"
    flush $s
    read $s
    close $s
}

proc role_bulk-client {impl certdir port bytes} {
    impl_load $impl
    watchdog 300
    set s [connect $impl $certdir $port]
    fconfigure $s -translation binary -buffering full -buffersize 65536
    handshake $impl $s
    set proto plain
    if {$impl ne "plain"} {
	set st [tls::status $s]
	foreach key {protocol version} {
	    if {[dict exists $st $key]} {
		set proto [dict get $st $key]
		break
	    }
	}
    }
    set chunk [string repeat x 65536]
    set t0 [clock microseconds]
    for {set n 0} {$n < $bytes} {incr n 65536} {
	puts -nonewline $s $chunk
    }
    flush $s
    set ack [gets $s]
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    close $s
    if {$ack ne "ok $n"} {
	error "bad acknowledgement \"$ack\" for $n bytes"
    }
    say RESULT [format %.1f [expr {$n / 1048576.0 / $dt}]] $proto
}

# ---------------------------------------------------------------------------
# An event-loop server for handshake and memory runs: it completes the
# handshake of every connection, keeps it open while idle and closes it at
# the client's end of stream.  A plain control port answers "stat" with
# "HANDSHAKES OPEN ERRORS RSS_KIB".

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
	puts $s "$::st(hs) $::st(open) $::st(err) [rss]"
    }
}

# ---------------------------------------------------------------------------
# Client handshakes: sequential connect, handshake and close for SECONDS.

proc role_hs-client {impl certdir port seconds} {
    impl_load $impl
    watchdog [expr {$seconds + 60}]
    set end [expr {[clock milliseconds] + int($seconds * 1000)}]
    set n 0
    set t0 [clock microseconds]
    while {[clock milliseconds] < $end} {
	set s [connect $impl $certdir $port]
	handshake $impl $s
	close $s
	incr n
    }
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    say RESULT [format %.1f [expr {$n / $dt}]] $n
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
# The main role: starts the workers, collects figures, prints the table.

# spawn ARGS --
#	Starts a worker "tclsh bench.tcl ARGS" (or any command when ARGS
#	starts with "exec") with stdin and stdout as a pipe.
proc spawn {args} {
    if {[lindex $args 0] eq "exec"} {
	set cmd [lrange $args 1 end]
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

# Measurements: each returns one figure.

proc m_bulk {impl} {
    set srv [spawn bulk-server $impl $::certdir $::cfg(bytes)]
    set port [expect $srv PORT 20]
    set cli [spawn bulk-client $impl $::certdir $port $::cfg(bytes)]
    set r [expect $cli RESULT 300]
    finish $cli
    finish $srv
    if {$impl ne "plain" && [lindex $r 1] ne "TLSv1.3"} {
	error "$impl negotiated [lindex $r 1], not TLSv1.3"
    }
    return [lindex $r 0]
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
#	Handshakes per second of openssl s_time -new against PORT, over the
#	wall-clock time of the run.
proc s_time {port} {
    set t0 [clock microseconds]
    set out [exec timeout [expr {$::cfg(seconds) + 30}] openssl s_time \
	    -connect 127.0.0.1:$port -new -time $::cfg(seconds) 2>@1]
    set dt [expr {([clock microseconds] - $t0) / 1e6}]
    if {![regexp {(\d+) connections in [\d.]+ real seconds} $out -> n]} {
	error "unexpected s_time output: [string range $out end-300 end]"
    }
    return [format %.1f [expr {$n / $dt}]]
}

proc m_hs_client {impl} {
    lassign [start_s_server] srv port
    try {
	if {$impl eq "openssl"} {
	    return [s_time $port]
	}
	set cli [spawn hs-client $impl $::certdir $port $::cfg(seconds)]
	set r [expect $cli RESULT [expr {$::cfg(seconds) + 60}]]
	finish $cli
	return [lindex $r 0]
    } finally {
	kill_server $srv
    }
}

proc m_hs_server {impl} {
    if {$impl eq "openssl"} {
	lassign [start_s_server] srv port
	try {
	    return [s_time $port]
	} finally {
	    kill_server $srv
	}
    }
    set srv [spawn server $impl $::certdir]
    lassign [expect $srv PORT 20] port ctrl
    try {
	return [s_time $port]
    } finally {
	kill_server $srv
    }
}

proc m_memory {impl} {
    set warm 10
    set n $::cfg(idle)
    set srv [spawn server $impl $::certdir]
    lassign [expect $srv PORT 20] port ctrl
    set cli [spawn mem-client $impl $::certdir $port $warm $n]
    try {
	expect $cli WARM 60
	set st0 [wait_stat $ctrl $warm 20]
	after 300
	set st0 [ctrl_stat $ctrl]
	puts $cli go
	expect $cli DONE 300
	set st1 [wait_stat $ctrl [expr {$warm + $n}] 30]
	after 300
	set st1 [ctrl_stat $ctrl]
	if {[lindex $st1 1] != $warm + $n || [lindex $st1 2] != 0} {
	    error "server has [lindex $st1 1] connections open and\
		    [lindex $st1 2] errors, expected [expr {$warm + $n}] and 0"
	}
	return [format %.1f [expr {([lindex $st1 3] - [lindex $st0 3]) / double($n)}]]
    } finally {
	finish $cli
	kill_server $srv
    }
}

proc m_concurrency {impl} {
    set srv [spawn echo-server $impl $::certdir]
    set port [expect $srv PORT 20]
    try {
	set cli [spawn echo-client $impl $::certdir $port $::cfg(clients) \
		$::cfg(lines) $::cfg(timeout)]
	set r [expect $cli RESULT [expr {$::cfg(timeout) + 60}]]
	finish $cli
	return $r
    } finally {
	kill_server $srv
    }
}

proc median {l} {
    set l [lsort -real $l]
    return [lindex $l [expr {[llength $l] / 2}]]
}

# ratio MEASUREMENT A B --
#	The median over the runs of A's figure divided by B's figure in the
#	same run: the machine's load changes between runs, so only figures
#	taken side by side are compared.
proc ratio {m a b} {
    set l {}
    for {set run 1} {$run <= $::cfg(runs)} {incr run} {
	if {[info exists ::byrun($m,$a,$run)] && [info exists ::byrun($m,$b,$run)]
		&& $::byrun($m,$b,$run) != 0} {
	    lappend l [expr {double($::byrun($m,$a,$run)) / $::byrun($m,$b,$run)}]
	}
    }
    if {![llength $l]} { return "" }
    return [median $l]
}

proc fmtratio {r} {
    if {$r eq ""} { return "-" }
    return [format %.2fx $r]
}

proc main {certdir resultfile} {
    set ::certdir [file normalize $certdir]
    set quick [expr {[info exists ::env(BENCH_QUICK)] && $::env(BENCH_QUICK) ne "" && $::env(BENCH_QUICK) ne "0"}]
    if {$quick} {
	array set ::cfg {runs 1 bytes 268435456 seconds 2 idle 300 clients 100 lines 20 timeout 60}
    } else {
	array set ::cfg {runs 3 bytes 1073741824 seconds 4 idle 1000 clients 500 lines 100 timeout 180}
    }
    set ::children {}
    # Workers' error output (the C reference reports every failed
    # connection there) goes to a log, not to the table.
    set ::log [file normalize build/bench-workers.log]
    close [open $::log w]
    set started [clock seconds]
    puts "bench: [expr {$quick ? "quick" : "full"}] run, $::cfg(runs) repetition(s), medians reported"
    puts "bench: [exec openssl version], [exec nproc] CPUs, Tcl [info patchlevel]"

    # Each repetition measures every implementation one after the other,
    # so that the ratios compare runs made under the same load.
    set plan {
	bulk  {go ref plain}
	hsc   {go ref openssl}
	hss   {go ref openssl}
	mem   {go ref plain}
	conc  {go ref plain}
    }
    set cmds {bulk m_bulk hsc m_hs_client hss m_hs_server mem m_memory conc m_concurrency}
    for {set run 1} {$run <= $::cfg(runs)} {incr run} {
	foreach {m impls} $plan {
	    if {[info exists ::env(BENCH_ONLY)] && $m ni $::env(BENCH_ONLY)} continue
	    foreach impl $impls {
		if {[catch {[dict get $cmds $m] $impl} r]} {
		    puts "  run $run $m $impl: FAILED: $r (see $::log)"
		    continue
		}
		puts "  run $run $m $impl: $r"
		flush stdout
		if {$m eq "conc"} {
		    lappend res($m,$impl) [lindex $r 0]
		    lappend res(conc-err,$impl) [lindex $r 1]
		    set ::byrun($m,$impl,$run) [lindex $r 0]
		} else {
		    lappend res($m,$impl) $r
		    set ::byrun($m,$impl,$run) $r
		}
	    }
	}
    }
    foreach k [array names res] {
	set med($k) [median $res($k)]
    }
    proc get {name} {
	upvar 1 med med
	if {[info exists med($name)]} { return $med($name) }
	return ""
    }

    set rows {}
    # figure, unit, go, ref, plain or ceiling, go/ref, go/other, target, met
    set g [get bulk,go]; set r [get bulk,ref]; set p [get bulk,plain]
    set r1 [ratio bulk go ref]; set r2 [ratio bulk go plain]
    lappend rows [list "Bulk throughput, 1 connection" MiB/s $g $r "plain $p" \
	    [fmtratio $r1] [fmtratio $r2] ">= 1.0x ref, >= 0.9x plain" \
	    [expr {$r1 ne "" && $r2 ne "" && $r1 >= 1.0 && $r2 >= 0.9}]]
    foreach {m label} {hsc "Handshakes/s, client side" hss "Handshakes/s, server side"} {
	set g [get $m,go]; set r [get $m,ref]; set c [get $m,openssl]
	set r1 [ratio $m go ref]; set r2 [ratio $m go openssl]
	lappend rows [list $label /s $g $r "openssl $c" [fmtratio $r1] [fmtratio $r2] \
		">= 2x ref, >= 0.9x openssl" \
		[expr {$r1 ne "" && $r2 ne "" && $r1 >= 2 && $r2 >= 0.9}]]
    }
    set g [get mem,go]; set r [get mem,ref]; set p [get mem,plain]
    lappend rows [list "Server RSS per idle connection" KiB $g $r "plain $p" \
	    [fmtratio [ratio mem go ref]] [fmtratio [ratio mem go plain]] \
	    "<= 40 KiB" [expr {$g ne "" && $g <= 40}]]
    set g [get conc,go]; set r [get conc,ref]; set p [get conc,plain]
    set ge [get conc-err,go]; set re [get conc-err,ref]; set pe [get conc-err,plain]
    lappend rows [list "$::cfg(clients) clients x $::cfg(lines) lines, total time" s \
	    "$g ($ge err)" "$r ($re err)" "plain $p ($pe err)" \
	    [fmtratio [ratio conc ref go]] [fmtratio [ratio conc plain go]] \
	    "0 errors" [expr {$ge ne "" && $ge == 0}]]

    set mode [expr {$quick ? "quick" : "full"}]
    set md "# Benchmark results\n\n"
    append md "Last $mode run of `make bench`, [clock format $started -format {%Y-%m-%d %H:%M}]:\
	    [exec openssl version], [exec nproc] CPUs, Tcl [info patchlevel].\
	    Medians of $::cfg(runs) run(s); ratios (medians of the ratios within\
	    each run) are this package (go) against\
	    Debian's tcl-tls 1.7 (ref) and against plain Tcl sockets or the\
	    openssl ceiling, measured side by side in the same run (for the\
	    concurrency time, a ratio above 1 means go is faster).\n\n"
    append md "| figure | unit | go | ref | plain / ceiling | go vs ref | go vs plain / ceiling | target | met |\n"
    append md "|---|---|---|---|---|---|---|---|---|\n"
    foreach row $rows {
	lassign $row label unit g r o r1 r2 target met
	append md "| $label | $unit | $g | $r | $o | $r1 | $r2 | $target | [expr {$met ? "yes" : "NO"}] |\n"
    }
    append md "\nBulk: $::cfg(bytes) bytes client to server, 64 KiB writes and reads, TLS 1.3.\
	    Handshakes: $::cfg(seconds) s per run, RSA 2048 server key; client side\
	    against openssl s_server, server side measured with openssl s_time -new.\
	    Memory: VmRSS growth of the server tclsh over $::cfg(idle) idle connections.\n"
    puts ""
    puts $md
    puts "bench: [expr {[clock seconds] - $started}] s"
    set f [open $resultfile w]
    puts -nonewline $f $md
    close $f
    set bad 0
    foreach row $rows {
	if {![lindex $row end]} { incr bad }
    }
    if {$bad} {
	puts "bench: $bad target(s) not met"
    }
}

set script [file normalize [info script]]
if {$role eq "main"} {
    main {*}$argv
} else {
    set impl [lindex $argv 0]
    role_$role {*}$argv
}
exit 0
