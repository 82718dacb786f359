//go:build tlstest

package tclext

import (
	"github.com/tclgo/tls/internal/cgoentry"
	"github.com/tclgo/tls/internal/tcl"
)

// The commands of a test build of the library (build tag tlstest), which
// the tests and the benchmark load: the library users get has none of
// them (testbuild_off.go).

// initTestCommands adds tls::_contexts, and tls::_crossings while calls
// from C into Go are counted (TLS_COUNT_CROSSINGS set).
func initTestCommands(interp tcl.Interp) {
	interp.CreateCommand("::tls::_contexts", cmdContexts)
	if cgoentry.Enabled() {
		interp.CreateCommand("::tls::_crossings", cmdCrossings)
	}
}

// cmdContexts is tls::_contexts: how many OpenSSL contexts the process has
// built, so that tests can see the cache at work.
func cmdContexts(interp tcl.Interp, objv []tcl.Obj) error {
	contexts.Lock()
	n := contexts.created
	contexts.Unlock()
	interp.SetResult(tcl.NewInt(int64(n)))
	return nil
}

// cmdCrossings is tls::_crossings: the calls from C into Go so far, in
// the whole process.
func cmdCrossings(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResult(tcl.NewInt(int64(cgoentry.Total())))
	return nil
}
