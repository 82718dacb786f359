# all.tcl --
#
#	Runs the tls test suite: every *.test file in this directory, each in
#	its own tclsh.  Command line arguments go to tcltest::configure, so
#	-file, -match, -skip, -verbose and friends work.  Exits 1 if any test
#	failed.
#
#	The test certificates are generated (once) into $env(TLS_TEST_CERTS)
#	or <repo>/build/test-certs.

package require Tcl 8.6-
package require tcltest 2
namespace import -force ::tcltest::*

set testDir [file dirname [file normalize [info script]]]
set repoDir [file dirname $testDir]

tcltest::configure -testdir $testDir
tcltest::configure -singleproc 0
tcltest::configure {*}$argv

# Certificates first, so that the test files (run in parallel processes
# later) find them ready.
if {[info exists env(TLS_TEST_CERTS)] && $env(TLS_TEST_CERTS) ne ""} {
    set certDir [file normalize $env(TLS_TEST_CERTS)]
} else {
    set certDir [file join $repoDir build test-certs]
}
set env(TLS_TEST_CERTS) $certDir
if {[catch {exec sh [file join $testDir certs.sh] $certDir} msg]} {
    puts stderr "certs.sh failed: $msg"
    exit 1
}

# Show which tls package the test files will load.
set require {}
if {[info exists env(TLS_TEST_REQUIRE)]} {
    set require $env(TLS_TEST_REQUIRE)
}
if {[catch {package require tls {*}$require} version]} {
    puts "tls package: cannot load: $version"
} else {
    puts "tls package: $version"
    set how [string trim [package ifneeded tls $version]]
    puts "loaded by: $how"
    if {![catch {tls::version} v]} {
	puts "tls::version: $v"
    }
}
if {[info exists env(TCLLIBPATH)]} {
    puts "TCLLIBPATH: $env(TCLLIBPATH)"
}
puts "interpreter: [info nameofexecutable] (Tcl [info patchlevel])"
puts "certificates: $certDir"

set failed [tcltest::runAllTests]
exit [expr {$failed ? 1 : 0}]
