# Tcl package index for the tls package (built in Go). One source gives
# two libraries: libtls.so for Tcl 8.6 and 8.7, libtcl9tls.so for Tcl 9.
# The choice is made here, before anything is loaded: a library for the
# other major version would start a second Go runtime in the process
# before it found out that it cannot serve this interpreter.
if {![package vsatisfies [package provide Tcl] 8.6-]} {
    return
}
if {[package vsatisfies [package provide Tcl] 9.0-]} {
    set lib [file join $dir libtcl9tls.so]
} else {
    set lib [file join $dir libtls.so]
}
if {[file exists $lib]} {
    package ifneeded tls 2.0.0 [list load $lib Tls]
}
unset lib
