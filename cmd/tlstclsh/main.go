// Command tlstclsh is a Tcl shell built on modernc.org/tcl (Tcl 8.6
// translated to Go, no C Tcl needed) with the tls package registered:
// `package require tls` works at once.
//
//	go install github.com/tclgo/tls/cmd/tlstclsh@latest
//	tlstclsh script.tcl arg ...   # runs a script, argv0/argv/argc as in tclsh
//	tlstclsh                      # interactive prompt on stdin
//
// It is tclsh's own main loop (Tcl_Main) with an init procedure that
// runs Tcl_Init and registers tls.
//
// Tcl's script library (init.tcl, encodings, http, tcltest, msgcat, ...)
// is the copy embedded in modernc.org/tcl, so the shell needs no
// installed Tcl. It is written once into the user's cache directory
// (tlstclsh/tcl<patchlevel>-<module version>) and found through
// TCL_LIBRARY, which the shell sets in its environment (child
// interpreters and child tlstclsh processes need it too; a C tclsh of
// another patch level started from a script must be started without it:
// exec env -u TCL_LIBRARY tclsh ...). modernc.org/tcl's in-memory library
// file system is not used: it cannot list directories, which `encoding
// names`, and so the http package, needs. A TCL_LIBRARY set by the user
// wins. The system's Tcl
// library directories are deliberately not added to auto_path: their
// binary packages (Thread, for one) are built for C Tcl and cannot load
// here. TCLLIBPATH adds script-only package directories, as in tclsh.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"unsafe"

	"github.com/tclgo/tls/tlsembed"
	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	mtcl "modernc.org/tcl"
	lib "modernc.org/tcl/lib"
)

func main() {
	if os.Getenv("TCL_LIBRARY") == "" {
		dir, err := libraryDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "tlstclsh: Tcl library:", err)
			os.Exit(1)
		}
		os.Setenv("TCL_LIBRARY", dir)
	}
	tls := libc.NewTLS()
	// Child shells that the scripts start with [info nameofexecutable]
	// must find this binary, wherever and however it was started.
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	lib.XTcl_FindExecutable(tls, cString(exe))
	// Any interpreter of the process may `load {} Tls`; the index in the
	// library's parent directory (on every interpreter's auto_path) makes
	// `package require tls` do that in interpreters created later.
	lib.XTcl_StaticPackage(tls, 0, cString("Tls"), initAddr(), initAddr())
	argc, argv := cArgv(tls, os.Args)
	lib.XTcl_MainEx(tls, argc, argv, appInitAddr(), lib.XTcl_CreateInterp(tls))
}

// libraryDir returns the directory holding modernc.org/tcl's script
// library, writing it there first if needed. Several shells starting at
// once each write a private copy and rename it into place; the first
// rename wins.
func libraryDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	version := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "modernc.org/tcl" {
				version = m.Version
			}
		}
	}
	dir := filepath.Join(base, "tlstclsh", "tcl"+lib.TCL_PATCH_LEVEL+"-"+version)
	if err := writeIndex(dir); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "init.tcl")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".new-")
	if err != nil {
		return "", err
	}
	if err := mtcl.Library(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, "init.tcl")); serr != nil {
			return "", err
		}
	}
	return dir, nil
}

// appInit is the shell's application init procedure.
func appInit(tls *libc.TLS, interp uintptr) int32 {
	if lib.XTcl_Init(tls, interp) != lib.TCL_OK {
		return lib.TCL_ERROR
	}
	if tlsInit(tls, interp) != lib.TCL_OK {
		return lib.TCL_ERROR
	}
	name, rc := cString("tcl_rcFileName"), cString("~/.tclshrc")
	lib.XTcl_SetVar2Ex(tls, interp, name, 0, lib.XTcl_NewStringObj(tls, rc, -1), lib.TCL_GLOBAL_ONLY)
	return lib.TCL_OK
}

// tlsInit is the package's init procedure, for `load {} Tls`.
func tlsInit(tls *libc.TLS, interp uintptr) int32 {
	if err := tlsembed.RegisterHandle(tls, interp); err != nil {
		msg := cString(err.Error())
		lib.XTcl_SetObjResult(tls, interp, lib.XTcl_NewStringObj(tls, msg, -1))
		return lib.TCL_ERROR
	}
	return lib.TCL_OK
}

func initAddr() uintptr {
	f := tlsInit
	return *(*uintptr)(unsafe.Pointer(&f))
}

// writeIndex puts a pkgIndex.tcl for the static package beside the Tcl
// library, where package unknown finds it.
func writeIndex(libDir string) error {
	dir := filepath.Join(filepath.Dir(libDir), "tls"+tlsembed.Version)
	index := filepath.Join(dir, "pkgIndex.tcl")
	want := "package ifneeded tls " + tlsembed.Version + " [list load {} Tls]\n"
	if b, err := os.ReadFile(index); err == nil && string(b) == want {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := index + fmt.Sprintf(".%d", os.Getpid())
	if err := os.WriteFile(tmp, []byte(want), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, index)
}

// appInitAddr is appInit as the C function pointer Tcl_Main calls.
func appInitAddr() uintptr {
	f := appInit
	return *(*uintptr)(unsafe.Pointer(&f))
}

// cString copies s into libc memory, kept for the process's life.
func cString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err)
	}
	return p
}

// cArgv builds a C argv array (NULL-terminated) in libc memory.
func cArgv(tls *libc.TLS, args []string) (int32, uintptr) {
	size := unsafe.Sizeof(uintptr(0))
	argv := libc.Xcalloc(tls, types.Size_t(len(args)+1), types.Size_t(size))
	slots := unsafe.Slice((*uintptr)(*(*unsafe.Pointer)(unsafe.Pointer(&argv))), len(args)+1)
	for k, a := range args {
		slots[k] = cString(a)
	}
	return int32(len(args)), argv
}
