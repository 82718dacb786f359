package tcl

/*
#include "glue.h"
*/
import "C"

import (
	"runtime/cgo"
	"syscall"
	"unsafe"
)

// Event and mode masks of channels.
const (
	Readable  = C.TCL_READABLE
	Writable  = C.TCL_WRITABLE
	Exception = C.TCL_EXCEPTION
)

// Modes given to a driver's BlockMode.
const (
	ModeBlocking    = C.TCL_MODE_BLOCKING
	ModeNonblocking = C.TCL_MODE_NONBLOCKING
)

// Thread actions given to a driver's ThreadAction.
const (
	ChannelThreadInsert = C.TCL_CHANNEL_THREAD_INSERT
	ChannelThreadRemove = C.TCL_CHANNEL_THREAD_REMOVE
)

// Channel is a Tcl channel (one layer of a stack).
type Channel struct{ p C.Tcl_Channel }

// IsZero reports whether c is no channel.
func (c Channel) IsZero() bool { return c.p == nil }

// GetChannel finds a channel by name, as Tcl_GetChannel does: the result
// is the top of the channel's stack. On failure the interpreter's result
// holds Tcl's message.
func (i Interp) GetChannel(name string) (Channel, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var mode C.int
	ch := C.tclgo_GetChannel(i.p, cs, &mode)
	if ch == nil {
		return Channel{}, ErrResult
	}
	return Channel{ch}, nil
}

// Name returns the channel's name (shared by every layer of a stack).
func (c Channel) Name() string { return C.GoString(C.tclgo_GetChannelName(c.p)) }

// TypeName returns the name of the channel's driver type.
func (c Channel) TypeName() string { return C.GoString(C.tclgo_GetChannelTypeName(c.p)) }

// Below returns the channel under c in its stack, or the zero Channel.
func (c Channel) Below() Channel { return Channel{C.tclgo_GetStackedChannel(c.p)} }

// Top returns the top of c's stack.
func (c Channel) Top() Channel { return Channel{C.tclgo_GetTopChannel(c.p)} }

// Mode returns the channel's Readable|Writable mask.
func (c Channel) Mode() int { return int(C.tclgo_GetChannelMode(c.p)) }

// Driver returns the Go driver of a channel stacked by Stack, or nil when
// the channel belongs to another driver type.
func (c Channel) Driver() Driver {
	if C.tclgo_IsOurChannel(c.p) == 0 {
		return nil
	}
	h := cgo.Handle(C.tclgo_GetInstanceHandle(c.p))
	d, _ := h.Value().(Driver)
	return d
}

// ReadRaw reads bytes from the channel's driver, bypassing its buffers
// (except input pushed back below a stacked layer). It returns the count,
// 0 at end of file, or -1 and the errno (EAGAIN when nothing is there
// on a non-blocking channel).
func (c Channel) ReadRaw(p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	var e C.int
	n := C.tclgo_ReadRaw(c.p, (*C.char)(unsafe.Pointer(&p[0])), C.int(len(p)), &e)
	return int(n), syscall.Errno(e)
}

// WriteRaw writes bytes straight to the channel's driver. It returns the
// count written (possibly short on a non-blocking channel) or -1 and the
// errno.
func (c Channel) WriteRaw(p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	var e C.int
	n := C.tclgo_WriteRaw(c.p, (*C.char)(unsafe.Pointer(&p[0])), C.int(len(p)), &e)
	return int(n), syscall.Errno(e)
}

// InputBuffered returns the bytes waiting in the channel's input buffers.
func (c Channel) InputBuffered() int { return int(C.tclgo_InputBuffered(c.p)) }

// Notify tells Tcl that events in mask happened on the channel.
func (c Channel) Notify(mask int) { C.tclgo_NotifyChannel(c.p, C.int(mask)) }

// Option reads a channel option through the generic layer.
func (c Channel) Option(interp Interp, name string) (string, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var v *C.Tcl_Obj
	if C.tclgo_GetChannelOption(interp.p, c.p, cs, &v) != OK {
		return "", ErrResult
	}
	o := Obj{v}
	o.IncrRef()
	defer o.DecrRef()
	return o.String(), nil
}

// SetOption sets a channel option through the generic layer.
func (c Channel) SetOption(interp Interp, name, value string) error {
	cn, cv := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	if C.tclgo_SetChannelOption(interp.p, c.p, cn, cv) != OK {
		return ErrResult
	}
	return nil
}

// DriverWatch calls the channel's own watch procedure: how a stacked
// layer tells the layer below which events it needs.
func (c Channel) DriverWatch(mask int) { C.tclgo_DriverWatch(c.p, C.int(mask)) }

