// Package channel is the TLS channel driver: a Tcl channel layer stacked on
// any bi-directional channel, moving ciphertext between the channel below
// and an ossl.Conn, and plaintext between the ossl.Conn and Tcl.
//
// The layer behaves like Tcl's own sockets: blocking and non-blocking
// modes, fileevents that fire while decrypted data waits inside the layer,
// a handshake that starts by itself, close_notify on close, and a peer's
// end of stream (with or without close_notify) read as end of file.
package channel

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/tclgo/tls/ossl"
	"github.com/tclgo/tls/tcl"
)

// TypeName is the channel type name that `chan`/fconfigure introspection
// shows, as in the C package.
const TypeName = "tls"

// rawChunk is how much ciphertext one read from the channel below asks
// for: enough for several full TLS records, so that a 64 KiB read of
// plaintext rarely needs two reads below.
const rawChunk = 128 * 1024

// recordSize and recordOverhead bound the ciphertext a write makes: TLS
// records carry at most 16 KiB of plaintext, plus a header, a tag and (in
// TLS 1.3) the content type, well within recordOverhead.
const (
	recordSize     = 16 * 1024
	recordOverhead = 64
)

// Hooks lets the layers above hear about events of the channel.
type Hooks struct {
	// Error is told about TLS-level failures (handshake or record
	// errors), not about plain end of file.
	Error func(msg string)
	// Reason, when set, may name the cause of a failed handshake better
	// than OpenSSL can (a callback script that failed); "" keeps
	// OpenSSL's reason.
	Reason func() string
	// Closed is told that the layer is gone (closed or unstacked).
	Closed func()
	// HandshakeFailed is told the message of a failed handshake, whatever
	// the cause (TLS error, peer gone, callback refusal).
	HandshakeFailed func(msg string)
}

// TLS is the state of one TLS layer. It is touched only from the thread
// that owns the channel.
type TLS struct {
	// Fixed at creation.
	conn  *ossl.Conn
	self  tcl.Channel // this layer
	lower tcl.Channel // the channel below
	hooks Hooks

	// Mode and interest.
	blocking  bool
	upperMask int        // events Tcl wants from this layer
	timer     *tcl.Timer // pending zero-delay notification

	// Handshake and stream state.
	hsDone    bool
	err       error         // first fatal error; sticky
	errno     syscall.Errno // errno reported with err
	eof       bool          // end of stream seen; sticky
	stalled   bool          // ciphertext held is not a whole record yet
	pushback  int           // bytes read ahead below before stacking
	unstacked bool          // closing because of unimport: no close_notify
	busy      bool          // inside a write to the channel below
	removed   bool          // taken out of its thread (closing or moving)
	deferred  int           // events that arrived while busy

	// Script callbacks (callbacks.go).
	cbDepth int  // callbacks running now
	missed  bool // an event was held back while a callback ran
	closing bool // Close has started
	dead    bool // popped while a callback ran: stop, touch nothing below

	writeWaitsRead bool // a write needs the peer's records first (renegotiation)

}

// Stack puts a new TLS layer driven by conn on top of lower, which must be
// the top of its stack. Nothing is sent until the handshake starts.
func Stack(interp tcl.Interp, lower tcl.Channel, conn *ossl.Conn, hooks Hooks) (*TLS, error) {
	blocking := true
	if v, err := lower.Option(interp, "-blocking"); err == nil {
		blocking = v == "1"
	}
	t := &TLS{
		conn:     conn,
		lower:    lower,
		hooks:    hooks,
		blocking: blocking,
		pushback: lower.InputBuffered(),
	}
	self, err := tcl.Stack(interp, t, lower.Mode(), lower)
	if err != nil {
		return nil, err
	}
	t.self = self
	return t, nil
}

// Of returns the TLS layer on top of ch's stack, or nil when the top layer
// is not TLS.
func Of(ch tcl.Channel) *TLS {
	t, _ := ch.Top().Driver().(*TLS)
	return t
}

// Conn returns the connection, for introspection.
func (t *TLS) Conn() *ossl.Conn { return t.conn }

// Channel returns the layer's Tcl channel.
func (t *TLS) Channel() tcl.Channel { return t.self }

// Err returns the first fatal error of the connection, if any.
func (t *TLS) Err() error { return t.err }

