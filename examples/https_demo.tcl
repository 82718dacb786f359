# https_demo.tcl --
#
#	Demonstrates the tls package end to end in one interpreter: an HTTPS
#	responder made with tls::socket -server on an ephemeral port, and
#	Tcl's http package fetching a page from it over a verified
#	connection.  Everything is event driven; nothing blocks.
#
#	Usage: TCLLIBPATH=build tclsh examples/https_demo.tcl CERTDIR
#	where CERTDIR holds ca.pem, server.pem and server.key (made by
#	tests/certs.sh).  Exits 0 when the page came back with status 200.

package require Tcl 8.6-
package require http 2
package require tls

if {[llength $argv] != 1} {
    puts stderr "usage: tclsh [info script] CERTDIR"
    exit 2
}
set certDir [lindex $argv 0]
foreach f {ca.pem server.pem server.key} {
    if {![file readable [file join $certDir $f]]} {
	puts stderr "missing [file join $certDir $f] (run tests/certs.sh)"
	exit 2
    }
}

set body "Hello from tls [package present tls] over HTTPS.\n"
set serverStatus {}

# Accept --
#
#	tls::socket -server callback: the channel is already a TLS channel;
#	its handshake starts by itself on the first read.

proc Accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering full -translation {auto crlf}
    fileevent $chan readable [list ReadRequest $chan]
}

# ReadRequest --
#
#	Reads the request head one line per event; at the blank line sends
#	the response and closes the connection (close sends close_notify).

proc ReadRequest {chan} {
    global body serverStatus
    if {[catch {gets $chan line} n]} {
	puts stderr "server: $n"
	catch {close $chan}
	return
    }
    if {$n < 0} {
	if {[eof $chan]} {
	    close $chan
	}
	return
    }
    if {$line ne ""} {
	return
    }
    set serverStatus [tls::status $chan]
    fileevent $chan readable {}
    puts $chan "HTTP/1.1 200 OK"
    puts $chan "Content-Type: text/plain; charset=utf-8"
    puts $chan "Content-Length: [string length $body]"
    puts $chan "Connection: close"
    puts $chan ""
    puts -nonewline $chan $body
    if {[catch {close $chan} msg]} {
	puts stderr "server: $msg"
    }
}

# Done --
#
#	http::geturl -command callback: records the finished token.

proc Done {token} {
    set ::finished $token
}

set listener [tls::socket -server Accept -myaddr 127.0.0.1 \
	-certfile [file join $certDir server.pem] \
	-keyfile [file join $certDir server.key] 0]
set port [lindex [fconfigure $listener -sockname] 2]

http::register https 443 [list ::tls::socket -autoservername 1 -require 1 \
	-cafile [file join $certDir ca.pem]]

set url https://localhost:$port/
puts "tls [package present tls] ([tls::version]), fetching $url"
set token [http::geturl $url -timeout 10000 -command Done]

# A safety net beyond http's own timeout.
set guard [after 20000 {set ::finished timeout}]
vwait ::finished
after cancel $guard

if {$finished eq "timeout"} {
    puts "no answer within 20 s"
    exit 1
}

set ncode [http::ncode $token]
puts "status: [http::status $token], HTTP code: $ncode"
if {[http::error $token] ne ""} {
    puts "error: [http::error $token]"
}
puts "body: [string trimright [http::data $token] \n]"
if {[dict exists $serverStatus protocol]} {
    puts "server side: protocol [dict get $serverStatus protocol],\
	    cipher [dict get $serverStatus cipher]"
}
http::cleanup $token
http::unregister https
close $listener
exit [expr {$ncode == 200 ? 0 : 1}]
