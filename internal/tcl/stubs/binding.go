// Package stubs binds package tcl to a C Tcl through its stubs table: the
// binding of libtls.so, which any Tcl 8.6 host (tclsh, wish, an
// application embedding libtcl) loads with `load` or `package require`,
// and of libtcl9tls.so, the same source compiled against Tcl 9.0's
// headers and stubs library for Tcl 9 hosts.
//
// The two header sets differ in the C type of lengths: Tcl_Size, which
// is int in Tcl 8.6 and ptrdiff_t in Tcl 9. This package converts
// between C.Tcl_Size and Go's int at its edge, so package tcl sees Go
// types only and needs no build tags.
//
// InitStubs, called first in the package's init procedure, sets up the
// stubs table and installs the binding. Tcl's pointers travel as
// uintptr handles; glue.c casts them back, so the Go side needs no
// unsafe conversions of handles.
package stubs

/*
#cgo CFLAGS: -DUSE_TCL_STUBS -Wall -Werror=incompatible-pointer-types
#include "glue.h"
*/
import "C"

import (
	"errors"
	"syscall"
	"unsafe"

	"github.com/tclgo/tls/internal/tcl"
)

// Binding is the stubs binding. Its zero value is ready once the stubs
// table is set up.
type Binding struct{}

// binding is the one Binding; InitStubs hands it to tcl.Install, so the
// compiler checks that Binding implements tcl.Binding.
var binding = &Binding{}

// InitStubs sets up the stubs table for the interpreter Tcl handed to the
// package's init procedure, installs the binding into package tcl and
// returns the interpreter.
func InitStubs(interp unsafe.Pointer) (tcl.Interp, error) {
	h := C.uintptr_t(uintptr(interp))
	if msg := C.tclgo_InitStubs(h); msg != nil {
		return tcl.Interp{}, errors.New(C.GoString(msg))
	}
	if err := tcl.Install(binding); err != nil {
		return tcl.Interp{}, err
	}
	return tcl.MakeInterp(uintptr(interp)), nil
}

type h = C.uintptr_t

// cstr copies a Go string into C memory; the caller frees it.
func cstr(s string) *C.char { return C.CString(s) }

func free(p *C.char) { C.free(unsafe.Pointer(p)) }

// InterpDeleted implements tcl.Binding.
func (*Binding) InterpDeleted(interp uintptr) bool { return C.tclgo_InterpDeleted(h(interp)) != 0 }

// Preserve implements tcl.Binding.
func (*Binding) Preserve(p uintptr) { C.tclgo_Preserve(h(p)) }

// Release implements tcl.Binding.
func (*Binding) Release(p uintptr) { C.tclgo_Release(h(p)) }

// PkgProvide implements tcl.Binding.
func (*Binding) PkgProvide(interp uintptr, name, version string) int {
	cn, cv := cstr(name), cstr(version)
	defer free(cn)
	defer free(cv)
	return int(C.tclgo_PkgProvide(h(interp), cn, cv))
}

// CreateCommand implements tcl.Binding.
func (*Binding) CreateCommand(interp uintptr, name string, handle uintptr) {
	cs := cstr(name)
	defer free(cs)
	C.tclgo_CreateObjCommand(h(interp), cs, C.uintptr_t(handle))
}

// SetObjResult implements tcl.Binding.
func (*Binding) SetObjResult(interp, obj uintptr) { C.tclgo_SetObjResult(h(interp), h(obj)) }

// GetObjResult implements tcl.Binding.
func (*Binding) GetObjResult(interp uintptr) uintptr {
	return uintptr(C.tclgo_GetObjResult(h(interp)))
}

// ResetResult implements tcl.Binding.
func (*Binding) ResetResult(interp uintptr) { C.tclgo_ResetResult(h(interp)) }

// EvalEx implements tcl.Binding.
func (*Binding) EvalEx(interp uintptr, script string, flags int) int {
	cs := cstr(script)
	defer free(cs)
	return int(C.tclgo_EvalEx(h(interp), cs, C.Tcl_Size(len(script)), C.int(flags)))
}

// EvalObjEx implements tcl.Binding.
func (*Binding) EvalObjEx(interp, obj uintptr, flags int) int {
	return int(C.tclgo_EvalObjEx(h(interp), h(obj), C.int(flags)))
}

// SetObjErrorCode implements tcl.Binding.
func (*Binding) SetObjErrorCode(interp, obj uintptr) { C.tclgo_SetObjErrorCode(h(interp), h(obj)) }

// AddErrorInfo implements tcl.Binding.
func (*Binding) AddErrorInfo(interp uintptr, msg string) {
	cs := cstr(msg)
	defer free(cs)
	C.tclgo_AddErrorInfo(h(interp), cs)
}