// Handshake drives the handshake: done is false while a non-blocking
// handshake waits for the peer. A failure is returned as an error whose
// text starts with "handshake failed: ".
func (t *TLS) Handshake() (done bool, err error) {
	if t.cbDepth > 0 && !t.hsDone {
		return false, errInCallback
	}
	switch e := t.drive(t.blocking, false); {
	case t.dead:
		return false, &handshakeError{"the TLS layer was removed by a callback"}
	case e == 0:
		return true, nil
	case e == syscall.EAGAIN:
		return false, nil
	}
	return false, t.err
}

// Unstack removes the layer, leaving the channel below as it is now. No
// close_notify is sent, so both ends can go on in plain text.
func (t *TLS) Unstack(interp tcl.Interp) error {
	if t.cbDepth > 0 {
		return errInCallback
	}
	t.unstacked = true
	if err := tcl.Unstack(interp, t.self); err != nil {
		t.unstacked = false
		return err
	}
	return nil
}

// fail records the first fatal error and tells the hooks.
func (t *TLS) fail(err error, errno syscall.Errno) syscall.Errno {
	if t.err == nil {
		t.err = err
		t.errno = errno
		if !t.hsDone && t.hooks.HandshakeFailed != nil {
			t.hooks.HandshakeFailed(err.Error())
		}
		if t.hooks.Error != nil {
			var oe *ossl.Error
			if errors.As(err, &oe) {
				t.hooks.Error(oe.Error())
			}
		}
	}
	t.updateInterest()
	return t.errno
}

// handshakeError wraps the reason of a failed handshake.
type handshakeError struct{ reason string }

func (e *handshakeError) Error() string { return "handshake failed: " + e.reason }

func handshakeFailure(err error) error {
	var oe *ossl.Error
	if errors.As(err, &oe) {
		reason := oe.Error()
		if oe.VerifyResult != "" && oe.VerifyResult != "ok" {
			reason += fmt.Sprintf(" due to \"%s\"", oe.VerifyResult)
		}
		return &handshakeError{reason}
	}
	return &handshakeError{err.Error()}
}

// drive runs the handshake as far as it can go. With block, it waits for
// the peer (a blocking channel inside read, write or tls::handshake).
// Otherwise it reads from below only when that cannot block: the channel
// is non-blocking, data was read ahead, or readable says an event just
// reported input. It returns 0 when the handshake is complete, EAGAIN
// while it waits, or the errno of a failure (see t.err).
func (t *TLS) drive(block, readable bool) syscall.Errno {
	if t.hsDone {
		return 0
	}
	if t.err != nil {
		return t.errno
	}
	for {
		herr := t.conn.Handshake()
		if t.dead {
			return syscall.ECONNABORTED
		}
		if fe := t.flush(block); fe != 0 && fe != syscall.EAGAIN {
			return t.fail(&handshakeError{syscall.Errno(fe).Error()}, fe)
		}
		switch {
		case herr == nil:
			t.hsDone = true
			t.updateInterest()
			return 0
		case herr == ossl.ErrWantRead:
			if !(block || !t.blocking || readable || t.pushback > 0) {
				t.updateInterest()
				return syscall.EAGAIN
			}
			readable = false
			n, e := t.readLower()
			switch {
			case n > 0:
				continue
			case n == 0:
				return t.fail(&handshakeError{"connection closed by peer"}, syscall.ECONNRESET)
			case e == syscall.EAGAIN:
				t.updateInterest()
				return syscall.EAGAIN
			default:
				return t.fail(&handshakeError{e.Error()}, e)
			}
		case herr == ossl.ErrWantWrite:
			if t.outWaiting() && !block {
				t.updateInterest()
				return syscall.EAGAIN
			}
		default:
			var oe *ossl.Error
			if t.err == nil && t.hooks.Error != nil && errors.As(herr, &oe) {
				t.hooks.Error(oe.Error())
			}
			if t.hooks.Reason != nil {
				if r := t.hooks.Reason(); r != "" {
					return t.fail(&handshakeError{r}, syscall.ECONNABORTED)
				}
			}
			return t.fail(handshakeFailure(herr), syscall.ECONNABORTED)
		}
	}
}

