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

const pollOut = 0x4 // POLLOUT

// waitWritable waits until the descriptor fd can take more output or the
// timeout passes, and reports whether it can. It uses ppoll, which every
// Linux architecture has, through the standard library alone, so the
// package needs no module beyond it.
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) {
	p := pollFd{fd: int32(fd), events: pollOut}
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
		return e == 0 && n == 1 && p.revents&pollOut != 0, true
	}
}
