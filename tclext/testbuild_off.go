//go:build !tlstest

package tclext

import "github.com/tclgo/tls/internal/tcl"

// initTestCommands adds nothing: only a test build of the library (build
// tag tlstest, testbuild.go) has the commands tests look inside with.
func initTestCommands(tcl.Interp) {}
