//go:build unix

package tcl

import (
	"time"

	"golang.org/x/sys/unix"
)

// waitWritable waits until the descriptor fd can take more output or the
// timeout passes, and reports whether it can.
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) {
	p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
	deadline := time.Now().Add(timeout)
	for {
		ms := int(time.Until(deadline) / time.Millisecond)
		if ms < 0 {
			ms = 0
		}
		n, err := unix.Poll(p, ms)
		if err == unix.EINTR {
			continue
		}
		return err == nil && n == 1 && p[0].Revents&unix.POLLOUT != 0, true
	}
}
