# mutual_tls.tcl --
#
#	Mutual TLS: the server requires a client certificate from its own CA
#	and reports who connected; a client without one is refused.
#
#	    tclsh mutual_tls.tcl CERTDIR
#
#	CERTDIR holds ca.pem, server.pem/.key and client.pem/.key.

package require tls

lassign $argv certdir
proc cert {name} {
    file join $::certdir $name
}

proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering line
    fileevent $chan readable [list greet $chan]
}

proc greet {chan} {
    if {[catch {tls::handshake $chan} done]} {
	puts "server: refused a client: $done"
	close $chan
	return
    }
    if {!$done} {
	return
    }
    fileevent $chan readable {}
    puts $chan "hello [dict get [tls::status $chan] subject]"
    close $chan
}

tls::socket -server accept -myaddr 127.0.0.1 \
	-certfile [cert server.pem] -keyfile [cert server.key] \
	-cafile [cert ca.pem] -request 1 -require 1 0
set port [lindex [fconfigure [lindex [chan names sock*] 0] -sockname] 2]

# connect --
#
#	Connects with the given extra options and returns the greeting or the
#	error.

proc connect {args} {
    set chan [tls::socket -cafile [cert ca.pem] -require 1 \
	    -servername localhost {*}$args 127.0.0.1 $::port]
    fconfigure $chan -blocking 0
    set ::reply ""
    fileevent $chan readable [list apply {{chan} {
	if {[catch {gets $chan line} n]} {
	    set ::reply "error: $n"
	} elseif {$n >= 0} {
	    set ::reply $line
	} elseif {[eof $chan]} {
	    set ::reply eof
	}
    }} $chan]
    set timer [after 10000 {set ::reply timeout}]
    vwait ::reply
    after cancel $timer
    close $chan
    return $::reply
}

puts "with a certificate: [connect -certfile [cert client.pem] \
	-keyfile [cert client.key]]"
puts "without one: [connect]"
after 200 {set ::settle 1}
vwait ::settle
