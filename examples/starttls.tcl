# starttls.tcl --
#
#	STARTTLS as SMTP does it: a plain greeting and command, then both
#	ends secure the same connection with tls::import and go on over TLS.
#	Server and client run in this one process, event-driven.
#
#	    tclsh starttls.tcl CERTDIR
#
#	Prints the conversation as the client sees it.

package require tls

lassign $argv certdir

# The server side: plain until STARTTLS, then TLS.
proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering line -translation crlf
    puts $chan "220 mail.example ESMTP ready"
    fileevent $chan readable [list serve $chan]
}

proc serve {chan} {
    if {[catch {gets $chan line} n] || ($n < 0 && [eof $chan])} {
	catch {close $chan}
	return
    }
    if {$n < 0} {
	return
    }
    switch -glob -- $line {
	EHLO* {
	    puts $chan "250 STARTTLS"
	}
	STARTTLS {
	    puts $chan "220 go ahead"
	    flush $chan
	    tls::import $chan -server 1 -request 0 \
		    -certfile [file join $::certdir server.pem] \
		    -keyfile [file join $::certdir server.key]
	}
	MAIL* {
	    set protocol [dict get [tls::status $chan] protocol]
	    puts $chan "250 ok, sent over $protocol"
	}
	QUIT {
	    puts $chan "221 bye"
	    close $chan
	}
	default {
	    puts $chan "500 what?"
	}
    }
}

set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]

# The client side, as a coroutine so that it reads like a script.
proc expect {chan} {
    while {[gets $chan line] < 0} {
	if {[eof $chan]} {
	    error "connection closed"
	}
	yield
    }
    puts "S: $line"
    return $line
}

proc send {chan line} {
    puts "C: $line"
    puts $chan $line
}

proc client {port} {
    set chan [socket 127.0.0.1 $port]
    fconfigure $chan -blocking 0 -buffering line -translation crlf
    fileevent $chan readable [info coroutine]
    expect $chan
    send $chan "EHLO client.example"
    expect $chan
    send $chan STARTTLS
    expect $chan
    tls::import $chan -require 1 -servername localhost \
	    -cafile [file join $::certdir ca.pem]
    send $chan "MAIL FROM:<me@client.example>"
    expect $chan
    send $chan QUIT
    expect $chan
    close $chan
    set ::done ok
}

coroutine run client $port
after 10000 {set ::done timeout}
vwait ::done
puts $::done
exit [expr {$::done eq "ok" ? 0 : 1}]
