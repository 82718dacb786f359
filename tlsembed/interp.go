package tlsembed

import (
	"fmt"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/tcl/modernc"
	"modernc.org/libc"
	mtcl "modernc.org/tcl"
	lib "modernc.org/tcl/lib"
)

// Interp is a modernc.org/tcl interpreter ready for scripts: Tcl's
// script library is initialised (package require http, msgcat, ...
// work) and the tls package is registered. Eval, MustEval and Call
// report a failed script with Tcl's own message; every other method is
// modernc.org/tcl's. Like modernc.org/tcl's interpreters, it must be
// used from one goroutine at a time.
type Interp struct {
	*mtcl.Interp
}

// NewInterp returns a new interpreter with Tcl's script library and the
// tls package, preparing the process first (see Setup). Close it when
// done.
func NewInterp() (*Interp, error) {
	dir, err := Setup()
	if err != nil {
		return nil, err
	}
	in, err := mtcl.NewInterp()
	if err != nil {
		return nil, fmt.Errorf("tls: creating a Tcl interpreter: %w", err)
	}
	if err := initInterp(in.TLS(), in.Handle(), dir); err != nil {
		in.Close()
		return nil, err
	}
	return &Interp{in}, nil
}

// InitHandle does for an interpreter that the program created itself,
// known by its libc thread and Tcl_Interp address, what NewInterp does
// for its own: Tcl_Init, then Register. An application init procedure
// passed to Tcl_Main (see cmd/tlstclsh) calls it; Setup must have run.
// The error carries Tcl's message.
func InitHandle(tls *libc.TLS, interp uintptr) error {
	dir, err := Setup()
	if err != nil {
		return err
	}
	return initInterp(tls, interp, dir)
}

func initInterp(tls *libc.TLS, interp uintptr, dir string) error {
	if err := modernc.Install(); err != nil {
		return err
	}
	err := modernc.Call(tls, func() error {
		ip := tcl.MakeInterp(interp)
		// Tcl reads modernc.org/libc's copy of the environment, which
		// lacks TCL_LIBRARY when it was taken before Setup (another
		// interpreter created first); Tcl's env array writes through.
		if _, ok := ip.GetVar("::env(TCL_LIBRARY)", tcl.GlobalOnly); !ok {
			if err := ip.SetVar("::env(TCL_LIBRARY)", tcl.NewString(dir), tcl.GlobalOnly|tcl.LeaveErrMsg); err != nil {
				return fmt.Errorf("tls: setting env(TCL_LIBRARY): %w", err)
			}
		}
		if lib.XTcl_Init(tls, interp) != lib.TCL_OK {
			return fmt.Errorf("tls: Tcl_Init: %s", ip.Result().String())
		}
		return nil
	})
	if err != nil {
		return err
	}
	return RegisterHandle(tls, interp)
}

// Error is a script that failed: Tcl's error message, and where it
// came from.
type Error struct {
	Code      int    // Tcl's return code: 1 (error), 3 (break) or 4 (continue)
	Message   string // the interpreter's result: Tcl's error message
	ErrorInfo string // the Tcl stack trace ($::errorInfo), for code 1
	ErrorCode string // $::errorCode, for code 1, e.g. "POSIX ECONNREFUSED ..."
}

// Error returns Tcl's message.
func (e *Error) Error() string { return e.Message }

// Eval evaluates a script and returns its result, or an *Error with
// Tcl's message. A top-level return counts as success.
func (in *Interp) Eval(script string) (string, error) {
	return in.run(func(ip tcl.Interp) int { return ip.Eval(script, 0) })
}

// MustEval is Eval that panics with the *Error when the script fails.
func (in *Interp) MustEval(script string) string {
	s, err := in.Eval(script)
	if err != nil {
		panic(err)
	}
	return s
}

// Call runs one command given as its words, with no substitution: a Go
// string reaches Tcl as one argument, whatever it holds, with no
// quoting needed. It returns the result or an *Error, as Eval does.
func (in *Interp) Call(words ...string) (string, error) {
	if len(words) == 0 {
		return "", &Error{Code: tcl.ERROR, Message: "tls: Call needs a command name"}
	}
	return in.run(func(ip tcl.Interp) int {
		return ip.EvalObj(tcl.NewStringList(words), 0)
	})
}

// run evaluates with the interpreter's thread current and turns the
// outcome into a Go result.
func (in *Interp) run(eval func(tcl.Interp) int) (res string, err error) {
	if in.Interp == nil || in.Handle() == 0 {
		return "", &Error{Code: tcl.ERROR, Message: "tls: the interpreter is closed"}
	}
	callErr := modernc.Call(in.TLS(), func() error {
		ip := tcl.MakeInterp(in.Handle())
		ip.Preserve()
		defer ip.Release()
		code := eval(ip)
		res = ip.Result().String()
		switch code {
		case tcl.OK, tcl.RETURN:
			return nil
		case tcl.BREAK, tcl.CONTINUE:
			word := map[int]string{tcl.BREAK: "break", tcl.CONTINUE: "continue"}[code]
			err = &Error{Code: code, Message: `invoked "` + word + `" outside of a loop`}
			return nil
		}
		e := &Error{Code: code, Message: res}
		if code == tcl.ERROR {
			if o, ok := ip.GetVar("::errorInfo", tcl.GlobalOnly); ok {
				e.ErrorInfo = o.String()
			}
			if o, ok := ip.GetVar("::errorCode", tcl.GlobalOnly); ok {
				e.ErrorCode = o.String()
			}
		}
		err = e
		return nil
	})
	if callErr != nil {
		return "", callErr
	}
	if err != nil {
		return "", err
	}
	return res, nil
}

// Close deletes the interpreter. Closing it again does nothing.
func (in *Interp) Close() error {
	if in.Interp == nil || in.Handle() == 0 {
		return nil
	}
	return in.Interp.Close()
}
