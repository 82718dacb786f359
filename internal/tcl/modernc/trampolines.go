package modernc

import (
	"unsafe"

	"github.com/tclgo/tls/internal/tcl"
	"modernc.org/libc"
)

// The procedures Tcl calls: a command, its delete procedure, the channel
// type's procedures and the timer procedure. Each makes its Tcl thread
// current, turns C arguments into Go ones and hands the handle Tcl kept
// in ClientData to package tcl, which recovers from panics.

func objCmd(tls *libc.TLS, cd, interp uintptr, objc int32, objv uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	var args []uintptr
	if objc > 0 {
		args = unsafe.Slice((*uintptr)(cmem(objv)), int(objc))
	}
	return int32(tcl.InvokeCommand(cd, interp, args))
}

func cmdDelete(tls *libc.TLS, cd uintptr) {
	defer binding.leave(binding.enter(tls))
	tcl.DeleteCommand(cd)
}

func closeProc(tls *libc.TLS, cd, interp uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	return int32(binding.closeLayer(cd, interp))
}

func inputProc(tls *libc.TLS, cd, buf uintptr, toRead int32, errp uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	n, e := tcl.ChanInput(cd, bytesAt(buf, toRead))
	binding.inputEnded(cd, n, e, int(toRead))
	*(*int32)(cmem(errp)) = int32(e)
	return int32(n)
}

func outputProc(tls *libc.TLS, cd, buf uintptr, toWrite int32, errp uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	n, e := tcl.ChanOutput(cd, bytesAt(buf, toWrite))
	*(*int32)(cmem(errp)) = int32(e)
	return int32(n)
}

func setOptionProc(tls *libc.TLS, cd, interp, name, value uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	return int32(tcl.ChanSetOption(cd, interp, goString(name), goString(value)))
}

func getOptionProc(tls *libc.TLS, cd, interp, name, ds uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	return int32(tcl.ChanGetOption(cd, interp, goString(name), ds))
}

func watchProc(tls *libc.TLS, cd uintptr, mask int32) {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	binding.releaseInputBuffer(cd)
	tcl.ChanWatch(cd, int(mask))
}

func getHandleProc(tls *libc.TLS, cd uintptr, direction int32, handlePtr uintptr) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	v, ok := tcl.ChanGetHandle(cd, int(direction))
	if !ok {
		return tcl.ERROR
	}
	*(*uintptr)(cmem(handlePtr)) = v
	return tcl.OK
}

func blockModeProc(tls *libc.TLS, cd uintptr, mode int32) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	return int32(tcl.ChanBlockMode(cd, int(mode)))
}

func handlerProc(tls *libc.TLS, cd uintptr, mask int32) int32 {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	return int32(tcl.ChanHandler(cd, int(mask)))
}

func threadActionProc(tls *libc.TLS, cd uintptr, action int32) {
	defer binding.leave(binding.enter(tls))
	defer binding.leaveProc(binding.enterProc(cd))
	tcl.ChanThreadAction(cd, int(action))
}

func timerProc(tls *libc.TLS, cd uintptr) {
	defer binding.leave(binding.enter(tls))
	tcl.FireTimer(cd)
}

func interpDeleted(tls *libc.TLS, cd, interp uintptr) {
	defer binding.leave(binding.enter(tls))
	tcl.InterpDeleted(cd)
}
