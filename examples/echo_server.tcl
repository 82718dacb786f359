# echo_server.tcl --
#
#	A non-blocking, event-driven TLS echo server: every line a client
#	sends comes back. Any number of clients are served at once.
#
#	    tclsh echo_server.tcl CERTDIR ?PORT?
#
#	Prints "listening on PORT" when ready.

package require tls

lassign $argv certdir port
if {$port eq ""} {
    set port 0
}

proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering line
    fileevent $chan readable [list echo $chan]
}

proc echo {chan} {
    if {[catch {gets $chan line} n]} {
	# A failed handshake or a broken connection: this client only.
	puts stderr "$chan: $n"
	catch {close $chan}
	return
    }
    if {$n >= 0} {
	puts $chan $line
    } elseif {[eof $chan]} {
	close $chan
    }
}

set server [tls::socket -server accept -request 0 \
	-certfile [file join $certdir server.pem] \
	-keyfile [file join $certdir server.key] $port]
puts "listening on [lindex [fconfigure $server -sockname] 2]"
flush stdout
vwait forever