// BackgroundException implements tcl.Binding.
func (*Binding) BackgroundException(interp uintptr, code int) {
	C.tclgo_BackgroundException(h(interp), C.int(code))
}

// SaveInterpState implements tcl.Binding.
func (*Binding) SaveInterpState(interp uintptr, code int) uintptr {
	return uintptr(C.tclgo_SaveInterpState(h(interp), C.int(code)))
}

// RestoreInterpState implements tcl.Binding.
func (*Binding) RestoreInterpState(interp, state uintptr) int {
	return int(C.tclgo_RestoreInterpState(h(interp), h(state)))
}

// GetVar implements tcl.Binding.
func (*Binding) GetVar(interp uintptr, name string, flags int) uintptr {
	cs := cstr(name)
	defer free(cs)
	return uintptr(C.tclgo_GetVar(h(interp), cs, C.int(flags)))
}

// SetVar implements tcl.Binding.
func (*Binding) SetVar(interp uintptr, name string, value uintptr, flags int) uintptr {
	cs := cstr(name)
	defer free(cs)
	return uintptr(C.tclgo_SetVar(h(interp), cs, h(value), C.int(flags)))
}

// NewStringObj implements tcl.Binding.
func (*Binding) NewStringObj(s string) uintptr {
	if len(s) == 0 {
		return uintptr(C.tclgo_NewStringObj(nil, 0))
	}
	p := unsafe.Pointer(unsafe.StringData(s))
	return uintptr(C.tclgo_NewStringObj((*C.char)(p), C.Tcl_Size(len(s))))
}

// NewWideIntObj implements tcl.Binding.
func (*Binding) NewWideIntObj(v int64) uintptr {
	return uintptr(C.tclgo_NewWideIntObj(C.Tcl_WideInt(v)))
}

// NewByteArrayObj implements tcl.Binding.
func (*Binding) NewByteArrayObj(p []byte) uintptr {
	if len(p) == 0 {
		return uintptr(C.tclgo_NewByteArrayObj(nil, 0))
	}
	return uintptr(C.tclgo_NewByteArrayObj((*C.uchar)(unsafe.Pointer(&p[0])), C.Tcl_Size(len(p))))
}

// NewListObj implements tcl.Binding.
func (*Binding) NewListObj() uintptr { return uintptr(C.tclgo_NewListObj()) }

// ListAppend implements tcl.Binding.
func (*Binding) ListAppend(interp, list, elem uintptr) int {
	return int(C.tclgo_ListAppend(h(interp), h(list), h(elem)))
}

// ListElements implements tcl.Binding.
func (*Binding) ListElements(interp, list uintptr) ([]uintptr, bool) {
	var n C.Tcl_Size
	var v *C.uintptr_t
	if C.tclgo_ListElements(h(interp), h(list), &n, &v) != tcl.OK {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	return unsafe.Slice((*uintptr)(unsafe.Pointer(v)), int(n)), true
}

// GetString implements tcl.Binding.
func (*Binding) GetString(obj uintptr) string {
	var n C.Tcl_Size
	s := C.tclgo_GetString(h(obj), &n)
	if n <= 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(s)), int(n)))
}

// GetByteArray implements tcl.Binding.
func (*Binding) GetByteArray(obj uintptr) []byte {
	var n C.Tcl_Size
	p := C.tclgo_GetByteArray(h(obj), &n)
	if p == nil || n <= 0 {
		return []byte{}
	}
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))...)
}

// GetWideInt implements tcl.Binding.
func (*Binding) GetWideInt(interp, obj uintptr) (int64, bool) {
	var v C.Tcl_WideInt
	ok := C.tclgo_GetWideInt(h(interp), h(obj), &v) == tcl.OK
	return int64(v), ok
}

// GetBoolean implements tcl.Binding.
func (*Binding) GetBoolean(interp, obj uintptr) (bool, bool) {
	var v C.int
	ok := C.tclgo_GetBoolean(h(interp), h(obj), &v) == tcl.OK
	return v != 0, ok
}

// IncrRefCount implements tcl.Binding.
func (*Binding) IncrRefCount(obj uintptr) { C.tclgo_IncrRefCount(h(obj)) }

// DecrRefCount implements tcl.Binding.
func (*Binding) DecrRefCount(obj uintptr) { C.tclgo_DecrRefCount(h(obj)) }

// GetChannel implements tcl.Binding.
func (*Binding) GetChannel(interp uintptr, name string) uintptr {
	cs := cstr(name)
	defer free(cs)
	return uintptr(C.tclgo_GetChannel(h(interp), cs))
}

// ChannelName implements tcl.Binding.
func (*Binding) ChannelName(ch uintptr) string {
	return C.GoString(C.tclgo_GetChannelName(h(ch)))
}

