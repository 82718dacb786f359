// Package tcl is the package's only door to the Tcl C API. Tcl is reached
// through the stubs table, so the library loads into any Tcl 8.6 host
// (tclsh, wish, an embedding application) without linking libtcl.
//
// C types stay inside this package; other packages see Interp, Obj,
// Channel and the Driver interface. The C side (glue.c) holds one-line
// wrappers for the stubs entries and the trampolines of the channel type.
package tcl

/*
#cgo CFLAGS: -DUSE_TCL_STUBS
#include "glue.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/cgo"
	"unsafe"
)

// Result codes of Tcl commands and evaluations.
const (
	OK       = 0
	ERROR    = 1
	RETURN   = 2
	BREAK    = 3
	CONTINUE = 4
)

// Flags for evaluation and variable access.
const (
	EvalGlobal  = C.TCL_EVAL_GLOBAL
	GlobalOnly  = C.TCL_GLOBAL_ONLY
	LeaveErrMsg = C.TCL_LEAVE_ERR_MSG
)

// Interp is a Tcl interpreter owned by Tcl. The zero value is no
// interpreter.
type Interp struct{ p *C.Tcl_Interp }

// InitStubs sets up the stubs table for the interpreter Tcl handed to the
// package's init procedure (as an untyped pointer, because C types do not
// cross package boundaries) and returns it as an Interp.
func InitStubs(interp unsafe.Pointer) (Interp, error) {
	ip := Interp{(*C.Tcl_Interp)(interp)}
	if msg := C.tclgo_InitStubs(ip.p); msg != nil {
		return Interp{}, errors.New(C.GoString(msg))
	}
	return ip, nil
}

// IsZero reports whether i names no interpreter.
func (i Interp) IsZero() bool { return i.p == nil }

// Deleted reports whether the interpreter is being deleted.
func (i Interp) Deleted() bool { return C.tclgo_InterpDeleted(i.p) != 0 }

// Preserve keeps the interpreter's memory alive until Release, so that a
// channel may hold on to the interpreter that created it.
func (i Interp) Preserve() { C.tclgo_Preserve(unsafe.Pointer(i.p)) }

// Release undoes one Preserve.
func (i Interp) Release() { C.tclgo_Release(unsafe.Pointer(i.p)) }

// PkgProvide declares that the interpreter has package name at version.
func (i Interp) PkgProvide(name, version string) error {
	cn, cv := C.CString(name), C.CString(version)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	if C.tclgo_PkgProvide(i.p, cn, cv) != OK {
		return i.Err()
	}
	return nil
}

// SetResult sets the interpreter's result.
func (i Interp) SetResult(o Obj) { C.tclgo_SetObjResult(i.p, o.p) }

// SetResultString sets the interpreter's result to a string.
func (i Interp) SetResultString(s string) { i.SetResult(NewString(s)) }

// Result returns the interpreter's result object.
func (i Interp) Result() Obj { return Obj{C.tclgo_GetObjResult(i.p)} }

// ResetResult empties the result and the error state.
func (i Interp) ResetResult() { C.tclgo_ResetResult(i.p) }

// Err turns the interpreter's current result into a Go error.
func (i Interp) Err() error { return errors.New(i.Result().String()) }

// Eval evaluates a script and returns the Tcl result code.
func (i Interp) Eval(script string, flags int) int {
	cs := C.CString(script)
	defer C.free(unsafe.Pointer(cs))
	return int(C.tclgo_EvalEx(i.p, cs, C.int(len(script)), C.int(flags)))
}

// EvalObj evaluates a script object (a command prefix with appended
// arguments, usually) and returns the Tcl result code.
func (i Interp) EvalObj(o Obj, flags int) int {
	o.IncrRef()
	defer o.DecrRef()
	return int(C.tclgo_EvalObjEx(i.p, o.p, C.int(flags)))
}

// SetErrorCode sets errorCode to the list of words.
func (i Interp) SetErrorCode(words ...string) {
	l := NewList()
	for _, w := range words {
		l.Append(NewString(w))
	}
	C.tclgo_SetObjErrorCode(i.p, l.p)
}

// AddErrorInfo appends to errorInfo.
func (i Interp) AddErrorInfo(msg string) {
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	C.tclgo_AddErrorInfo(i.p, cs)
}

// BackgroundError reports the current error (result and options) to the
// interpreter's background error handler (interp bgerror).
func (i Interp) BackgroundError(code int) { C.tclgo_BackgroundException(i.p, C.int(code)) }

// State is a saved interpreter result and error state.
type State struct{ s C.Tcl_InterpState }

// SaveState saves the result, error state and return options, so a
// callback script can run without disturbing the script that caused it.
func (i Interp) SaveState(code int) State {
	return State{C.tclgo_SaveInterpState(i.p, C.int(code))}
}

// RestoreState puts back a saved state and returns its code.
func (i Interp) RestoreState(s State) int { return int(C.tclgo_RestoreInterpState(i.p, s.s)) }

// GetVar returns a variable's value, or ok false when it does not exist.
func (i Interp) GetVar(name string, flags int) (Obj, bool) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	o := C.tclgo_GetVar(i.p, cs, C.int(flags))
	return Obj{o}, o != nil
}

// SetVar sets a variable.
func (i Interp) SetVar(name string, v Obj, flags int) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if C.tclgo_SetVar(i.p, cs, v.p, C.int(flags)) == nil {
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
// result, or an error whose text becomes the result of a TCL_ERROR. An
// error of type *ResultError means the interpreter's result already holds
// the message.
type CmdFunc func(interp Interp, objv []Obj) error

// ErrResult is returned by a CmdFunc whose error message is already the
// interpreter's result (left by a Tcl API call).
var ErrResult = errors.New("error in interpreter result")

// CreateCommand registers a Go function as a Tcl command.
func (i Interp) CreateCommand(name string, fn CmdFunc) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	h := cgo.NewHandle(fn)
	C.tclgo_CreateObjCommand(i.p, cs, C.uintptr_t(h))
}

// WrongNumArgs returns the standard "wrong # args" error.
func WrongNumArgs(usage string) error {
	return &Error{Msg: "wrong # args: should be \"" + usage + "\"", Code: []string{"TCL", "WRONGARGS"}}
}
