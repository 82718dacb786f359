// Package tcl is the package's Tcl API: the interpreters, objects,
// channels, timers and channel drivers that channel/, callbacks/ and
// tclext/ work with, in plain Go.
//
// It calls no Tcl itself. A binding, installed once at start-up with
// Install, reaches a real Tcl: package tcl/stubs goes through the stubs
// table of a C Tcl that loaded libtls.so, package tcl/modernc calls
// modernc.org/tcl, Tcl translated to Go. Values here are small structs
// holding the binding's uintptr handles (a Tcl_Interp*, a Tcl_Obj*, a
// Tcl_Channel), so passing them around costs nothing and a call costs
// one interface dispatch. The code above this package is the same for
// every host.
package tcl

import (
	"errors"
	"fmt"
	"runtime/cgo"
)

// Result codes of Tcl commands and evaluations.
const (
	OK       = 0
	ERROR    = 1
	RETURN   = 2
	BREAK    = 3
	CONTINUE = 4
)

// Flags for evaluation and variable access (the values of tcl.h, which
// every binding checks in its tests).
const (
	EvalGlobal  = 0x20000 // TCL_EVAL_GLOBAL
	GlobalOnly  = 1       // TCL_GLOBAL_ONLY
	LeaveErrMsg = 0x200   // TCL_LEAVE_ERR_MSG
)

// Interp is a Tcl interpreter owned by Tcl. The zero value is no
// interpreter.
type Interp struct{ p uintptr }

// MakeInterp wraps a binding's interpreter handle. Bindings and hosts
// use it; the rest of the package gets interpreters from Tcl.
func MakeInterp(p uintptr) Interp { return Interp{p} }

// Handle returns the binding's handle of the interpreter.
func (i Interp) Handle() uintptr { return i.p }

// IsZero reports whether i names no interpreter.
func (i Interp) IsZero() bool { return i.p == 0 }

// Deleted reports whether the interpreter is being deleted.
func (i Interp) Deleted() bool { return b.InterpDeleted(i.p) }

// Preserve keeps the interpreter's memory alive until Release, so that a
// channel may hold on to the interpreter that created it.
func (i Interp) Preserve() { b.Preserve(i.p) }

// Release undoes one Preserve.
func (i Interp) Release() { b.Release(i.p) }

// PkgProvide declares that the interpreter has package name at version.
func (i Interp) PkgProvide(name, version string) error {
	if b.PkgProvide(i.p, name, version) != OK {
		return i.Err()
	}
	return nil
}

// SetResult sets the interpreter's result.
func (i Interp) SetResult(o Obj) { b.SetObjResult(i.p, o.p) }

// SetResultString sets the interpreter's result to a string.
func (i Interp) SetResultString(s string) { i.SetResult(NewString(s)) }

// Result returns the interpreter's result object.
func (i Interp) Result() Obj { return Obj{b.GetObjResult(i.p)} }

// ResetResult empties the result and the error state.
func (i Interp) ResetResult() { b.ResetResult(i.p) }

// Err turns the interpreter's current result into a Go error.
func (i Interp) Err() error { return errors.New(i.Result().String()) }

// Eval evaluates a script and returns the Tcl result code.
func (i Interp) Eval(script string, flags int) int { return b.EvalEx(i.p, script, flags) }

// EvalObj evaluates a script object (a command prefix with appended
// arguments, usually) and returns the Tcl result code.
func (i Interp) EvalObj(o Obj, flags int) int {
	o.IncrRef()
	defer o.DecrRef()
	return b.EvalObjEx(i.p, o.p, flags)
}

// SetErrorCode sets errorCode to the list of words.
func (i Interp) SetErrorCode(words ...string) {
	b.SetObjErrorCode(i.p, NewStringList(words).p)
}

// AddErrorInfo appends to errorInfo.
func (i Interp) AddErrorInfo(msg string) { b.AddErrorInfo(i.p, msg) }

// BackgroundError reports the current error (result and options) to the
// interpreter's background error handler (interp bgerror).
func (i Interp) BackgroundError(code int) { b.BackgroundException(i.p, code) }

// State is a saved interpreter result and error state.
type State struct{ s uintptr }

// SaveState saves the result, error state and return options, so a
// callback script can run without disturbing the script that caused it.
func (i Interp) SaveState(code int) State { return State{b.SaveInterpState(i.p, code)} }

// RestoreState puts back a saved state and returns its code.
func (i Interp) RestoreState(s State) int { return b.RestoreInterpState(i.p, s.s) }

// GetVar returns a variable's value, or ok false when it does not exist.
func (i Interp) GetVar(name string, flags int) (Obj, bool) {
	o := b.GetVar(i.p, name, flags)
	return Obj{o}, o != 0
}

// SetVar sets a variable.
func (i Interp) SetVar(name string, v Obj, flags int) error {
	if b.SetVar(i.p, name, v.p, flags) == 0 {
		return i.Err()
	}
	return nil
}

// Error is a Tcl error with an optional errorCode, returned by command
// functions.
type Error struct {
	Msg  string
	Code []string // errorCode words; empty leaves Tcl's default NONE
}

func (e *Error) Error() string { return e.Msg }

// Errorf formats a plain Tcl error.
func Errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// CmdFunc implements a Tcl command. It returns nil after setting the
// result, or an error whose text becomes the result of a TCL_ERROR.
// ErrResult means the interpreter's result already holds the message.
type CmdFunc func(interp Interp, objv []Obj) error

// ErrResult is returned by a CmdFunc whose error message is already the
// interpreter's result (left by a Tcl API call).
var ErrResult = errors.New("error in interpreter result")

// CreateCommand registers a Go function as a Tcl command.
func (i Interp) CreateCommand(name string, fn CmdFunc) {
	h := cgo.NewHandle(fn)
	b.CreateCommand(i.p, name, uintptr(h))
}

// WrongNumArgs returns the standard "wrong # args" error.
func WrongNumArgs(usage string) error {
	return &Error{Msg: "wrong # args: should be \"" + usage + "\"", Code: []string{"TCL", "WRONGARGS"}}
}
