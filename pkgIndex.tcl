# Tcl package index for the tls package (libtls.so, built in Go).
if {![package vsatisfies [package provide Tcl] 8.6-]} {
    return
}
package ifneeded tls 2.0.0 [list load [file join $dir libtls.so] Tls]
