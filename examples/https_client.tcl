# https_client.tcl --
#
#	Fetches a URL over HTTPS with Tcl's http package, verifying the
#	server's certificate and name.
#
#	    tclsh https_client.tcl URL CAFILE
#
#	Prints the HTTP status code and the body. Exits 1 unless the status
#	is 200.

package require http
package require tls

lassign $argv url cafile
http::register https 443 [list ::tls::socket -require 1 -autoservername 1 \
	-cafile $cafile]

if {[catch {http::geturl $url -timeout 10000} token]} {
    # With tls, the message says why, e.g. "handshake failed: certificate
    # verify failed due to ..."
    puts stderr "error: $token"
    exit 1
}
set code [http::ncode $token]
puts "[http::status $token] $code"
puts -nonewline [http::data $token]
http::cleanup $token
exit [expr {$code == 200 ? 0 : 1}]
