// Package version holds the package version, in one place: the Tcl
// package provides it, the Makefile reads it from this file (for
// pkgIndex.tcl, the install directory, the Debian package and the release
// tarball), and tlsembed reports it.
//
// 2.1 is a TclTLS 2.0.1 drop-in (it satisfies `package require tls
// 2.0.1`), secure by default, and keeps scripts written for 1.7 and the
// 2023 manual working.
package version

// Tcl is the version that `package require tls` gives. The Makefile reads
// it with sed: keep it a string constant on one line.
const Tcl = "2.1.0"