// DriverBlockMode calls the channel's own block-mode procedure.
func (c Channel) DriverBlockMode(mode int) syscall.Errno {
	return syscall.Errno(C.tclgo_DriverBlockMode(c.p, C.int(mode)))
}

// DriverGetOption calls the channel's own get-option procedure, appending
// to ds (name "" asks for every option).
func (c Channel) DriverGetOption(interp Interp, name string, ds DString) int {
	var cs *C.char
	if name != "" {
		cs = C.CString(name)
		defer C.free(unsafe.Pointer(cs))
	}
	return int(C.tclgo_DriverGetOption(c.p, interp.p, cs, ds.p))
}

// DriverSetOption calls the channel's own set-option procedure.
func (c Channel) DriverSetOption(interp Interp, name, value string) int {
	cn, cv := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	return int(C.tclgo_DriverSetOption(c.p, interp.p, cn, cv))
}

// DriverHandle returns the OS handle of the bottom channel for a direction.
func (c Channel) DriverHandle(direction int) (uintptr, bool) {
	var h C.ClientData
	if C.tclgo_DriverGetHandle(c.p, C.int(direction), &h) != OK {
		return 0, false
	}
	return uintptr(h), true
}

// DriverThreadAction passes a thread action to the channel's driver.
func (c Channel) DriverThreadAction(action int) { C.tclgo_DriverThreadAction(c.p, C.int(action)) }

// BadOption leaves Tcl's standard "bad option" message in interp.
func BadOption(interp Interp, name, options string) int {
	cn, co := C.CString(name), C.CString(options)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(co))
	return int(C.tclgo_BadChannelOption(interp.p, cn, co))
}

// DString is a Tcl_DString handed to a get-option procedure.
type DString struct{ p *C.Tcl_DString }

// Append appends raw text.
func (d DString) Append(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	C.tclgo_DStringAppend(d.p, cs, C.int(len(s)))
}

// AppendElement appends s as a list element.
func (d DString) AppendElement(s string) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	C.tclgo_DStringAppendElement(d.p, cs)
}

// Driver is a channel type implemented in Go. Methods are called on the
// channel's thread by Tcl, through the trampolines of glue.c. Errors are
// POSIX error numbers, as Tcl's driver interface wants them.
type Driver interface {
	// Close releases the layer. interp may be zero.
	Close(interp Interp) syscall.Errno
	// Input reads up to len(buf) bytes: n > 0, 0 at end of file, or -1
	// with an errno (EAGAIN when a non-blocking read would block).
	Input(buf []byte) (int, syscall.Errno)
	// Output writes buf: the count accepted, or -1 with an errno.
	Output(buf []byte) (int, syscall.Errno)
	// SetOption and GetOption implement driver-specific options and
	// return a Tcl result code.
	SetOption(interp Interp, name, value string) int
	GetOption(interp Interp, name string, ds DString) int
	// Watch says which events the layer above wants.
	Watch(mask int)
	// Handle returns the OS handle for a direction.
	Handle(direction int) (uintptr, bool)
	// BlockMode records the blocking mode (Tcl passes it down the stack).
	BlockMode(mode int) syscall.Errno
	// Handler sees events coming up from the layer below and returns the
	// events to pass further up.
	Handler(mask int) int
	// ThreadAction is told when the channel leaves or joins a thread.
	ThreadAction(action int)
}

// Stack puts a new layer driven by d on top of below and returns it. The
// layer keeps below's name. On failure the interpreter holds the message.
func Stack(interp Interp, d Driver, mask int, below Channel) (Channel, error) {
	h := cgo.NewHandle(d)
	ch := C.tclgo_StackChannel(interp.p, C.uintptr_t(h), C.int(mask), below.p)
	if ch == nil {
		h.Delete()
		return Channel{}, ErrResult
	}
	return Channel{ch}, nil
}

// Unstack removes the top layer c (its Close is called) and returns the
// interpreter's message on failure.
func Unstack(interp Interp, c Channel) error {
	if C.tclgo_UnstackChannel(interp.p, c.p) != OK {
		return ErrResult
	}
	return nil
}

// SetChannelTypeName names the package's channel type (as fconfigure and
// chan info show it). Call it once, before stacking anything.
func SetChannelTypeName(name string) {
	C.tclgo_SetChannelTypeName(C.CString(name)) // kept for the process's life
}

// SetError leaves a message that the next failing read, write or flush
// command on the channel reports instead of the bare POSIX error text.
func (c Channel) SetError(msg string) {
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	C.tclgo_SetChannelError(c.p, cs, C.int(len(msg)))
}
