package tcl

// The Go ends of glue.c's trampolines. This file's preamble holds
// declarations only, as cgo requires of files with //export.

/*
#include <stdint.h>
#include <tcl.h>
*/
import "C"

import (
	"fmt"
	"os"
	"runtime/cgo"
	"runtime/debug"
	"syscall"
	"unsafe"
)

// debugPanic prints a recovered panic with its stack when the
// TCLGO_DEBUG environment variable is set, so that a bug hidden behind an
// EIO can be found.
func debugPanic(r any) {
	if os.Getenv("TCLGO_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "tcl: panic in driver: %v\n%s", r, debug.Stack())
	}
}

// driverOf finds the Driver behind a channel instance handle.
func driverOf(h C.uintptr_t) Driver {
	return cgo.Handle(h).Value().(Driver)
}

// recoverErrno turns a panic in a driver procedure into EIO for Tcl, so
// that nothing unwinds through C.
func recoverErrno(n *C.int, errp *C.int) {
	if r := recover(); r != nil {
		debugPanic(r)
		*n = -1
		if errp != nil {
			*errp = C.int(syscall.EIO)
		}
	}
}

//export tclgoObjCmd
func tclgoObjCmd(h C.uintptr_t, interp *C.Tcl_Interp, objc C.int, objv **C.Tcl_Obj) (code C.int) {
	ip := Interp{interp}
	defer func() {
		if r := recover(); r != nil {
			ip.SetResultString(fmt.Sprintf("internal error: %v", r))
			code = ERROR
		}
	}()
	fn := cgo.Handle(h).Value().(CmdFunc)
	ps := unsafe.Slice(objv, int(objc))
	args := make([]Obj, len(ps))
	for k, p := range ps {
		args[k] = Obj{p}
	}
	err := fn(ip, args)
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

//export tclgoCmdDelete
func tclgoCmdDelete(h C.uintptr_t) {
	cgo.Handle(h).Delete()
}

//export tclgoChanClose
func tclgoChanClose(h C.uintptr_t, interp *C.Tcl_Interp) (rc C.int) {
	defer recoverErrno(&rc, nil)
	defer cgo.Handle(h).Delete()
	return C.int(driverOf(h).Close(Interp{interp}))
}

//export tclgoChanInput
func tclgoChanInput(h C.uintptr_t, buf *C.char, toRead C.int, errp *C.int) (n C.int) {
	defer recoverErrno(&n, errp)
	var p []byte
	if toRead > 0 {
		p = unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(toRead))
	}
	r, e := driverOf(h).Input(p)
	*errp = C.int(e)
	return C.int(r)
}

//export tclgoChanOutput
func tclgoChanOutput(h C.uintptr_t, buf *C.char, toWrite C.int, errp *C.int) (n C.int) {
	defer recoverErrno(&n, errp)
	var p []byte
	if toWrite > 0 {
		p = unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(toWrite))
	}
	r, e := driverOf(h).Output(p)
	*errp = C.int(e)
	return C.int(r)
}

//export tclgoChanSetOption
func tclgoChanSetOption(h C.uintptr_t, interp *C.Tcl_Interp, name, value *C.char) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = ERROR
		}
	}()
	return C.int(driverOf(h).SetOption(Interp{interp}, C.GoString(name), C.GoString(value)))
}

//export tclgoChanGetOption
func tclgoChanGetOption(h C.uintptr_t, interp *C.Tcl_Interp, name *C.char, ds *C.Tcl_DString) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = ERROR
		}
	}()
	n := ""
	if name != nil {
		n = C.GoString(name)
	}
	return C.int(driverOf(h).GetOption(Interp{interp}, n, DString{ds}))
}

//export tclgoChanWatch
func tclgoChanWatch(h C.uintptr_t, mask C.int) {
	defer func() { recover() }()
	driverOf(h).Watch(int(mask))
}

//export tclgoChanGetHandle
func tclgoChanGetHandle(h C.uintptr_t, direction C.int, handlePtr *C.ClientData) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = ERROR
		}
	}()
	v, ok := driverOf(h).Handle(int(direction))
	if !ok {
		return ERROR
	}
	*(*uintptr)(unsafe.Pointer(handlePtr)) = v
	return OK
}

//export tclgoChanBlockMode
func tclgoChanBlockMode(h C.uintptr_t, mode C.int) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = C.int(syscall.EIO)
		}
	}()
	return C.int(driverOf(h).BlockMode(int(mode)))
}

//export tclgoChanHandler
func tclgoChanHandler(h C.uintptr_t, mask C.int) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = mask
		}
	}()
	return C.int(driverOf(h).Handler(int(mask)))
}

//export tclgoChanThreadAction
func tclgoChanThreadAction(h C.uintptr_t, action C.int) {
	defer func() { recover() }()
	driverOf(h).ThreadAction(int(action))
}

//export tclgoTimer
func tclgoTimer(h C.uintptr_t) {
	defer func() { recover() }()
	hd := cgo.Handle(h)
	fn := hd.Value().(func())
	hd.Delete()
	fn()
}

//export tclgoInterpDeleted
func tclgoInterpDeleted(h C.uintptr_t) {
	defer func() { recover() }()
	hd := cgo.Handle(h)
	fn := hd.Value().(func())
	hd.Delete()
	fn()
}
