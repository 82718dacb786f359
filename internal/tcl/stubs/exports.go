package stubs

// The Go ends of glue.c's trampolines: each turns C arguments into Go
// ones and calls package tcl, which finds the command, driver or timer
// behind the handle and recovers from panics. This file's preamble holds
// declarations only, as cgo requires of files with //export.

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"github.com/tclgo/tls/internal/cgoentry"
	"github.com/tclgo/tls/internal/tcl"
)

// bytesAt views len bytes of C memory as a slice (nil when empty).
func bytesAt(p *C.char, n C.int) []byte {
	if n <= 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// goStringOrEmpty converts a C string that may be NULL.
func goStringOrEmpty(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

//export tclgoObjCmd
func tclgoObjCmd(h, interp C.uintptr_t, objc C.int, objv *C.uintptr_t) C.int {
	cgoentry.Enter()
	var args []uintptr
	if objc > 0 {
		args = unsafe.Slice((*uintptr)(unsafe.Pointer(objv)), int(objc))
	}
	return C.int(tcl.InvokeCommand(uintptr(h), uintptr(interp), args))
}

//export tclgoCmdDelete
func tclgoCmdDelete(h C.uintptr_t) { cgoentry.Enter(); tcl.DeleteCommand(uintptr(h)) }

//export tclgoChanClose
func tclgoChanClose(h, interp C.uintptr_t, last C.int) C.int {
	cgoentry.Enter()
	return C.int(tcl.ChanClose(uintptr(h), uintptr(interp), last != 0))
}

//export tclgoChanRelease
func tclgoChanRelease(h C.uintptr_t) {
	cgoentry.Enter()
	tcl.ChanRelease(uintptr(h))
}

//export tclgoChanInput
func tclgoChanInput(h C.uintptr_t, buf *C.char, toRead C.int, errp *C.int) C.int {
	cgoentry.Enter()
	n, e := tcl.ChanInput(uintptr(h), bytesAt(buf, toRead))
	*errp = C.int(e)
	return C.int(n)
}

//export tclgoChanOutput
func tclgoChanOutput(h C.uintptr_t, buf *C.char, toWrite C.int, errp *C.int) C.int {
	cgoentry.Enter()
	n, e := tcl.ChanOutput(uintptr(h), bytesAt(buf, toWrite))
	*errp = C.int(e)
	return C.int(n)
}

//export tclgoChanInputDone
func tclgoChanInputDone(h C.uintptr_t, n C.int, errp *C.int) C.int {
	cgoentry.Enter()
	m, e := tcl.ChanInputDone(uintptr(h), int(n))
	*errp = C.int(e)
	return C.int(m)
}

//export tclgoChanOutputDone
func tclgoChanOutputDone(h C.uintptr_t, n C.int, errp *C.int) C.int {
	cgoentry.Enter()
	m, e := tcl.ChanOutputDone(uintptr(h), int(n))
	*errp = C.int(e)
	return C.int(m)
}

//export tclgoChanSetOption
func tclgoChanSetOption(h, interp C.uintptr_t, name, value *C.char) C.int {
	cgoentry.Enter()
	return C.int(tcl.ChanSetOption(uintptr(h), uintptr(interp), C.GoString(name), C.GoString(value)))
}

//export tclgoChanGetOption
func tclgoChanGetOption(h, interp C.uintptr_t, name *C.char, ds C.uintptr_t) C.int {
	cgoentry.Enter()
	return C.int(tcl.ChanGetOption(uintptr(h), uintptr(interp), goStringOrEmpty(name), uintptr(ds)))
}

//export tclgoChanTimer
func tclgoChanTimer(h C.uintptr_t) {
	cgoentry.Enter()
	tcl.ChanTimer(uintptr(h))
}

//export tclgoChanWatch
func tclgoChanWatch(h C.uintptr_t, mask C.int) {
	cgoentry.Enter()
	tcl.ChanWatch(uintptr(h), int(mask))
}

//export tclgoChanGetHandle
func tclgoChanGetHandle(h C.uintptr_t, direction C.int, handlePtr *C.uintptr_t) C.int {
	cgoentry.Enter()
	v, ok := tcl.ChanGetHandle(uintptr(h), int(direction))
	if !ok {
		return tcl.ERROR
	}
	*handlePtr = C.uintptr_t(v)
	return tcl.OK
}

//export tclgoChanBlockMode
func tclgoChanBlockMode(h C.uintptr_t, mode C.int) C.int {
	cgoentry.Enter()
	return C.int(tcl.ChanBlockMode(uintptr(h), int(mode)))
}

//export tclgoChanHandler
func tclgoChanHandler(h C.uintptr_t, mask C.int) C.int {
	cgoentry.Enter()
	return C.int(tcl.ChanHandler(uintptr(h), int(mask)))
}

//export tclgoChanThreadAction
func tclgoChanThreadAction(h C.uintptr_t, action C.int) {
	cgoentry.Enter()
	tcl.ChanThreadAction(uintptr(h), int(action))
}

//export tclgoTimer
func tclgoTimer(h C.uintptr_t) { cgoentry.Enter(); tcl.FireTimer(uintptr(h)) }

//export tclgoInterpDeleted
func tclgoInterpDeleted(h C.uintptr_t) { cgoentry.Enter(); tcl.InterpDeleted(uintptr(h)) }
