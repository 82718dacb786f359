package tcl

import (
	"fmt"
	"os"
	"runtime/cgo"
	"runtime/debug"
	"syscall"
)

// Binding is one way of reaching Tcl's C API. Handles are the addresses
// Tcl uses (Tcl_Interp*, Tcl_Obj*, Tcl_Channel, Tcl_DString*,
// Tcl_InterpState, Tcl_TimerToken) as uintptr; command, driver and timer
// handles are runtime/cgo.Handle values that the binding stores in
// Tcl's ClientData and hands back to the Invoke/Chan*/FireTimer
// functions below. Methods mirror the Tcl C function of the same name.
type Binding interface {
	// Interpreters.
	InterpDeleted(interp uintptr) bool
	Preserve(p uintptr)
	Release(p uintptr)
	PkgProvide(interp uintptr, name, version string) int
	CreateCommand(interp uintptr, name string, handle uintptr)
	SetObjResult(interp, obj uintptr)
	GetObjResult(interp uintptr) uintptr
	ResetResult(interp uintptr)
	EvalEx(interp uintptr, script string, flags int) int
	EvalObjEx(interp, obj uintptr, flags int) int
	SetObjErrorCode(interp, obj uintptr)
	AddErrorInfo(interp uintptr, msg string)
	BackgroundException(interp uintptr, code int)
	SaveInterpState(interp uintptr, code int) uintptr
	RestoreInterpState(interp, state uintptr) int
	// CallWhenDeleted and DontCallWhenDeleted register and cancel a
	// deletion notice whose handle goes to InterpDeleted.
	CallWhenDeleted(interp, handle uintptr)
	DontCallWhenDeleted(interp, handle uintptr)
	GetVar(interp uintptr, name string, flags int) uintptr
	SetVar(interp uintptr, name string, value uintptr, flags int) uintptr

	// Objects.
	NewStringObj(s string) uintptr
	NewWideIntObj(v int64) uintptr
	NewByteArrayObj(p []byte) uintptr
	NewListObj() uintptr
	ListAppend(interp, list, elem uintptr) int
	// ListElements returns the list's element array in Tcl's memory,
	// valid until the list changes.
	ListElements(interp, list uintptr) ([]uintptr, bool)
	GetString(obj uintptr) string
	GetByteArray(obj uintptr) []byte
	GetWideInt(interp, obj uintptr) (int64, bool)
	GetBoolean(interp, obj uintptr) (bool, bool)
	IncrRefCount(obj uintptr)
	DecrRefCount(obj uintptr)

	// Channels.
	GetChannel(interp uintptr, name string) uintptr
	ChannelName(ch uintptr) string
	ChannelTypeName(ch uintptr) string
	// InstanceHandle returns the driver handle of a channel of the
	// binding's own type, or false for any other type.
	InstanceHandle(ch uintptr) (uintptr, bool)
	StackedChannel(ch uintptr) uintptr
	TopChannel(ch uintptr) uintptr
	ChannelMode(ch uintptr) int
	ReadRaw(ch uintptr, p []byte) (int, syscall.Errno)
	WriteRaw(ch uintptr, p []byte) (int, syscall.Errno)
	InputBuffered(ch uintptr) int
	NotifyChannel(ch uintptr, mask int)
	GetChannelOption(interp, ch uintptr, name string) (string, bool)
	SetChannelOption(interp, ch uintptr, name, value string) int
	StackChannel(interp, handle uintptr, mask int, below uintptr) uintptr
	UnstackChannel(interp, ch uintptr) int
	SetChannelTypeName(name string)
	// SetChannelError leaves msg, with errorCode code when it is not
	// empty, for the next failing command on ch (see ChannelErrorObj).
	SetChannelError(ch uintptr, msg string, code []string)
	// HoldChannel and ReleaseChannel are Tcl_RegisterChannel and
	// Tcl_UnregisterChannel with no interpreter.
	HoldChannel(ch uintptr)
	ReleaseChannel(ch uintptr)
	IsChannelShared(ch uintptr) bool

	// The driver procedures of another channel, called directly.
	DriverWatch(ch uintptr, mask int)
	DriverBlockMode(ch uintptr, mode int) syscall.Errno
	DriverGetOption(ch, interp uintptr, name string, ds uintptr) int
	DriverSetOption(ch, interp uintptr, name, value string) int
	DriverGetHandle(ch uintptr, direction int) (uintptr, bool)
	DriverThreadAction(ch uintptr, action int)

	// A layer stacked by StackChannel, as a record that outlives its
	// Tcl channel until no call is under way in it (see Layer).
	// LayerOf returns it; LayerEnter and LayerLeave count a call the
	// driver starts itself, and LayerLeave reports whether it was the
	// last call out of a closed layer, whose record is then gone;
	// LayerDepth returns the calls under way, LayerEntries the calls
	// that have entered so far. The binding counts every
	// procedure of the layer that Tcl calls the same way, and after the
	// last one out of a closed layer calls ChanRelease.
	LayerOf(ch uintptr) uintptr
	LayerEnter(layer uintptr)
	LayerLeave(layer uintptr) bool
	LayerDepth(layer uintptr) int
	LayerEntries(layer uintptr) uint64

	// Dynamic strings and timers.
	DStringAppend(ds uintptr, s string)
	DStringAppendElement(ds uintptr, s string)
	CreateTimer(ms int, handle uintptr) uintptr
	DeleteTimer(token uintptr)
}

