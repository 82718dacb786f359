package channel

import (
	"errors"
	"syscall"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// The pump: the driver's use of the connection's loops that move
// ciphertext between it and the channel below (ossl.Conn.Pull, Fill, Push
// and Flush, in C: with the close-time drain, the only code that reads or
// writes below), and the handshake that it drives. It does not decide about events: what it
// waits for shows in the state (the phase, output waiting, TLS.need),
// from which the driver procedure that ran it settles the layer's
// interest (driver.go).
//
// The steady state (TLS.steady) is phase open with no callback running,
// nothing held and nothing needed beyond the upper layer's interest: there
// Input is a Pull and Output a Push. A binding with C
// (tcl.FastBinding) runs the same loops itself while settle says the
// state is steady (ossl.Conn.FastIO), and hands every other case to the
// driver: to Input and Output, which start again here and find in the
// connection what the C path left (an end or error below, a write below
// that took nothing), or to InputDone and OutputDone, which finish a
// read or write that it began.

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
			if !(block || !t.blocking || readable || t.readAhead()) {
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

// fill reads ciphertext from the channel below into the connection
// (ossl.Conn.Fill). It returns the count, 0 at end of file, or -1 and the
// errno (EAGAIN when none is there now).
func (t *TLS) fill() (int, syscall.Errno) {
	n, r := t.conn.Fill(t.below)
	t.took(r.Read)
	switch {
	case t.phase == closed:
		return -1, syscall.ECONNABORTED // a script the read ran closed the layer
	case r.Why == ossl.PullData:
		return n, 0
	case r.Why == ossl.PullBlocked:
		return -1, syscall.EAGAIN
	}
	return tcl.RawResult(n, r.Err)
}

// flush moves waiting ciphertext to the channel below (ossl.Conn.Flush).
// With block it keeps going until all is written even if the channel
// below is non-blocking. It returns 0 when nothing is left, EAGAIN when
// the channel below took only part (the rest waits in the connection), or
// the errno of a write failure. A write failure is final: the waiting
// ciphertext can never be delivered, so it is dropped (kept, it would keep
// the layer asking to be writable, and the event loop would spin on a
// dead peer). A write below that took nothing is judged here only,
// whether the driver or the binding's C path made it: it would block, or
// it failed, and a failure is not written again (that would report a
// later symptom, EPIPE after a reset, not the failure).
func (t *TLS) flush(block bool) (e syscall.Errno) {
	defer func() {
		if e != 0 && e != syscall.EAGAIN {
			t.conn.Consume(t.conn.Outgoing())
		}
		t.outPending = t.conn.Outgoing() > 0
	}()
	for {
		why, _, e := t.conn.Flush(t.below)
		switch {
		case t.phase == closed:
			return syscall.ECONNABORTED // a script the write ran closed the layer
		case why == ossl.FlushSent:
			return 0
		case why == ossl.FlushEntered:
			continue
		case e != syscall.EAGAIN && e != 0:
			return e
		case !block:
			return syscall.EAGAIN
		}
		t.lower.SetBlockModeBelow(tcl.ModeBlocking)
		why, _, e = t.conn.Flush(t.below)
		if !t.blocking && t.phase != closed {
			t.lower.SetBlockModeBelow(tcl.ModeNonblocking)
		}
		if why == ossl.FlushStuck {
			if e == 0 {
				e = syscall.EIO
			}
			return e
		}
	}
}

// goBelow is the channel below as the connection's loops call it, for a
// binding without C of its own (ossl.NewBelow): the binding's raw calls,
// and whether a call entered the layer meanwhile (tcl.Layer.Entries).
type goBelow struct{ t *TLS }

func (g goBelow) ReadBelow(p []byte) (int, syscall.Errno, bool) {
	before := g.t.lay.Entries()
	n, e := g.t.lower.ReadRaw(p)
	return n, e, g.t.lay.Entries() != before
}

func (g goBelow) WriteBelow(p []byte) (int, syscall.Errno, bool) {
	before := g.t.lay.Entries()
	n, e := g.t.lower.WriteRaw(p)
	return n, e, g.t.lay.Entries() != before
}
