# soak.tcl --
#
#	Load and leak check: one process runs a tls::socket server and
#	event-driven clients against it.
#
#	    tclsh soak.tcl CERTDIR SEQUENTIAL SIMULTANEOUS
#
#	Phase 1 makes SEQUENTIAL connections one after another (handshake,
#	one echoed line, close) and prints the RSS and open file descriptors
#	after the first 1000 and at the end. Phase 2 holds SIMULTANEOUS
#	connections open at once, closes them all and prints the descriptors
#	again. The last line is "ok" or "FAIL: reason"; the exit code agrees.

package require tls

lassign $argv certdir sequential simultaneous
set ca [file join $certdir ca.pem]

proc rss {} {
    set f [open /proc/self/status]
    set data [read $f]
    close $f
    regexp {VmRSS:\s+(\d+)} $data -> kb
    return $kb
}

proc fds {} {
    llength [glob -nocomplain -directory /proc/self/fd *]
}

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
set listener [tls::socket -server accept -myaddr 127.0.0.1 \
	-certfile [file join $certdir server.pem] \
	-keyfile [file join $certdir server.key] 0]
set port [lindex [fconfigure $listener -sockname] 2]

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

set chans {}
for {set i 1} {$i <= $simultaneous} {incr i} {
    lappend chans [client s$i]
}
for {set i 1} {$i <= $simultaneous} {incr i} {
    set r [wait_result s$i]
    if {$r ne "ok"} {
	lappend failures "simultaneous connection $i: $r"
	break
    }
}
puts "$simultaneous connections open: [fds] open descriptors"
foreach c $chans {
    close $c
}
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
