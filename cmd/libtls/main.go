// Command libtls is built with -buildmode=c-shared into the loadable Tcl
// extension: libtls.so against Tcl 8.6's headers and stubs library,
// libtcl9tls.so against Tcl 9.0's (the cgo flags differ, the source does
// not). `load libtls.so Tls` (or `package require tls` through
// pkgIndex.tcl, which picks the library for the running Tcl) calls
// Tls_Init. Nothing else is exported: a Go runtime cannot be unloaded, so
// there is no unload procedure.
package main

import "C"

import (
	"fmt"
	"unsafe"

	"github.com/tclgo/tls/internal/cgoentry"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/tcl/stubs"
	"github.com/tclgo/tls/tclext"
)

// Tls_Init is the package's init procedure for trusted interpreters.
//
//export Tls_Init
func Tls_Init(interp unsafe.Pointer) (code C.int) {
	cgoentry.Enter()
	return initInterp(interp)
}

// Tls_SafeInit is the init procedure for safe interpreters, which get the
// same commands: they reach the network only through channels the master
// interpreter gives them.
//
//export Tls_SafeInit
func Tls_SafeInit(interp unsafe.Pointer) (code C.int) {
	cgoentry.Enter()
	return initInterp(interp)
}

func initInterp(p unsafe.Pointer) (code C.int) {
	ip, err := stubs.InitStubs(p)
	if err != nil {
		return tcl.ERROR // Tcl_InitStubs left its message in the interpreter
	}
	defer func() {
		if r := recover(); r != nil {
			ip.SetResultString(fmt.Sprintf("tls: initialisation failed: %v", r))
			code = tcl.ERROR
		}
	}()
	if err := tclext.Init(ip); err != nil {
		ip.SetResultString(err.Error())
		return tcl.ERROR
	}
	return tcl.OK
}

func main() {}
