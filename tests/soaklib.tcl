# soaklib.tcl --
#
#	What the soak runs (soak.tcl, soak9.tcl) share: the process's resident
#	memory and its open descriptors, read from /proc.

proc rss {} {
    set f [open /proc/self/status]
    set data [read $f]
    close $f
    regexp {VmRSS:\s+(\d+)} $data -> kb
    return $kb
}

proc fds {} {
    llength [glob -nocomplain -directory /proc/self/fd *]
}
