package tcl

import (
	"syscall"
	"time"
	"unsafe"
)

// pollFd is struct pollfd of <poll.h>.
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const (
	pollIn  = 0x1 // POLLIN
	pollOut = 0x4 // POLLOUT
)

// waitWritable waits until the descriptor fd can take more output or the
// timeout passes, and reports whether it can.
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) {
	return poll(fd, pollOut, timeout), true
}

// inputWaiting reports whether the descriptor fd has input (or an end of
// file) to read now.
func inputWaiting(fd uintptr) bool { return poll(fd, pollIn, 0) }

// poll waits until fd is ready for events or the timeout passes. It uses
// ppoll, which every Linux architecture has, through the standard library
// alone, so the package needs no module beyond it.
func poll(fd uintptr, events int16, timeout time.Duration) bool {
	p := pollFd{fd: int32(fd), events: events}
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left < 0 {
			left = 0
		}
		ts := syscall.NsecToTimespec(int64(left))
		n, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1,
			uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		return e == 0 && n == 1 && p.revents&events != 0
	}
}
