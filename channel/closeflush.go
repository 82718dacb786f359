package channel

import (
	"syscall"
	"time"
	"unsafe"

	"github.com/tclgo/tls/tcl"
)

// closeStall bounds how long closing a channel waits for a peer that has
// stopped reading. A live peer drains the last records within it; one that
// holds the connection open without reading must not stall the
// interpreter's event loop at close, so what it has not taken is dropped.
const closeStall = 250 * time.Millisecond

// flushBeforeClose writes the ciphertext still waiting (the last records
// and close_notify) without blocking for longer than closeStall at a time
// while the channel below makes no progress.
func (t *TLS) flushBeforeClose() syscall.Errno {
	if !t.outWaiting() {
		return 0
	}
	if t.blocking {
		t.lower.SetBlockModeBelow(tcl.ModeNonblocking)
		defer t.lower.SetBlockModeBelow(tcl.ModeBlocking)
	}
	for {
		e := t.flush(false)
		if e != syscall.EAGAIN {
			return e
		}
		fd, ok := t.lower.DriverHandle(tcl.Writable)
		if !ok {
			return t.flush(true) // no descriptor to wait on
		}
		if !waitWritable(int(fd), closeStall) {
			return 0
		}
	}
}

// drainInput reads and drops what the peer sent that nobody will read now
// (typically the session tickets of a TLS 1.3 server), without blocking.
// Closing a socket whose input was not all read sends a reset instead of
// an orderly end, and a reset makes the peer's system drop the data it had
// not yet delivered to its reader: what this side wrote last would be
// lost.
func (t *TLS) drainInput() {
	if t.blocking {
		t.lower.SetBlockModeBelow(tcl.ModeNonblocking)
		defer t.lower.SetBlockModeBelow(tcl.ModeBlocking)
	}
	var buf [4096]byte
	for range 256 { // at most 1 MiB
		if n, _ := t.lower.ReadRaw(buf[:]); n <= 0 {
			return
		}
	}
}

// pollFd is struct pollfd of poll(2).
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const pollOut = 0x4 // POLLOUT

// waitWritable waits until fd can take more output or the timeout passes,
// and reports whether it can.
func waitWritable(fd int, timeout time.Duration) bool {
	p := pollFd{fd: int32(fd), events: pollOut}
	ts := syscall.NsecToTimespec(int64(timeout))
	for {
		n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1,
			uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		return errno == 0 && n == 1 && p.revents&pollOut != 0
	}
}
