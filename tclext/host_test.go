package tclext_test

import (
	"runtime"
	"testing"

	"github.com/tclgo/tls/tcl/tclhost"
	"github.com/tclgo/tls/tclext"
)

// newInterp returns an interpreter with the package loaded. The calling
// goroutine stays on its OS thread until the test ends, as Tcl requires.
func newInterp(t testing.TB) *tclhost.Interp {
	t.Helper()
	runtime.LockOSThread()
	ip, err := tclhost.New()
	if err != nil {
		t.Skipf("no Tcl interpreter: %v", err)
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
