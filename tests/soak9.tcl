# soak9.tcl --
#
#	Scale check under Tcl 9, whose notifier uses epoll and so watches
#	descriptors past 1023: one server process holds many simultaneous
#	TLS connections, each of which does one round trip, then all close.
#
#	    tclsh9.0 soak9.tcl CERTDIR TOTAL ?PERCHILD?
#
#	The server (this process) accepts; child processes (this script with
#	-clients, PERCHILD connections each, default 1000) connect, one child
#	after another, and keep their connections open until told to close.
#	This happens three times. The server prints its RSS and open descriptors at
#	the start, with all TOTAL connections open and after they closed, in
#	each round, and the RSS per connection. It fails when a connection
#	does not echo its line, when the descriptors do not come back to
#	their start, or when a later round takes more memory than the
#	first (freed memory stays with the allocators for reuse, so RSS after
#	the first round is the level to come back to). The last line is "ok"
#	or "FAIL: reason"; the exit code agrees. The caller raises the
#	descriptor limit (ulimit -n).
#
#	    tclsh9.0 soak9.tcl -clients CERTDIR PORT N
#
#	is one child: it prints "open N" once N connections echoed a line
#	("failed K: first error" otherwise), closes them all when a line
#	arrives on its standard input, prints "closed" and exits.

package require tls

if {[lindex $argv 0] eq "-clients"} {
    lassign $argv - certdir port count
    set mode clients
} else {
    lassign $argv certdir total perchild
    if {$perchild eq ""} {
	set perchild 1000
    }
    set mode server
}
set ca [file join $certdir ca.pem]

source [file join [file dirname [info script]] soaklib.tcl]

# wait_var --
#
#	Runs the event loop until the global NAME is set, for at most MS
#	milliseconds; returns its value, or "timeout".

proc wait_var {name ms} {
    set timer [after $ms [list set ::$name timeout]]
    vwait ::$name
    after cancel $timer
    return [set ::$name]
}

# ----------------------------------------------------------------------
# A child: COUNT client connections
# ----------------------------------------------------------------------

if {$mode eq "clients"} {
    set chans {}
    set ::pending $count
    set ::bad {}
    proc client_read {c id} {
	if {[catch {gets $c line} n]} {
	    lappend ::bad "connection $id: $n"
	} elseif {$n >= 0} {
	    if {$line ne "hello $id"} {
		lappend ::bad "connection $id: got \"$line\""
	    }
	} elseif {[eof $c]} {
	    lappend ::bad "connection $id: eof"
	} else {
	    return
	}
	fileevent $c readable {}
	if {[incr ::pending -1] == 0} {
	    set ::alldone 1
	}
    }
    for {set i 1} {$i <= $count} {incr i} {
	if {[catch {
	    tls::socket -cafile $ca -require 1 -servername localhost \
		    127.0.0.1 $port
	} c]} {
	    lappend ::bad "connect $i: $c"
	    incr ::pending -1
	    continue
	}
	lappend chans $c
	fconfigure $c -blocking 0 -buffering line
	fileevent $c readable [list client_read $c $i]
	puts $c "hello $i"
	# Let the handshakes advance while connecting the rest.
	if {$i % 50 == 0} {
	    update
	}
    }
    if {$::pending > 0 && [wait_var alldone 600000] eq "timeout"} {
	lappend ::bad "timeout with $::pending connections not echoed"
    }
    if {[llength $::bad]} {
	puts "failed [llength $::bad]: [lindex $::bad 0]"
    } else {
	puts "open $count"
    }
    flush stdout
    gets stdin
    foreach c $chans {
	catch {close $c}
    }
    puts closed
    flush stdout
    exit 0
}

# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------

set ::open 0
set ::echoed 0
set ::errors {}

proc accept {chan addr port} {
    incr ::open
    fconfigure $chan -blocking 0 -buffering line
    fileevent $chan readable [list serve $chan]
}
proc serve {chan} {
    if {[catch {gets $chan line} n]} {
	if {[llength $::errors] < 10} {
	    lappend ::errors $n
	}
	drop $chan
	return
    }
    if {$n >= 0} {
	puts $chan $line
	incr ::echoed
    } elseif {[eof $chan]} {
	drop $chan
    }
}
proc drop {chan} {
    catch {close $chan}
    if {[incr ::open -1] == 0} {
	set ::allclosed 1
    }
}

set listener [tls::socket -server accept -myaddr 127.0.0.1 \
	-certfile [file join $certdir server.pem] \
	-keyfile [file join $certdir server.key] 0]
set port [lindex [fconfigure $listener -sockname] 2]

set failures {}

# round --
#
#	Has the children open TOTAL connections (one child after another),
#	then close them all. Prints and returns {RSS-open fds-open RSS-after
#	fds-after}.

