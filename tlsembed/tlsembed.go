// Package tlsembed gives Go programs that embed Tcl through
// modernc.org/tcl the tls package: the same tls::* commands, channel
// driver, callbacks and OpenSSL layer that libtls.so gives C Tcl hosts,
// reached through the binding in tcl/modernc instead of the stubs table.
//
//	in := tcl.MustNewInterp()       // modernc.org/tcl
//	if err := tlsembed.Register(in); err != nil { ... }
//	in.MustEval(`package require tls`)
//
// It sits at the module root, beside cmd/ and not under tcl/, because it
// is a host's entry point (like cmd/libtls for C hosts), not part of the
// Tcl binding: programs import it, the package's own layers never do.
//
// A process has one binding, so a program that uses tlsembed cannot also
// load libtls.so into a C Tcl. Interpreters must be driven from one
// goroutine at a time (see tcl/modernc).
package tlsembed

import (
	"fmt"

	"github.com/tclgo/tls/tcl"
	"github.com/tclgo/tls/tcl/modernc"
	"github.com/tclgo/tls/tclext"
	"modernc.org/libc"
	mtcl "modernc.org/tcl"
)

// Version is the version of the tls package Register provides.
const Version = tclext.Version

// Register adds the tls package to a modernc.org/tcl interpreter: the
// tls::* commands, the script part, and `package provide tls`, so that
// `package require tls` succeeds at once.
func Register(in *mtcl.Interp) error {
	return RegisterHandle(in.TLS(), in.Handle())
}

// RegisterHandle is Register for an interpreter known by its libc thread
// and Tcl_Interp address, as an application init procedure passed to
// Tcl_Main (see cmd/tlstclsh) receives it.
func RegisterHandle(tls *libc.TLS, interp uintptr) error {
	if err := modernc.Install(); err != nil {
		return err
	}
	return modernc.Call(tls, func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("tls: initialisation failed: %v", r)
			}
		}()
		return tclext.Init(tcl.MakeInterp(interp))
	})
}
