# check-arm64.tcl DIR CAFILE CERTFILE KEYFILE PORT --
#
#	Run by packaging/check-arm64.sh inside an arm64 tclsh (under
#	qemu-user): loads the tls package from DIR (lappended to auto_path;
#	nothing else is set), then makes two HTTPS exchanges with Tcl's http
#	package, each verifying the server against CAFILE as localhost: one
#	with the openssl s_server on 127.0.0.1:PORT, one with a tls::socket
#	server in this interpreter that answers with CERTFILE and KEYFILE.
#	Prints one "name: value" line per finding; exits 1 at the first
#	failure. Every wait is bounded.

lassign $argv dir cafile certfile keyfile port
lappend auto_path $dir
puts "tcl: [info patchlevel] $tcl_platform(machine)"
puts "tls: [package require tls]"
puts "loaded: [lindex [lsearch -inline -index 1 [info loaded] Tls] 0]"
puts "openssl: [tls::version]"
package require http

proc connect {args} {
    tls::socket -require 1 -cafile $::cafile -servername localhost {*}$args
}
http::register https 443 connect

# fetch URL RE --
#	The status code of URL and the first line of its body that matches
#	RE, or an error saying what went wrong. HTTP/1.0: openssl s_server
#	-www answers without a length and closes.
proc fetch {url re} {
    set tok [http::geturl $url -timeout 60000 -protocol 1.0]
    try {
	if {[http::status $tok] ne "ok"} {
	    error "$url: [http::status $tok] [http::error $tok]"
	}
	set line [lsearch -inline -regexp [split [http::data $tok] \n] $re]
	if {$line eq ""} {
	    error "$url: no line matching $re in [http::data $tok]"
	}
	return "[http::ncode $tok], [string trim $line]"
    } finally {
	http::cleanup $tok
    }
}

# A minimal HTTP/1.0 server on a tls::socket: one response per connection.
proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -translation {auto binary}
    fileevent $chan readable [list request $chan]
}
proc request {chan} {
    if {[catch {gets $chan line} n] || ($n < 0 && [eof $chan])} {
	close $chan
	return
    }
    if {$n == 0} {
	set body "served by tls [package present tls] on $::tcl_platform(machine)\n"
	puts -nonewline $chan [join [list "HTTP/1.0 200 OK" \
	    "Content-Type: text/plain" \
	    "Content-Length: [string length $body]" "" $body] \r\n]
	close $chan
    }
}

if {[catch {
    puts "s_server: [fetch https://127.0.0.1:$port/ {Cipher is}]"
    set server [tls::socket -server accept -myaddr 127.0.0.1 \
	-certfile $certfile -keyfile $keyfile 0]
    set own [lindex [fconfigure $server -sockname] 2]
    puts "tls::socket server: [fetch https://127.0.0.1:$own/ {^served by}]"
    close $server
} msg]} {
    puts "FAILED: $msg"
    exit 1
}
puts "ok"