proc round {name} {
    global total perchild certdir port failures
    set children {}
    set start [clock milliseconds]
    set ::echoed 0
    for {set left $total} {$left > 0} {incr left -$n} {
	set n [expr {min($left, $perchild)}]
	set child [open |[list [info nameofexecutable] [info script] -clients \
		$certdir $port $n 2>@1] r+]
	lappend children $child
	fconfigure $child -blocking 0 -buffering line
	set ::childLine ""
	fileevent $child readable [list apply {{child} {
	    if {[gets $child line] >= 0} {
		set ::childLine $line
	    } elseif {[eof $child]} {
		fileevent $child readable {}
		set ::childLine eof
	    }
	}} $child]
	if {[wait_var childLine 600000] ne "open $n"} {
	    lappend failures "$name, child [llength $children]: $::childLine"
	    break
	}
    }
    set secs [expr {([clock milliseconds] - $start) / 1000.0}]
    set rss1 [rss]
    set fds1 [fds]
    puts [format "%s: %d connections open (%d echoed, %.1f s): RSS %d KiB,\
	    %d open descriptors" $name $::open $::echoed $secs $rss1 $fds1]
    if {$::open != $total || $::echoed != $total} {
	lappend failures "$name: $::open connections open, $::echoed echoed,\
		not $total"
    }

    # Every child closes its connections and exits; the server sees every
    # end of file.
    foreach child $children {
	catch {puts $child close}
    }
    if {$::open > 0 && [wait_var allclosed 600000] eq "timeout"} {
	lappend failures "$name: $::open connections still open on the server"
    }
    unset -nocomplain ::allclosed
    foreach child $children {
	fileevent $child readable {}
	fconfigure $child -blocking 1
	while {[gets $child line] >= 0} {
	    if {$line ne "closed"} {
		lappend failures "$name, child: $line"
	    }
	}
	catch {close $child}
    }
    # Closes finish in the event loop: run it until the descriptors are
    # back where they started (the Go runtime may keep two of its own),
    # for at most 10 s; the checks below say if they never are.
    set deadline [expr {[clock milliseconds] + 10000}]
    while {[fds] > $::fds0 + 2 && [clock milliseconds] < $deadline} {
	after 10 {set ::settled 1}
	vwait ::settled
    }
    set rss2 [rss]
    set fds2 [fds]
    puts "$name: after closing them: RSS $rss2 KiB, $fds2 open descriptors"
    return [list $rss1 $fds1 $rss2 $fds2]
}

set rss0 [rss]
set fds0 [fds]
puts "Tcl [info patchlevel], tls [package present tls]:\
	$total connections from [expr {($total + $perchild - 1) / $perchild}]\
	client processes, three times"
puts "start: RSS $rss0 KiB, $fds0 open descriptors"
lassign [round "round 1"] rssOpen1 fdsOpen1 rssAfter1 fdsAfter1
set later {}
foreach r {2 3} {
    if {![llength $failures]} {
	lappend later [round "round $r"]
    }
}

if {[llength $::errors]} {
    lappend failures "server errors: [join $::errors {; }]"
}
if {![llength $failures]} {
    set per [expr {($rssOpen1 - $rss0) / double($total)}]
    puts [format "RSS per connection: %.1f KiB; descriptors per connection:\
	    %.2f" $per [expr {($fdsOpen1 - $fds0) / double($total)}]]
    # Descriptors come back to the start (the Go runtime may open two of
    # its own once). Freed memory stays with the allocators (Tcl's, the C
    # library's, Go's) for reuse, so after the first round RSS stays about
    # where that round left it: later rounds must not grow it, with their
    # connections open or after closing them, by more than 15% of what
    # the connections took (the rounds differ by up to 8% from where
    # the allocators happen to place things).
    set slack [expr {max(2048, ($rssOpen1 - $rss0) * 15 / 100)}]
    if {$fdsAfter1 > $fds0 + 2} {
	lappend failures "descriptors $fds0 at the start, $fdsAfter1 after round 1"
    }
    set r 1
    foreach round $later {
	lassign $round rssOpen fdsOpen rssAfter fdsAfter
	incr r
	if {$fdsAfter > $fds0 + 2} {
	    lappend failures "descriptors $fds0 at the start, $fdsAfter after\
		    round $r"
	}
	if {$rssOpen > $rssOpen1 + $slack || $rssAfter > $rssAfter1 + $slack} {
	    lappend failures "RSS grew in round $r: $rssOpen1 -> $rssOpen KiB\
		    open, $rssAfter1 -> $rssAfter KiB after the close"
	}
    }
}
if {[llength $failures]} {
    puts "FAIL: [join $failures {; }]"
    exit 1
}
puts ok
