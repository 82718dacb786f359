package channel

import (
	"sync"
	"syscall"
	"time"

	"github.com/tclgo/tls/internal/tcl"
)

// closeStall bounds how long closing a channel waits for a peer that has
// stopped reading. A live peer drains the last records within it; one that
// holds the connection open without reading must not stall the
// interpreter's event loop at close, so what it has not taken is dropped.
const closeStall = 250 * time.Millisecond

// flushBeforeClose writes the ciphertext still waiting (the last records
// and close_notify) through the channel below, without blocking for longer
// than closeStall while the channel below makes no progress.
func (t *TLS) flushBeforeClose() syscall.Errno {
	if !t.outWaiting() {
		return 0
	}
	if t.blocking {
		t.lower.SetBlockModeBelow(tcl.ModeNonblocking)
		defer t.lower.SetBlockModeBelow(tcl.ModeBlocking)
	}
	stalled := time.Now()
	for {
		before := t.conn.Outgoing()
		e := t.flush(false)
		if e != syscall.EAGAIN {
			return e
		}
		now := time.Now()
		if t.conn.Outgoing() < before {
			stalled = now
		}
		left := closeStall - now.Sub(stalled)
		if left <= 0 || !t.lower.WaitWritable(left) {
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
	buf := drainBuffers.Get().(*[4096]byte)
	defer drainBuffers.Put(buf)
	for range 256 { // at most 1 MiB
		if n, _ := t.lower.ReadRaw(buf[:]); n <= 0 {
			return
		}
	}
}

// drainBuffers hold what drainInput reads and drops: one buffer per
// closing thread rather than a new one for every connection.
var drainBuffers = sync.Pool{New: func() any { return new([4096]byte) }}