// b is the installed binding. It is set once, before any interpreter
// uses the package, and only read afterwards.
var b Binding

// typeName is the channel type's name, kept for a binding installed
// after SetChannelTypeName.
var typeName string

// Install makes bd the binding every call of this package goes through.
// A process has one binding: installing the same one again does
// nothing, installing a different one is an error.
func Install(bd Binding) error {
	if b != nil {
		if b == bd {
			return nil
		}
		return fmt.Errorf("tcl: binding %T already installed, cannot install %T", b, bd)
	}
	b = bd
	if typeName != "" {
		b.SetChannelTypeName(typeName)
	}
	return nil
}

// The functions below are the Go ends of a binding's trampolines: Tcl
// calls the binding, the binding calls these with the handle it stored.
// Each one recovers from panics, so nothing unwinds into Tcl.

// debugPanic prints a recovered panic with its stack when the
// TCLGO_DEBUG environment variable is set, so that a bug hidden behind an
// EIO can be found.
func debugPanic(r any) {
	if os.Getenv("TCLGO_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "tcl: panic in driver: %v\n%s", r, debug.Stack())
	}
}

// driverOf finds the Driver behind a channel instance handle.
func driverOf(h uintptr) Driver { return cgo.Handle(h).Value().(Driver) }

// Failer is a Driver that wants to hear of a panic recovered from one of
// its procedures: its state cannot be trusted afterwards, so it should
// fail the channel for good rather than go on.
type Failer interface {
	Panicked(v any)
}

// recovered handles a panic recovered from the procedure of the driver
// behind handle: it is printed when debugging and the driver is told.
func recovered(handle uintptr, r any) {
	debugPanic(r)
	defer func() { recover() }() // the handle itself may be what failed
	if f, ok := cgo.Handle(handle).Value().(Failer); ok {
		f.Panicked(r)
	}
}

// InvokeCommand runs the command registered under handle with the
// arguments objv and returns the Tcl result code.
func InvokeCommand(handle, interp uintptr, objv []uintptr) (code int) {
	ip := Interp{interp}
	defer func() {
		if r := recover(); r != nil {
			ip.SetResultString(fmt.Sprintf("internal error: %v", r))
			code = ERROR
		}
	}()
	fn := cgo.Handle(handle).Value().(CmdFunc)
	err := fn(ip, objs(objv))
	if err == nil {
		return OK
	}
	if err != ErrResult {
		ip.SetResultString(err.Error())
		if te, ok := err.(*Error); ok && len(te.Code) > 0 {
			ip.SetErrorCode(te.Code...)
		}
	}
	return ERROR
}

// DeleteCommand forgets a command's handle when Tcl deletes the command.
func DeleteCommand(handle uintptr) {
	defer func() { recover() }()
	cgo.Handle(handle).Delete()
}

// ChanClose closes a channel layer. The binding counts the close as a
// call of the layer, and calls ChanRelease when the last call leaves.
// With last, no other call is under way, so the close is that last call:
// ChanRelease runs here, after the close, and the binding does not call
// it (a second call from C into Go for every connection).
func ChanClose(handle, interp uintptr, last bool) (errno int) {
	defer func() {
		if r := recover(); r != nil {
			debugPanic(r)
			errno = int(syscall.EIO)
		}
		if last {
			ChanRelease(handle)
		}
	}()
	return int(driverOf(handle).Close(Interp{interp}))
}

