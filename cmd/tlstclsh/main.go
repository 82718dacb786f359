// Command tlstclsh is a Tcl shell built on modernc.org/tcl (Tcl 8.6
// translated to Go, no C Tcl needed) with the tls package registered:
// `package require tls` works at once. From a clone of the module:
//
//	go build ./cmd/tlstclsh       # or make tlstclsh (build/tlstclsh)
//	tlstclsh script.tcl arg ...   # runs a script, argv0/argv/argc as in tclsh
//	tlstclsh                      # interactive prompt on stdin
//
// It is tclsh's own main loop (Tcl_Main) with an init procedure that
// runs Tcl_Init and registers tls (tlsembed.InitHandle), after
// tlsembed.Setup has prepared the process: Tcl's script library, found
// through TCL_LIBRARY, is modernc.org/tcl's own copy written once into
// the user's cache directory, so the shell needs no installed Tcl; and
// `load {} Tls` works in every interpreter, the ones scripts create
// included. A C tclsh of another patch level started from a script
// must be started without that TCL_LIBRARY (exec env -u TCL_LIBRARY
// tclsh ...). The system's Tcl library directories are deliberately
// not added to auto_path: their binary packages (Thread, for one) are
// built for C Tcl and cannot load here. TCLLIBPATH adds script-only
// package directories, as in tclsh.
package main

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/tclgo/tls/tlsembed"
	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	lib "modernc.org/tcl/lib"
)

func main() {
	if _, err := tlsembed.Setup(); err != nil {
		fmt.Fprintln(os.Stderr, "tlstclsh:", err)
		os.Exit(1)
	}
	tls := libc.NewTLS()
	argc, argv := cArgv(tls, os.Args)
	lib.XTcl_MainEx(tls, argc, argv, funcAddr(appInit), lib.XTcl_CreateInterp(tls))
}

// appInit is the shell's application init procedure. When it fails,
// Tcl_Main prints its result and goes on, as tclsh does.
func appInit(tls *libc.TLS, interp uintptr) int32 {
	if err := tlsembed.InitHandle(tls, interp); err != nil {
		msg := cString(err.Error())
		lib.XTcl_SetObjResult(tls, interp, lib.XTcl_NewStringObj(tls, msg, -1))
		libc.Xfree(tls, msg)
		return lib.TCL_ERROR
	}
	name, rc := cString("tcl_rcFileName"), cString("~/.tclshrc")
	lib.XTcl_SetVar2Ex(tls, interp, name, 0, lib.XTcl_NewStringObj(tls, rc, -1), lib.TCL_GLOBAL_ONLY)
	return lib.TCL_OK
}

// funcAddr is a Go function as the C function pointer Tcl_Main calls.
func funcAddr[F any](f F) uintptr { return *(*uintptr)(unsafe.Pointer(&f)) }

// cString copies s into libc memory.
func cString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err)
	}
	return p
}

// cArgv builds a C argv array (NULL-terminated) in libc memory, kept for
// the process's life.
func cArgv(tls *libc.TLS, args []string) (int32, uintptr) {
	size := unsafe.Sizeof(uintptr(0))
	argv := libc.Xcalloc(tls, types.Size_t(len(args)+1), types.Size_t(size))
	slots := unsafe.Slice((*uintptr)(*(*unsafe.Pointer)(unsafe.Pointer(&argv))), len(args)+1)
	for k, a := range args {
		slots[k] = cString(a)
	}
	return int32(len(args)), argv
}