// ChannelTypeName implements tcl.Binding.
func (*Binding) ChannelTypeName(ch uintptr) string {
	return C.GoString(C.tclgo_GetChannelTypeName(h(ch)))
}

// InstanceHandle implements tcl.Binding.
func (*Binding) InstanceHandle(ch uintptr) (uintptr, bool) {
	var v C.uintptr_t
	if C.tclgo_InstanceHandle(h(ch), &v) == 0 {
		return 0, false
	}
	return uintptr(v), true
}

// StackedChannel implements tcl.Binding.
func (*Binding) StackedChannel(ch uintptr) uintptr {
	return uintptr(C.tclgo_GetStackedChannel(h(ch)))
}

// TopChannel implements tcl.Binding.
func (*Binding) TopChannel(ch uintptr) uintptr { return uintptr(C.tclgo_GetTopChannel(h(ch))) }

// ChannelMode implements tcl.Binding.
func (*Binding) ChannelMode(ch uintptr) int { return int(C.tclgo_GetChannelMode(h(ch))) }

// ReadRaw implements tcl.Binding.
func (*Binding) ReadRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	var e C.int
	n := C.tclgo_ReadRaw(h(ch), (*C.char)(unsafe.Pointer(&p[0])), C.Tcl_Size(len(p)), &e)
	return int(n), syscall.Errno(e)
}

// WriteRaw implements tcl.Binding.
func (*Binding) WriteRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	var e C.int
	n := C.tclgo_WriteRaw(h(ch), (*C.char)(unsafe.Pointer(&p[0])), C.Tcl_Size(len(p)), &e)
	return int(n), syscall.Errno(e)
}

// InputBuffered implements tcl.Binding.
func (*Binding) InputBuffered(ch uintptr) int { return int(C.tclgo_InputBuffered(h(ch))) }

// NotifyChannel implements tcl.Binding.
func (*Binding) NotifyChannel(ch uintptr, mask int) { C.tclgo_NotifyChannel(h(ch), C.int(mask)) }

// GetChannelOption implements tcl.Binding.
func (bd *Binding) GetChannelOption(interp, ch uintptr, name string) (string, bool) {
	cs := cstr(name)
	defer free(cs)
	var v C.uintptr_t
	if C.tclgo_GetChannelOption(h(interp), h(ch), cs, &v) != tcl.OK {
		return "", false
	}
	bd.IncrRefCount(uintptr(v))
	defer bd.DecrRefCount(uintptr(v))
	return bd.GetString(uintptr(v)), true
}

// SetChannelOption implements tcl.Binding.
func (*Binding) SetChannelOption(interp, ch uintptr, name, value string) int {
	cn, cv := cstr(name), cstr(value)
	defer free(cn)
	defer free(cv)
	return int(C.tclgo_SetChannelOption(h(interp), h(ch), cn, cv))
}

// StackChannel implements tcl.Binding.
func (*Binding) StackChannel(interp, handle uintptr, mask int, below uintptr) uintptr {
	return uintptr(C.tclgo_StackChannel(h(interp), C.uintptr_t(handle), C.int(mask), h(below)))
}

// UnstackChannel implements tcl.Binding.
func (*Binding) UnstackChannel(interp, ch uintptr) int {
	return int(C.tclgo_UnstackChannel(h(interp), h(ch)))
}

// SetChannelTypeName implements tcl.Binding.
func (*Binding) SetChannelTypeName(name string) {
	C.tclgo_SetChannelTypeName(cstr(name)) // kept for the process's life
}

// SetChannelError implements tcl.Binding.
func (bd *Binding) SetChannelError(ch uintptr, msg string, code []string) {
	C.tclgo_SetChannelError(h(ch), h(tcl.ChannelErrorObj(bd, msg, code)))
}

// DriverWatch implements tcl.Binding.
func (*Binding) DriverWatch(ch uintptr, mask int) { C.tclgo_DriverWatch(h(ch), C.int(mask)) }

// DriverBlockMode implements tcl.Binding.
func (*Binding) DriverBlockMode(ch uintptr, mode int) syscall.Errno {
	return syscall.Errno(C.tclgo_DriverBlockMode(h(ch), C.int(mode)))
}

// DriverGetOption implements tcl.Binding.
func (*Binding) DriverGetOption(ch, interp uintptr, name string, ds uintptr) int {
	var cs *C.char
	if name != "" {
		cs = cstr(name)
		defer free(cs)
	}
	return int(C.tclgo_DriverGetOption(h(ch), h(interp), cs, h(ds)))
}

// DriverSetOption implements tcl.Binding.
func (*Binding) DriverSetOption(ch, interp uintptr, name, value string) int {
	cn, cv := cstr(name), cstr(value)
	defer free(cn)
	defer free(cv)
	return int(C.tclgo_DriverSetOption(h(ch), h(interp), cn, cv))
}

