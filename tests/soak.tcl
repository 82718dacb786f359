# soak.tcl --
#
#	Load and leak check: one process runs a tls::socket server and
#	event-driven clients against it.
#
#	    tclsh soak.tcl CERTDIR SEQUENTIAL SIMULTANEOUS
#
#	Phase 1 makes SEQUENTIAL connections one after another (handshake,
#	one echoed line, close) and prints the RSS and open file descriptors
#	after the first 1000 and at the end. Phase 2 has a child process hold
#	SIMULTANEOUS connections open at once (Tcl's select-based notifier
#	cannot watch descriptors past 1023, so both ends of 1000 connections
#	cannot live in one process), closes them all and prints the server's
#	descriptors again. The last line is "ok" or "FAIL: reason"; the exit
#	code agrees.
#
#	    tclsh soak.tcl -clients CERTDIR PORT N
#
#	is that child: it prints "open N" once N connections echoed a line,
#	then closes them when a line arrives on its standard input.

package require tls

if {[lindex $argv 0] eq "-clients"} {
    lassign $argv - certdir port count
    set mode clients
} else {
    lassign $argv certdir sequential simultaneous
    set mode server
}
set ca [file join $certdir ca.pem]

source [file join [file dirname [info script]] soaklib.tcl]

# The server: echoes lines, non-blocking.
proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering line
    fileevent $chan readable [list serve $chan]
}
proc serve {chan} {
    if {[catch {gets $chan line} n] || ($n < 0 && [eof $chan])} {
	close $chan
	return
    }
    if {$n >= 0} {
	puts $chan $line
    }
}

# One client connection: resolves ::result($id) with "ok" or an error.
proc client {id} {
    set c [tls::socket -cafile $::ca -require 1 -servername localhost \
	    127.0.0.1 $::port]
    fconfigure $c -blocking 0 -buffering line
    fileevent $c readable [list client_read $c $id]
    puts $c "hello $id"
    return $c
}
proc client_read {c id} {
    if {[catch {gets $c line} n]} {
	set ::result($id) "error: $n"
    } elseif {$n >= 0} {
	set ::result($id) [expr {$line eq "hello $id" ? "ok" : "bad: $line"}]
    } elseif {[eof $c]} {
	set ::result($id) eof
    } else {
	return
    }
    fileevent $c readable {}
}

proc wait_result {id} {
    set timer [after 10000 [list set ::result($id) timeout]]
    while {![info exists ::result($id)]} {
	vwait ::result($id)
    }
    after cancel $timer
    return $::result($id)
}

# The child of phase 2.
if {$mode eq "clients"} {
    set chans {}
    for {set i 1} {$i <= $count} {incr i} {
	lappend chans [client $i]
    }
    set bad 0
    for {set i 1} {$i <= $count} {incr i} {
	if {[wait_result $i] ne "ok"} {
	    incr bad
	}
    }
    puts "open [expr {$count - $bad}]"
    flush stdout
    gets stdin
    foreach c $chans {
	close $c
    }
    exit 0
}

set listener [tls::socket -server accept -myaddr 127.0.0.1 \
	-certfile [file join $certdir server.pem] \
	-keyfile [file join $certdir server.key] 0]
set port [lindex [fconfigure $listener -sockname] 2]

set failures {}
set rss0 0
set fds0 0
for {set i 1} {$i <= $sequential} {incr i} {
    set c [client $i]
    set r [wait_result $i]
    close $c
    unset ::result($i)
    if {$r ne "ok"} {
	lappend failures "connection $i: $r"
	if {[llength $failures] > 10} {
	    break
	}
    }
    if {$i == min(1000, $sequential)} {
	update
	set rss0 [rss]
	set fds0 [fds]
	puts "after $i connections: RSS $rss0 KiB, $fds0 open descriptors"
    }
}
# Let the server side see the last closes.
after 200 {set ::settled 1}
vwait ::settled
set rss1 [rss]
set fds1 [fds]
puts "after $sequential connections: RSS $rss1 KiB, $fds1 open descriptors"

set child [open |[list [info nameofexecutable] [info script] -clients \
	$certdir $port $simultaneous 2>@1] r+]
fconfigure $child -blocking 0 -buffering line
set ::childLine ""
fileevent $child readable {
    if {[gets $child line] >= 0} {
	set ::childLine $line
    } elseif {[eof $child]} {
	set ::childLine eof
    }
}
set timer [after 120000 {set ::childLine timeout}]
while {$::childLine eq ""} {
    vwait ::childLine
}
after cancel $timer
if {$::childLine ne "open $simultaneous"} {
    lappend failures "simultaneous connections: $::childLine"
}
puts "$simultaneous connections open: [fds] open descriptors"
puts $child close
fconfigure $child -blocking 1
catch {close $child}
after 500 {set ::settled 1}
vwait ::settled
set fds2 [fds]
puts "after closing them: $fds2 open descriptors"

# Bounds: descriptors back where they were; RSS within 16 MiB of its
# level after the first 1000 connections.
if {$fds1 > $fds0 + 2 || $fds2 > $fds0 + 2} {
    lappend failures "descriptors grew from $fds0 to $fds1 / $fds2"
}
if {$rss1 > $rss0 + 16384} {
    lappend failures "RSS grew from $rss0 KiB to $rss1 KiB"
}
if {[llength $failures]} {
    puts "FAIL: [join $failures {; }]"
    exit 1
}
puts ok