// readLower reads ciphertext from the channel below into the connection.
func (t *TLS) readLower() (int, syscall.Errno) {
	p := t.conn.InputSpace(rawChunk)
	if p == nil {
		return -1, syscall.ENOMEM
	}
	t.busy = true // events raised by the read wait, as for writes
	n, e := t.lower.ReadRaw(p)
	t.busy = false
	if n <= 0 {
		t.conn.InputCommit(0)
		return n, e
	}
	t.conn.InputCommit(n)
	t.stalled = false
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
// is dropped (kept, it would make the layer ask to be writable forever,
// and the event loop would spin on a dead peer).
func (t *TLS) flush(block bool) syscall.Errno {
	for {
		data := t.conn.OutgoingData()
		if len(data) == 0 {
			return 0
		}
		t.busy = true
		n, e := t.lower.WriteRaw(data)
		t.busy = false
		if n > 0 {
			t.conn.Consume(n)
			continue
		}
		if e != syscall.EAGAIN && e != 0 {
			t.conn.Consume(len(data))
			return e
		}
		if !block {
			t.updateInterest()
			return syscall.EAGAIN
		}
		t.lower.DriverBlockMode(tcl.ModeBlocking)
		t.busy = true
		n, e = t.lower.WriteRaw(data)
		t.busy = false
		if !t.blocking {
			t.lower.DriverBlockMode(tcl.ModeNonblocking)
		}
		if n <= 0 {
			if e == 0 {
				e = syscall.EIO
			}
			t.conn.Consume(len(data))
			return e
		}
		t.conn.Consume(n)
	}
}

// outWaiting reports whether ciphertext waits for the channel below to
// take it. Every operation flushes what it produced, so outside flush this
// means the channel below refused some: the layer waits to be writable.
func (t *TLS) outWaiting() bool { return t.conn.Outgoing() > 0 }

// bufferedInput reports whether a read could return something without new
// input from below: decrypted bytes or whole records inside the
// connection, an end of stream met after the last data, or bytes read
// ahead below before the layer was stacked.
func (t *TLS) bufferedInput() bool {
	if t.err != nil || t.eof {
		return false
	}
	return t.pushback > 0 || t.conn.ReadErr() != nil ||
		(!t.stalled && t.conn.Pending() > 0)
}

// updateInterest tells the channel below which events this layer needs:
// input while the handshake runs, the upper layer's interest after it,
// and writability while ciphertext waits to be written.
func (t *TLS) updateInterest() {
	if t.self.IsZero() {
		return
	}
	m := t.upperMask
	if !t.hsDone && t.err == nil {
		m = tcl.Readable
	}
	if t.outWaiting() {
		m |= tcl.Writable
	}
	if t.writeWaitsRead {
		m |= tcl.Readable
	}
	if t.cbDepth > 0 {
		m = 0 // no events while a callback runs (it may run the event loop)
	}
	t.lower.DriverWatch(m)
}

// schedule arms a zero-delay timer that runs the handshake or reports
// buffered input, when either is due and nobody else will.
func (t *TLS) schedule() {
	if t.timer != nil || t.upperMask == 0 {
		return
	}
	pendingHS := !t.hsDone && t.err == nil
	if !pendingHS && !(t.upperMask&tcl.Readable != 0 && t.bufferedInput()) {
		return
	}
	t.timer = tcl.After(0, t.onTimer)
}

func (t *TLS) cancelTimer() {
	t.timer.Cancel()
	t.timer = nil
}

// onTimer starts or advances a handshake nobody is driving, then tells
// the upper layer about buffered input or the handshake's outcome.
func (t *TLS) onTimer() {
	t.timer = nil
	if t.cbDepth > 0 {
		t.missed = true // LeaveCallback schedules again
		return
	}
	mask := 0
	if d := t.deferred; d != 0 {
		t.deferred = 0
		mask = t.Handler(d)
	} else if !t.hsDone && t.err == nil {
		e := t.drive(false, false)
		if e == syscall.EAGAIN {
			return // events from below will carry it on
		}
		mask = t.upperMask
	} else if t.upperMask&tcl.Readable != 0 && t.bufferedInput() {
		mask = tcl.Readable
	}
	if mask != 0 {
		t.self.Notify(mask)
	}
}

// Input implements tcl.Driver.
func (t *TLS) Input(buf []byte) (int, syscall.Errno) {
	if t.cbDepth > 0 {
		return 0, 0 // nothing to read while a callback runs
	}
	if t.err != nil {
		return -1, t.report("reading")
	}
	if t.eof {
		return 0, 0
	}
	if !t.hsDone {
		if e := t.drive(t.blocking, false); e != 0 {
			if e == syscall.EAGAIN {
				return -1, e
			}
			return -1, t.report("reading")
		}
	}
	for {
		n, err := t.conn.Read(buf)
		if t.dead {
			return -1, syscall.ECONNABORTED
		}
		if t.conn.Outgoing() > 0 {
			t.flush(false) // replies the connection made (key updates, alerts)
		}
		if n > 0 {
			return n, 0
		}
		switch {
		case err == io.EOF:
			t.eof = true
			return 0, 0
		case err == ossl.ErrWantRead:
			t.stalled = true
			m, e := t.readLower()
			switch {
			case m > 0:
				continue
			case m == 0:
				t.conn.FeedEOF()
				continue
			case e == syscall.EAGAIN:
				return -1, e
			default:
				t.fail(e, e)
				return -1, t.report("reading")
			}
		default:
			t.fail(err, syscall.ECONNABORTED)
			return -1, t.report("reading")
		}
	}
}

// report leaves the sticky error's text for the Tcl command that sees
// the failure, and returns its errno.
func (t *TLS) report(op string) syscall.Errno {
	if t.self.IsZero() {
		return t.errno
	}
	t.self.SetError(fmt.Sprintf("error %s \"%s\": %s", op, t.self.Name(), t.err))
	return t.errno
}

// Output implements tcl.Driver.
func (t *TLS) Output(buf []byte) (int, syscall.Errno) {
	if t.cbDepth > 0 {
		return -1, syscall.EAGAIN // written later, once the callback is over
	}
	if t.err != nil {
		return -1, t.report("writing")
	}
	if !t.hsDone {
		if e := t.drive(t.blocking, false); e != 0 {
			if e == syscall.EAGAIN {
				return -1, e
			}
			return -1, t.report("writing")
		}
	}
	if len(buf) == 0 {
		return 0, 0
	}
	if t.outWaiting() {
		switch e := t.flush(t.blocking); e {
		case 0:
		case syscall.EAGAIN:
			return -1, e
		default:
			t.fail(errors.New(e.Error()), e)
			return -1, t.report("writing")
		}
	}
	// Room for all the records of buf, so that they are not moved as the
	// output buffer grows.
	t.conn.ReserveOutgoing(len(buf) + (len(buf)/recordSize+1)*recordOverhead)
	for {
		n, err := t.conn.Write(buf)
		if t.dead {
			return -1, syscall.ECONNABORTED
		}
		if e := t.flush(t.blocking); e != 0 && e != syscall.EAGAIN {
			t.fail(errors.New(e.Error()), e)
			return -1, t.report("writing")
		}
		switch {
		case err == nil:
			return n, 0
		case err != ossl.ErrWantRead && err != ossl.ErrWantWrite:
			t.fail(err, syscall.ECONNABORTED)
			return -1, t.report("writing")
		case n > 0:
			return n, 0
		}
		// The peer renegotiates (TLS 1.2): its handshake records must be
		// read before anything more can be written.
		if !t.blocking {
			t.writeWaitsRead = true
			t.updateInterest()
			return -1, syscall.EAGAIN
		}
		m, e := t.readLower()
		switch {
		case m == 0:
			t.fail(errors.New("connection closed by peer"), syscall.ECONNRESET)
			return -1, t.report("writing")
		case m < 0:
			t.fail(e, e)
			return -1, t.report("writing")
		}
	}
}

// Close implements tcl.Driver: it sends close_notify (unless the layer is
// only being removed, or the handshake never completed) and frees the
// connection. Ciphertext still waiting is written before the layer goes.
func (t *TLS) Close(interp tcl.Interp) syscall.Errno {
	if t.cbDepth > 0 {
		// The layer is being removed (chan pop) by a script that one of
		// its own callbacks runs, inside OpenSSL: the connection is in use
		// further up the stack. Stop here, and free it from the event
		// loop once that has returned.
		t.closing, t.dead = true, true
		t.cancelTimer()
		t.self = tcl.Channel{}
		tcl.After(0, t.release)
		return 0
	}
	t.closing = true
	t.cancelTimer()
	if !t.unstacked && t.hsDone && t.err == nil {
		t.conn.Shutdown()
	}
	var e syscall.Errno
	if t.err == nil {
		if t.unstacked {
			e = t.flush(true) // the channel lives on: lose nothing
		} else {
			e = t.flushBeforeClose()
		}
	}
	if e == syscall.EPIPE || e == syscall.ECONNRESET {
		e = 0 // the peer is gone already: nothing was lost that it wanted
	}
	if !t.unstacked {
		t.drainInput()
	}
	t.self = tcl.Channel{}
	t.release()
	return e
}

// release frees the connection and tells the hooks the layer is gone.
func (t *TLS) release() {
	t.conn.Free()
	if t.hooks.Closed != nil {
		t.hooks.Closed()
	}
}

// SetOption implements tcl.Driver by passing options to the channel below.
func (t *TLS) SetOption(interp tcl.Interp, name, value string) int {
	return t.lower.DriverSetOption(interp, name, value)
}

// GetOption implements tcl.Driver by passing options to the channel below.
func (t *TLS) GetOption(interp tcl.Interp, name string, ds tcl.DString) int {
	return t.lower.DriverGetOption(interp, name, ds)
}

// Watch implements tcl.Driver.
func (t *TLS) Watch(mask int) {
	t.upperMask = mask
	t.cancelTimer()
	t.updateInterest()
	if t.cbDepth == 0 {
		t.schedule()
	}
}

// Handle implements tcl.Driver.
func (t *TLS) Handle(direction int) (uintptr, bool) {
	return t.lower.DriverHandle(direction)
}

// BlockMode implements tcl.Driver. Tcl sets the mode of every layer of the
// stack itself, so only the flag is kept here.
func (t *TLS) BlockMode(mode int) syscall.Errno {
	t.blocking = mode == tcl.ModeBlocking
	return 0
}

// Handler implements tcl.Driver: events from below flush waiting
// ciphertext and advance the handshake before the upper layer sees them.
func (t *TLS) Handler(mask int) int {
	if t.busy {
		// An event raised from inside our own write below (a socket
		// finishing its connect does this): handle it afterwards.
		t.deferred |= mask
		if t.timer == nil {
			t.timer = tcl.After(0, t.onTimer)
		}
		return 0
	}
	if t.cbDepth > 0 {
		t.missed = true // events wait until the callback is over
		return 0
	}
	t.cancelTimer()
	if mask&tcl.Writable != 0 && t.outWaiting() {
		if e := t.flush(false); e != 0 && e != syscall.EAGAIN {
			t.fail(errors.New(e.Error()), e)
		}
	}
	if t.writeWaitsRead && mask&tcl.Readable != 0 {
		// A renegotiating peer answered: hand its records to the
		// connection, and let the waiting write try again.
		t.writeWaitsRead = false
		if n, e := t.readLower(); n < 0 && e != syscall.EAGAIN {
			t.fail(e, e)
		}
		mask |= tcl.Writable
	}
	if !t.hsDone && t.err == nil {
		if t.drive(false, mask&tcl.Readable != 0) == syscall.EAGAIN {
			return 0
		}
		// The handshake is over: let the upper layer's handlers see the
		// outcome (scripts often call tls::handshake from a readable
		// handler and wait for it to return 1).
		mask |= t.upperMask & (tcl.Readable | tcl.Writable)
	}
	if t.outWaiting() {
		mask &^= tcl.Writable
	}
	t.updateInterest()
	return mask
}

// ThreadAction implements tcl.Driver. Tcl removes a channel from its
// thread both when closing it and when moving it to another thread
// (thread::transfer), and inserts it into the new thread only in the second
// case. A pending timer belongs to the old thread, so removal drops it;
// the next Watch arms a new one.
//
// Callback scripts belong to an interpreter of the old thread, which must
// not be called from another one: after a move the channel goes on without
// them. Their Tcl objects are left alone rather than released from the
// wrong thread.
func (t *TLS) ThreadAction(action int) {
	switch action {
	case tcl.ChannelThreadRemove:
		t.cancelTimer()
		t.removed = true
	case tcl.ChannelThreadInsert:
		if t.removed {
			t.hooks = Hooks{}
			t.conn.SetHooks(nil)
			t.removed = false
		}
	}
}
