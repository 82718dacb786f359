// Package tlsembed gives Go programs that embed Tcl through
// modernc.org/tcl (Tcl 8.6 translated to Go) the tls package: the same
// tls::* commands, channel driver, callbacks and OpenSSL layer that
// libtls.so gives C Tcl hosts, reached through the binding in
// tcl/modernc instead of the stubs table.
//
// One call gives a program a working interpreter, Tcl's script library
// included, with nothing to set up in the environment:
//
//	in, err := tlsembed.NewInterp()
//	if err != nil { ... }
//	defer in.Close()
//	_, err = in.Eval(`package require http; package require tls`)
//
// A failed script returns an *Error carrying Tcl's message and stack
// trace. Programs that create their interpreters themselves call Setup
// first and then InitHandle (or Register, for an interpreter already
// initialised) on each.
//
// It sits at the module root, beside cmd/ and not under tcl/, because it
// is a host's entry point (like cmd/libtls for C hosts), not part of the
// Tcl binding: programs import it, the package's own layers never do.
//
// Environment variables that OpenSSL reads (SSL_CERT_FILE, SSL_CERT_DIR,
// SSLKEYLOGFILE) behave as under C Tcl: modernc.org/libc keeps Tcl's env
// array in an environment of its own, which the C library OpenSSL uses
// never sees, so Register traces the env array and copies every change
// into the process environment.
//
// A process has one binding, so a program that uses tlsembed cannot also
// load libtls.so into a C Tcl. Interpreters must be driven from one
// goroutine at a time (see tcl/modernc).
package tlsembed

import (
	"fmt"
	"os"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/tcl/modernc"
	"github.com/tclgo/tls/tclext"
	"modernc.org/libc"
	mtcl "modernc.org/tcl"
)

// Version is the version of the tls package Register provides.
const Version = tclext.Version

// Register adds the tls package to a modernc.org/tcl interpreter: the
// tls::* commands, the script part, and `package provide tls`, so that
// `package require tls` succeeds at once. It does not initialise Tcl's
// script library (NewInterp and InitHandle do).
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
		ip := tcl.MakeInterp(interp)
		if err := tclext.Init(ip); err != nil {
			return err
		}
		ip.CreateCommand("::tls::_setenv", cmdSetenv)
		if ip.Eval(envTrace, tcl.EvalGlobal) != tcl.OK {
			return ip.Err()
		}
		return nil
	})
}

// envTrace copies changes of the env array into the process environment.
const envTrace = `
proc ::tls::_envtrace {name1 name2 op} {
    if {$name2 eq ""} return
    if {$op eq "unset" || ![info exists ::env($name2)]} {
	::tls::_setenv $name2
    } else {
	::tls::_setenv $name2 $::env($name2)
    }
}
trace add variable ::env {write unset} ::tls::_envtrace
`

// cmdSetenv implements ::tls::_setenv name ?value?: set or (without a
// value) unset a variable of the process environment, C library included.
func cmdSetenv(_ tcl.Interp, objv []tcl.Obj) error {
	switch len(objv) {
	case 2:
		return os.Unsetenv(objv[1].String())
	case 3:
		return os.Setenv(objv[1].String(), objv[2].String())
	}
	return tcl.WrongNumArgs("::tls::_setenv name ?value?")
}
