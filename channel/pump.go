package channel

import (
	"errors"
	"syscall"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// The pump: the only code that moves ciphertext between the connection
// and the channel below (fill and flush), and the handshake that it
// drives. It does not decide about events: what it waits for shows in the
// state (the phase, output waiting, TLS.need), from which the driver
// procedure that ran it settles the layer's interest (driver.go).
//
// The steady state (TLS.steady) is phase open with no callback running,
// nothing held and nothing needed beyond the upper layer's interest: there
// Input is Read-then-fill and Output is Write-then-flush. A binding with C
// (tcl.FastBinding) runs those steps itself while settle says the state is
// steady, through the connection's own C functions (ossl.Conn.FastIO), and
// hands every other case to the driver: to Input and Output, which start
// again here (an end or error of a read below that the C path met comes
// to fill), or to InputDone and OutputDone, which finish a read or write
// that it began.

// rawChunk is how much ciphertext one read from the channel below asks
// for: enough for several full TLS records, so that a 64 KiB read of
// plaintext rarely needs two reads below.
const rawChunk = 128 * 1024

// handshake runs the handshake as far as it can go. With block, it waits
// for the peer (a blocking channel inside read, write or tls::handshake).
// Otherwise it reads from below only when that cannot block: the channel
// is non-blocking, data was read ahead, or readable says an event just
// reported input. It returns 0 when the handshake is complete, EAGAIN
// while it waits, or the errno of a failure (see t.err).
func (t *TLS) handshake(block, readable bool) syscall.Errno {
	switch {
	case t.err != nil:
		return t.errno
	case t.phase == open:
		return 0
	case t.phase > handshaking:
		return syscall.ECONNABORTED
	}
	t.phase = handshaking
	for {
		herr := t.conn.Handshake()
		if t.phase == closed {
			return syscall.ECONNABORTED
		}
		if fe := t.flush(block); fe != 0 && fe != syscall.EAGAIN {
			return t.fail(&handshakeError{reason: fe.Error()}, fe)
		}
		switch {
		case herr == nil:
			t.phase = open
			return 0
		case herr == ossl.ErrWantRead:
			if !(block || !t.blocking || readable || t.pushback > 0) {
				return syscall.EAGAIN
			}
			readable = false
			n, e := t.fill()
			switch {
			case n > 0:
				continue
			case e == syscall.EAGAIN:
				return syscall.EAGAIN
			case t.conn.IsServer() && (n == 0 || e == syscall.ECONNRESET):
				return t.peerGone(e)
			case n == 0:
				return t.fail(&handshakeError{reason: "connection closed by peer"}, syscall.ECONNRESET)
			default:
				return t.fail(&handshakeError{reason: e.Error()}, e)
			}
		case herr == ossl.ErrWantWrite:
			if t.outPending && !block {
				return syscall.EAGAIN
			}
		default:
			var oe *ossl.Error
			if t.hooks.Error != nil && errors.As(herr, &oe) {
				t.hooks.Error(oe.Error())
			}
			if t.hooks.Reason != nil {
				if r := t.hooks.Reason(); r != "" {
					return t.fail(&handshakeError{reason: r}, syscall.ECONNABORTED)
				}
			}
			return t.failConn(herr, handshakeFailed)
		}
	}
}

// fill reads ciphertext from the channel below into the connection. It
// returns the count, 0 at end of file, or -1 and the errno.
func (t *TLS) fill() (int, syscall.Errno) {
	if n, e, ok := t.self.TakeDeferredRead(); ok {
		return n, e // an end or error the binding's C path met (n <= 0)
	}
	p := t.conn.InputSpace(rawChunk)
	if p == nil {
		return -1, syscall.ENOMEM
	}
	n, e := t.lower.ReadRaw(p)
	t.conn.InputCommit(max(n, 0))
	if t.phase == closed {
		return -1, syscall.ECONNABORTED // a script the read ran closed the layer
	}
	if n <= 0 {
		return n, e
	}
	t.pushback -= n
	if t.pushback < 0 {
		t.pushback = 0
	}
	return n, e
}

// flush moves waiting ciphertext to the channel below, straight from the
// connection's output buffer. With block it keeps going until all is
// written even if the channel below is non-blocking. It returns 0 when
// nothing is left, EAGAIN when the channel below took only part (the rest
// waits in the connection), or the errno of a write failure. A write
// failure is final: the waiting ciphertext can never be delivered, so it
// is dropped (kept, it would keep the layer asking to be writable, and the
// event loop would spin on a dead peer).
func (t *TLS) flush(block bool) (e syscall.Errno) {
	defer func() {
		if e != 0 && e != syscall.EAGAIN {
			t.conn.Consume(t.conn.Outgoing())
		}
		t.outPending = t.conn.Outgoing() > 0
	}()
	for {
		data := t.conn.OutgoingData()
		if len(data) == 0 {
			return 0
		}
		n, e := t.writeBelow(data)
		if n > 0 {
			t.conn.Consume(n)
			continue
		}
		if e != syscall.EAGAIN && e != 0 {
			return e
		}
		if !block {
			return syscall.EAGAIN
		}
		t.lower.SetBlockModeBelow(tcl.ModeBlocking)
		n, e = t.writeBelow(data)
		if !t.blocking && t.phase != closed {
			t.lower.SetBlockModeBelow(tcl.ModeNonblocking)
		}
		if n <= 0 {
			if e == 0 {
				e = syscall.EIO
			}
			return e
		}
		t.conn.Consume(n)
	}
}

// writeBelow is one write to the channel below. A write that the
// binding's C path made and that took nothing counts as this one: flush
// judges it as its own (wait, or a failure), and a failure is not
// written again, which would report a later symptom (EPIPE after a
// reset), not the failure.
func (t *TLS) writeBelow(p []byte) (int, syscall.Errno) {
	if n, e, ok := t.self.TakeDeferredWrite(); ok {
		return n, e
	}
	n, e := t.lower.WriteRaw(p)
	if t.phase == closed {
		return -1, syscall.ECONNABORTED // a script the write ran closed the layer
	}
	return n, e
}