// ChanRelease frees what a closed layer's driver holds (Driver.Release)
// and forgets its handle: no call is under way in the layer any more.
func ChanRelease(handle uintptr) {
	defer func() {
		if r := recover(); r != nil {
			debugPanic(r)
		}
	}()
	defer cgo.Handle(handle).Delete()
	driverOf(handle).Release()
}

// ChanInput is a channel layer's input procedure.
func ChanInput(handle uintptr, buf []byte) (n int, errno syscall.Errno) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			n, errno = -1, syscall.EIO
		}
	}()
	return driverOf(handle).Input(buf)
}

// ChanOutput is a channel layer's output procedure.
func ChanOutput(handle uintptr, buf []byte) (n int, errno syscall.Errno) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			n, errno = -1, syscall.EIO
		}
	}()
	return driverOf(handle).Output(buf)
}

// FastDriver is a Driver whose steady-state data path a binding runs in C
// (see FastBinding). When that path has done part of a read or write and
// meets something beyond plain byte moving, the driver carries on from
// there: InputDone with n bytes of plaintext already read into Tcl's
// buffer, OutputDone with n bytes of plaintext already taken and
// encrypted. Each returns what the input or output procedure returns.
type FastDriver interface {
	InputDone(n int) (int, syscall.Errno)
	OutputDone(n int) (int, syscall.Errno)
}

// ChanInputDone continues a read that a binding's C data path began.
func ChanInputDone(handle uintptr, n int) (m int, errno syscall.Errno) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			m, errno = -1, syscall.EIO
		}
	}()
	return driverOf(handle).(FastDriver).InputDone(n)
}

// ChanOutputDone continues a write that a binding's C data path began.
func ChanOutputDone(handle uintptr, n int) (m int, errno syscall.Errno) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			m, errno = -1, syscall.EIO
		}
	}()
	return driverOf(handle).(FastDriver).OutputDone(n)
}

// ChanSetOption is a channel layer's set-option procedure.
func ChanSetOption(handle, interp uintptr, name, value string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			code = ERROR
		}
	}()
	return driverOf(handle).SetOption(Interp{interp}, name, value)
}

// ChanGetOption is a channel layer's get-option procedure (name "" asks
// for every option).
func ChanGetOption(handle, interp uintptr, name string, ds uintptr) (code int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			code = ERROR
		}
	}()
	return driverOf(handle).GetOption(Interp{interp}, name, DString{ds})
}

// ChanTimer is a channel layer's timer firing (Channel.ArmTimer).
func ChanTimer(handle uintptr) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
		}
	}()
	driverOf(handle).Timer()
}

// ChanWatch is a channel layer's watch procedure.
func ChanWatch(handle uintptr, mask int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
		}
	}()
	driverOf(handle).Watch(mask)
}

// ChanGetHandle is a channel layer's get-handle procedure.
func ChanGetHandle(handle uintptr, direction int) (h uintptr, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			h, ok = 0, false
		}
	}()
	return driverOf(handle).Handle(direction)
}

// ChanBlockMode is a channel layer's block-mode procedure.
func ChanBlockMode(handle uintptr, mode int) (errno int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			errno = int(syscall.EIO)
		}
	}()
	return int(driverOf(handle).BlockMode(mode))
}

// ChanHandler is a channel layer's handler procedure.
func ChanHandler(handle uintptr, mask int) (out int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
			out = mask
		}
	}()
	return driverOf(handle).Handler(mask)
}

// ChanThreadAction is a channel layer's thread-action procedure.
func ChanThreadAction(handle uintptr, action int) {
	defer func() {
		if r := recover(); r != nil {
			recovered(handle, r)
		}
	}()
	driverOf(handle).ThreadAction(action)
}

// InterpDeleted runs the function of a notice made by OnDelete and
// forgets its handle.
func InterpDeleted(handle uintptr) { FireTimer(handle) }

// FireTimer runs the function of a timer made by After and forgets its
// handle.
func FireTimer(handle uintptr) {
	defer func() {
		if r := recover(); r != nil {
			debugPanic(r)
		}
	}()
	h := cgo.Handle(handle)
	fn := h.Value().(func())
	h.Delete()
	fn()
}
