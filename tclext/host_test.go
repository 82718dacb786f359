package tclext_test

import (
	"runtime"
	"testing"

	"github.com/tclgo/tls/internal/tcl/tclhost"
	"github.com/tclgo/tls/tclext"
)

// newInterp returns an interpreter with the package loaded. The calling
// goroutine stays on its OS thread until the test ends, as Tcl requires.
// Without a Tcl library the test fails rather than skips: the tests and
// fuzz targets that need one would otherwise vanish from the results
// unnoticed (make deps installs it).
func newInterp(t testing.TB) *tclhost.Interp {
	t.Helper()
	runtime.LockOSThread()
	ip, err := tclhost.New()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("no Tcl interpreter (the Tcl 8.6 shared library; make deps installs it): %v", err)
	}
	if err := tclext.Init(ip.Interp); err != nil {
		t.Fatalf("init: %v", err)
	}
	t.Cleanup(func() {
		ip.Delete()
		runtime.UnlockOSThread()
	})
	return ip
}

func TestPackageLoads(t *testing.T) {
	ip := newInterp(t)
	v, err := ip.Eval("package present tls")
	if err != nil || v != tclext.Version {
		t.Fatalf("package present tls = %q, %v", v, err)
	}
	if _, err := ip.Eval("tls::import"); err == nil {
		t.Fatal("tls::import without arguments succeeded")
	}
}
