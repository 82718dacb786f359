package tlsembed

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"unsafe"

	"modernc.org/libc"
	mtcl "modernc.org/tcl"
	lib "modernc.org/tcl/lib"
)

// setup is what Setup did, once per process.
var setup struct {
	once sync.Once
	dir  string    // Tcl's script library
	err  error     // why it could not be prepared
	tls  *libc.TLS // the thread Setup ran Tcl on, kept for the process's life
}

// Setup prepares the process for Tcl interpreters that use the package;
// NewInterp calls it, and so must a program that creates its
// interpreters itself (as cmd/tlstclsh does with Tcl_Main) before the
// first one. It runs once; later calls return the first call's answer:
// the directory of Tcl's script library.
//
// The script library (init.tcl, encodings, http, msgcat, tcltest, ...)
// is the copy embedded in modernc.org/tcl, so no installed Tcl is
// needed. It is written once into the user's cache directory
// (tclgo-tls/tcl<patchlevel>-<module version> under os.UserCacheDir, or
// under os.TempDir without one) and found through TCL_LIBRARY, which
// Setup sets in the process environment, so that child interpreters
// and child processes of the same program find it too. A TCL_LIBRARY
// set beforehand wins and is used as it is. modernc.org/tcl's
// in-memory library file system is not used: it cannot list
// directories, which `encoding names`, and so the http package, needs.
//
// Setup also tells Tcl the executable's name ([info nameofexecutable])
// and registers the package as a static one, so that any interpreter
// of the process may `load {} Tls`; beside the written library, a
// pkgIndex.tcl makes `package require tls` do that in interpreters
// that scripts create ([interp create]).
func Setup() (string, error) {
	setup.once.Do(func() {
		setup.dir, setup.err = prepare()
	})
	return setup.dir, setup.err
}

func prepare() (string, error) {
	// TCL_LIBRARY goes into the environment first: modernc.org/libc takes
	// its copy of the environment, the one Tcl reads, from the process's
	// when it is first needed, which may be the next call into Tcl.
	dir := os.Getenv("TCL_LIBRARY")
	if dir == "" {
		var err error
		if dir, err = libraryDir(); err != nil {
			return "", fmt.Errorf("tls: Tcl's script library: %w", err)
		}
		if err := os.Setenv("TCL_LIBRARY", dir); err != nil {
			return "", fmt.Errorf("tls: setting TCL_LIBRARY: %w", err)
		}
	}
	setup.tls = libc.NewTLS()
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	lib.XTcl_FindExecutable(setup.tls, cString(exe))
	lib.XTcl_StaticPackage(setup.tls, 0, cString("Tls"), funcAddr(pkgInit), funcAddr(pkgInit))
	return dir, nil
}

// libraryDir returns the directory holding modernc.org/tcl's script
// library, writing it there first if needed. Several processes starting
// at once each write a private copy and rename it into place; the first
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
				if m.Replace != nil && m.Replace.Version != "" {
					version = m.Replace.Version
				}
			}
		}
	}
	dir := filepath.Join(base, "tclgo-tls", "tcl"+lib.TCL_PATCH_LEVEL+"-"+version)
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

// writeIndex puts a pkgIndex.tcl for the static package beside the Tcl
// library directory libDir: init.tcl puts that library's parent on
// every interpreter's auto_path, where package unknown finds it.
func writeIndex(libDir string) error {
	dir := filepath.Join(filepath.Dir(libDir), "tls"+Version)
	index := filepath.Join(dir, "pkgIndex.tcl")
	want := "package ifneeded tls " + Version + " [list load {} Tls]\n"
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

// pkgInit is the static package's init procedure, for `load {} Tls`,
// in trusted and safe interpreters alike (as Tls_SafeInit of libtls.so).
func pkgInit(tls *libc.TLS, interp uintptr) int32 {
	if err := RegisterHandle(tls, interp); err != nil {
		setResult(tls, interp, err.Error())
		return lib.TCL_ERROR
	}
	return lib.TCL_OK
}

// setResult sets an interpreter's result to a string.
func setResult(tls *libc.TLS, interp uintptr, s string) {
	p := cString(s)
	defer libc.Xfree(tls, p)
	lib.XTcl_SetObjResult(tls, interp, lib.XTcl_NewStringObj(tls, p, -1))
}

// funcAddr is a Go function as the C function pointer modernc.org/tcl
// calls.
func funcAddr[F any](f F) uintptr { return *(*uintptr)(unsafe.Pointer(&f)) }

// cString copies s into libc memory. Tcl keeps the strings Setup gives
// it; the others are freed by their callers.
func cString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err)
	}
	return p
}