// DriverGetHandle implements tcl.Binding.
func (*Binding) DriverGetHandle(ch uintptr, direction int) (uintptr, bool) {
	var v C.uintptr_t
	if C.tclgo_DriverGetHandle(h(ch), C.int(direction), &v) != tcl.OK {
		return 0, false
	}
	return uintptr(v), true
}

// DriverThreadAction implements tcl.Binding.
func (*Binding) DriverThreadAction(ch uintptr, action int) {
	C.tclgo_DriverThreadAction(h(ch), C.int(action))
}

// DStringAppend implements tcl.Binding.
func (*Binding) DStringAppend(ds uintptr, s string) {
	cs := cstr(s)
	defer free(cs)
	C.tclgo_DStringAppend(h(ds), cs, C.Tcl_Size(len(s)))
}

// DStringAppendElement implements tcl.Binding.
func (*Binding) DStringAppendElement(ds uintptr, s string) {
	cs := cstr(s)
	defer free(cs)
	C.tclgo_DStringAppendElement(h(ds), cs)
}

// CreateTimer implements tcl.Binding.
func (*Binding) CreateTimer(ms int, handle uintptr) uintptr {
	return uintptr(C.tclgo_CreateTimer(C.int(ms), C.uintptr_t(handle)))
}

// DeleteTimer implements tcl.Binding.
func (*Binding) DeleteTimer(token uintptr) { C.tclgo_DeleteTimer(h(token)) }

// HoldChannel implements tcl.Binding.
func (*Binding) HoldChannel(ch uintptr) { C.tclgo_HoldChannel(h(ch)) }

// ReleaseChannel implements tcl.Binding.
func (*Binding) ReleaseChannel(ch uintptr) { C.tclgo_ReleaseChannel(h(ch)) }

// IsChannelShared implements tcl.Binding.
func (*Binding) IsChannelShared(ch uintptr) bool { return C.tclgo_IsChannelShared(h(ch)) != 0 }

// CallWhenDeleted implements tcl.Binding.
func (*Binding) CallWhenDeleted(interp, handle uintptr) {
	C.tclgo_CallWhenDeleted(h(interp), C.uintptr_t(handle))
}

// DontCallWhenDeleted implements tcl.Binding.
func (*Binding) DontCallWhenDeleted(interp, handle uintptr) {
	C.tclgo_DontCallWhenDeleted(h(interp), C.uintptr_t(handle))
}

// constant returns the value of tcl.h's constant number which, in the
// order of glue.c's table.
func constant(which int) int { return int(C.tclgo_Constant(C.int(which))) }

// SetFastIO implements tcl.FastBinding.
func (*Binding) SetFastIO(ch, table, stream uintptr) {
	C.tclgo_SetFastIO(h(ch), C.uintptr_t(table), C.uintptr_t(stream))
}

// Below implements tcl.FastBinding.
func (*Binding) Below(ch uintptr) uintptr { return uintptr(C.tclgo_Below(h(ch))) }

// SetPlan implements tcl.FastBinding.
func (*Binding) SetPlan(ch uintptr, p tcl.Plan) {
	C.tclgo_SetPlan(h(ch), cbool(p.Fast), cbool(p.Drain), C.int(p.Upper),
		C.int(p.Pass), C.int(p.Report), C.int(p.Release))
}

func cbool(v bool) C.int {
	if v {
		return 1
	}
	return 0
}

// LayerOf implements tcl.Binding.
func (*Binding) LayerOf(ch uintptr) uintptr { return uintptr(C.tclgo_LayerOf(h(ch))) }

// LayerEnter implements tcl.Binding.
func (*Binding) LayerEnter(layer uintptr) { C.tclgo_LayerEnter(C.uintptr_t(layer)) }

// LayerLeave implements tcl.Binding.
func (*Binding) LayerLeave(layer uintptr) bool { return C.tclgo_LayerLeave(C.uintptr_t(layer)) != 0 }

// LayerDepth implements tcl.Binding.
func (*Binding) LayerDepth(layer uintptr) int { return int(C.tclgo_LayerDepth(C.uintptr_t(layer))) }

// LayerEntries implements tcl.Binding.
func (*Binding) LayerEntries(layer uintptr) uint64 {
	return uint64(C.tclgo_LayerEntries(C.uintptr_t(layer)))
}

// ArmTimer implements tcl.FastBinding.
func (*Binding) ArmTimer(ch uintptr) { C.tclgo_ArmTimer(h(ch)) }

// CancelTimer implements tcl.FastBinding.
func (*Binding) CancelTimer(ch uintptr) { C.tclgo_CancelTimer(h(ch)) }
