# https_server.tcl --
#
#	A small HTTPS server: answers every GET with a greeting.
#
#	    tclsh https_server.tcl CERTDIR ?PORT?
#
#	CERTDIR holds server.pem and server.key. PORT 0 (the default) picks a
#	free port; the script prints "listening on PORT" when it is ready.

package require tls

lassign $argv certdir port
if {$port eq ""} {
    set port 0
}

proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -translation {auto crlf} -buffering full
    fileevent $chan readable [list request $chan]
}

# request --
#
#	Reads the request line and headers; answers once the blank line
#	arrives.

proc request {chan} {
    if {[catch {gets $chan line} n] || ($n < 0 && [eof $chan])} {
	catch {close $chan}
	return
    }
    if {$n < 0} {
	return
    }
    if {![info exists ::path($chan)]} {
	set ::path($chan) [lindex $line 1]
	return
    }
    if {$line ne ""} {
	return
    }
    set protocol [dict get [tls::status $chan] protocol]
    set body "Hello from tls [package present tls] over $protocol, you asked for $::path($chan)\n"
    unset ::path($chan)
    puts $chan "HTTP/1.1 200 OK"
    puts $chan "Content-Type: text/plain"
    puts $chan "Content-Length: [string length $body]"
    puts $chan "Connection: close"
    puts $chan ""
    puts -nonewline $chan $body
    flush $chan
    close $chan
}

set server [tls::socket -server accept -request 0 \
	-certfile [file join $certdir server.pem] \
	-keyfile [file join $certdir server.key] $port]
puts "listening on [lindex [fconfigure $server -sockname] 2]"
flush stdout
vwait forever
