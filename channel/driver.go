package channel

import (
	"errors"
	"io"
	"syscall"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// The driver procedures Tcl calls. Each applies the rules of the layer,
// runs the pump as far as it needs, and ends in settle.

// settle is the end of every driver procedure: it tells the channel below
// which events the layer needs now. Nothing is passed down while a read or
// write below is under way (the outer procedure settles), while the layer
// is out of its thread, or once it is closing.
func (t *TLS) settle() {
	if t.ioDepth > 0 || t.detached || t.phase >= closing || t.self.IsZero() {
		return
	}
	if m := t.interest(); m != t.watched {
		t.watched = m
		t.lower.DriverWatch(m)
	}
	t.setFast(t.steady())
}

// interest is the mask the layer needs from below: writability for a
// client's first handshake step (its hello goes out once the channel
// below can take it: a connected socket at once, one still connecting
// when it has connected), input while the handshake runs, the upper
// layer's interest after it, writability while ciphertext waits to be
// written (unless the connection failed: nothing more goes out then),
// input nobody reads while writing (see draining), what the pump waits
// for, and nothing while a callback runs (it may run the event loop, and
// the layer must not be entered then).
func (t *TLS) interest() int {
	if t.cbDepth > 0 {
		return 0
	}
	m := t.upperMask
	switch {
	case t.phase == starting && !t.conn.IsServer():
		m = tcl.Writable
	case t.phase < open:
		m = tcl.Readable
	}
	if t.outPending && t.err == nil {
		m |= tcl.Writable
	}
	if m&tcl.Writable != 0 && t.draining() {
		m |= tcl.Readable
	}
	return m | t.need
}

// draining reports whether ciphertext that arrives below should be taken
// into the connection although the upper layer does not read: it is open
// and wants only to write, and holds no whole record yet. A peer sends
// records the upper layer never asked for (a TLS 1.3 server's session
// tickets, a key update, data sent ahead); left in a socket, they keep it
// readable, and Tcl's sockets watch readability along with writability,
// so the notifier would wake over and over while the layer waits to be
// writable. Taken in, they wait inside the connection for the next read,
// which handles them; beyond one whole record the rest stays below, as it
// would for a plain socket.
func (t *TLS) draining() bool {
	return t.phase == open && t.err == nil && !t.eof && t.need == 0 &&
		t.upperMask&tcl.Readable == 0 && t.conn.ReadErr() == nil &&
		!t.conn.Readable()
}

// drain takes in the ciphertext that a readable event announced while
// draining (see draining). An end of stream is kept for the next read: a
// FIN between records is end of file, inside one a truncated stream.
func (t *TLS) drain() {
	switch n, e := t.fill(); {
	case n == 0 && t.conn.PartialRecord():
		t.fail(errTruncated, syscall.ECONNABORTED)
	case n == 0:
		t.eof = true
	case n < 0 && e != syscall.EAGAIN:
		t.fail(e, e)
	}
}

// pending is what the zero-delay timer reports, its one job: the events
// the channel below will not raise (again). That is input waiting inside
// the layer (plaintext, whole records, an end met, bytes read ahead
// before stacking) while someone reads it, the upper layer or the
// handshake, and events the channel below raised while the layer could
// not take them (held).
func (t *TLS) pending() int {
	m := t.held
	if t.readReady() && (t.phase < open || t.upperMask&tcl.Readable != 0) {
		m |= tcl.Readable
	}
	return m
}

// schedule arms the timer when something is pending and the layer may
// be entered from the event loop. It is called where the upper layer's
// interest or the layer's ability to take events changes: Watch,
// LeaveCallback, joining a thread, and events held in Handler.
func (t *TLS) schedule() {
	if t.timer != nil || t.cbDepth > 0 || t.detached || t.phase >= closing || t.self.IsZero() {
		return
	}
	if t.pending() != 0 {
		t.timer = tcl.After(0, t.onTimer)
	}
}

// guard fails the channel on a panic in a procedure that Tcl calls
// without a trampoline of the driver (the timer), as those do.
func (t *TLS) guard() {
	if r := recover(); r != nil {
		t.Panicked(r)
	}
}

func (t *TLS) cancelTimer() {
	t.timer.Cancel()
	t.timer = nil
}

// onTimer reports what is pending as if it came from below: through
// events, like the events of the channel below, then up.
func (t *TLS) onTimer() {
	defer t.guard()
	t.timer = nil
	if t.cbDepth > 0 || t.phase >= closing {
		return // LeaveCallback schedules again
	}
	mask := t.pending()
	t.held = 0
	if mask != 0 {
		mask = t.events(mask)
	}
	t.settle()
	if mask != 0 && !t.self.IsZero() {
		t.self.Notify(mask)
	}
}

// events is the one place where events drive the pump: those from below
// (Handler) and those the timer stands in for (onTimer). Waiting
// ciphertext is flushed on writability (as Tcl's own transforms do),
// input nobody reads is taken in, a write waiting on a renegotiating peer
// gets the records it needs, the handshake takes its next step. It
// returns the events the upper layer may see.
func (t *TLS) events(mask int) int {
	if mask&tcl.Writable != 0 && t.outPending {
		if e := t.flush(false); e != 0 && e != syscall.EAGAIN {
			t.fail(errors.New(e.Error()), e)
		}
	}
	if mask&tcl.Readable != 0 && t.draining() {
		t.drain()
		mask &^= tcl.Readable
	}
	if t.need&tcl.Readable != 0 && mask&tcl.Readable != 0 {
		// A renegotiating peer answered: hand its records to the
		// connection, and let the waiting write try again.
		t.need &^= tcl.Readable
		if n, e := t.fill(); n < 0 && e != syscall.EAGAIN {
			t.fail(e, e)
		}
		mask |= tcl.Writable
	}
	if t.phase < open {
		if t.handshake(false, mask&tcl.Readable != 0) == syscall.EAGAIN {
			return 0
		}
		// The handshake is over: let the upper layer's handlers see the
		// outcome (scripts often call tls::handshake from a readable
		// handler and wait for it to return 1).
		mask |= t.upperMask & (tcl.Readable | tcl.Writable)
	}
	if t.outPending {
		mask &^= tcl.Writable
	}
	return mask
}

// Handler implements tcl.Driver: it only translates events from below
// into those of the layer (events), at the one moment they may be taken.
func (t *TLS) Handler(mask int) int {
	switch {
	case t.ioDepth > 0 || (!t.self.IsZero() && t.self.FastBusy()):
		// An event raised from inside our own read or write below (a
		// socket finishing its connect does this): the timer reports it
		// once that is over.
		t.setFast(false)
		t.held |= mask
		t.schedule()
		return 0
	case t.cbDepth > 0:
		return 0 // the channel below raises it again once interest is back
	case t.phase >= closing:
		return 0
	}
	t.cancelTimer()
	mask |= t.held
	t.held = 0
	mask = t.events(mask)
	t.settle()
	return mask
}

// Start takes a server's first handshake step now, if its client's hello
// has arrived: it has, more often than not, by the time an accepting
// server has made the channel. Waiting for the readable event instead
// costs one more pass through the event loop for every connection (under
// Tcl 8.6, a round trip to its notifier thread). The step is taken as if
// the channel below had raised a readable event, so it reads only what is
// there already: on a non-blocking channel, or on a blocking one sitting
// right on the channel of the OS handle when that has input. Nothing
// happens once the handshake has started. What the upper layer should see
// of the step (a failed handshake) comes from the event loop, like every
// event (held, then the timer), not from inside this call.
func (t *TLS) Start() {
	defer t.guard()
	if t.phase != starting || !t.conn.IsServer() || t.cbDepth > 0 || t.ioDepth > 0 ||
		t.detached || t.self.IsZero() {
		return
	}
	if t.blocking && t.pushback == 0 && (t.lower != t.base || !t.lower.InputWaiting()) {
		return
	}
	t.held |= t.events(tcl.Readable)
	t.settle()
	t.schedule()
}

// Watch implements tcl.Driver: the upper layer's interest goes down
// (settle), and the timer reports what waits inside the layer.
func (t *TLS) Watch(mask int) {
	t.upperMask = mask
	t.settle()
	t.schedule()
}

// Input implements tcl.Driver.
func (t *TLS) Input(buf []byte) (int, syscall.Errno) {
	if t.cbDepth > 0 {
		return 0, 0 // nothing to read while a callback runs
	}
	defer t.settle()
	switch {
	case t.eof:
		return 0, 0
	case t.err != nil:
		return -1, t.report("reading")
	}
	if t.phase < open {
		switch e := t.handshake(t.blocking, false); {
		case e == 0:
		case e == syscall.EAGAIN:
			return -1, e
		case t.eof:
			return 0, 0 // the client went away: end of file
		default:
			return -1, t.report("reading")
		}
	}
	for {
		n, err := t.conn.Read(buf)
		if n > 0 || t.phase == closed {
			return t.read(n)
		}
		if t.outWaiting() {
			t.flush(false) // replies the connection made (key updates, alerts)
		}
		switch {
		case err == io.EOF:
			t.eof = true
			return 0, 0
		case err != ossl.ErrWantRead:
			t.fail(err, syscall.ECONNABORTED)
			return -1, t.report("reading")
		}
		m, e := t.fill()
		switch {
		case m > 0:
			continue
		case m == 0 && t.conn.PartialRecord():
			t.fail(errTruncated, syscall.ECONNABORTED)
			return -1, t.report("reading")
		case m == 0:
			t.conn.FeedEOF()
			continue
		case e == syscall.EAGAIN:
			return -1, e
		default:
			t.fail(e, e)
			return -1, t.report("reading")
		}
	}
}

// Output implements tcl.Driver.
func (t *TLS) Output(buf []byte) (int, syscall.Errno) {
	if t.cbDepth > 0 {
		return -1, syscall.EAGAIN // written later, once the callback is over
	}
	defer t.settle()
	if t.err != nil {
		return -1, t.report("writing")
	}
	if t.phase < open {
		if e := t.handshake(t.blocking, false); e != 0 {
			if e == syscall.EAGAIN {
				return -1, e
			}
			return -1, t.report("writing")
		}
	}
	if len(buf) == 0 {
		return 0, 0
	}
	if t.outPending {
		switch e := t.flush(t.blocking); e {
		case 0:
		case syscall.EAGAIN:
			return -1, e
		default:
			t.fail(errors.New(e.Error()), e)
			return -1, t.report("writing")
		}
	}
	for {
		n, err := t.conn.Write(buf)
		if m, e, done := t.wrote(n, err); done {
			return m, e
		}
		// The peer renegotiates (TLS 1.2): its handshake records must be
		// read before anything more can be written.
		if !t.blocking {
			t.need |= tcl.Readable
			return -1, syscall.EAGAIN
		}
		m, e := t.fill()
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

// wrote finishes a write of n bytes of plaintext that the connection
// took with err: the records go below, and it reports whether the write
// is done and with what result. Not done means a renegotiating peer's
// records are needed first.
func (t *TLS) wrote(n int, err error) (int, syscall.Errno, bool) {
	if t.phase == closed {
		return -1, syscall.ECONNABORTED, true
	}
	if e := t.flush(t.blocking); e != 0 && e != syscall.EAGAIN {
		t.fail(errors.New(e.Error()), e)
		return -1, t.report("writing"), true
	}
	switch {
	case err == nil:
		return n, 0, true
	case err != ossl.ErrWantRead && err != ossl.ErrWantWrite:
		t.fail(err, syscall.ECONNABORTED)
		return -1, t.report("writing"), true
	case n > 0:
		return n, 0, true
	}
	return 0, 0, false
}

// read finishes a read that returned n bytes of plaintext: replies the
// connection made (key updates, alerts) go below.
func (t *TLS) read(n int) (int, syscall.Errno) {
	if t.phase == closed {
		return -1, syscall.ECONNABORTED
	}
	if t.outWaiting() {
		t.flush(false)
	}
	return n, 0
}

// InputDone implements tcl.FastDriver: the binding's C path read n bytes
// of plaintext and met something for the driver (a reply to send, an end
// or error to keep, a callback that ran).
func (t *TLS) InputDone(n int) (int, syscall.Errno) {
	defer t.settle()
	return t.read(n)
}

// OutputDone implements tcl.FastDriver: the binding's C path encrypted n
// bytes of plaintext, and the channel below did not take all the records
// (or a callback ran).
func (t *TLS) OutputDone(n int) (int, syscall.Errno) {
	defer t.settle()
	m, e, _ := t.wrote(n, nil)
	return m, e
}

// Close implements tcl.Driver: it sends close_notify (unless the layer is
// only being removed, or the handshake never completed) and frees the
// connection. Ciphertext still waiting is written before the layer goes.
func (t *TLS) Close(interp tcl.Interp) syscall.Errno {
	t.cancelTimer()
	t.fast = false // the binding turned its C path off
	if t.cbDepth > 0 {
		// The layer is being removed (chan pop) by a script that one of
		// its own callbacks runs, inside OpenSSL: the connection is in use
		// further up the stack. Stop here, and free it from the event
		// loop once that has returned.
		t.phase = closed
		t.self = tcl.Channel{}
		tcl.After(0, t.release)
		return 0
	}
	notify := t.phase == open && (!t.unstacking || t.notifying)
	t.phase = closing
	if notify {
		t.conn.Shutdown()
	}
	var e syscall.Errno
	if t.err == nil {
		if t.unstacking {
			e = t.flush(true) // the channel lives on: lose nothing
		} else {
			e = t.flushBeforeClose()
		}
	}
	if e == syscall.EPIPE || e == syscall.ECONNRESET {
		e = 0 // the peer is gone already: nothing was lost that it wanted
	}
	if !t.unstacking {
		t.drainInput()
	}
	t.phase = closed
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

// ThreadAction implements tcl.Driver. Tcl removes a channel from its
// thread both when closing it and when moving it to another thread
// (thread::transfer), and inserts it into the new thread only in the second
// case. Tcl calls the layers from the bottom up.
//
// On removal, everything the layer arranged in the old thread goes: its
// timer, held events, and the interest it registered below (the socket's
// file handler lives in the old thread's notifier and would go on calling
// this layer there). After that only the new thread touches the
// connection: the insertion registers the interest again, from the new
// thread, and arms the timer that carries on a handshake in progress.
//
// Callback scripts belong to an interpreter of the old thread, which must
// not be called from another one: after a move the channel goes on without
// them. A script whose answer decides the handshake (-validatecommand) is a
// check that can no longer run, so a handshake it had yet to pass fails.
// The scripts' Tcl objects are left alone rather than released from the
// wrong thread.
func (t *TLS) ThreadAction(action int) {
	switch action {
	case tcl.ChannelThreadRemove:
		t.setFast(false)
		t.cancelTimer()
		t.held = 0
		t.upperMask = 0
		if !t.self.IsZero() && t.phase < closing {
			t.lower.DriverWatch(0)
		}
		t.watched = 0
		t.detached = true
	case tcl.ChannelThreadInsert:
		if !t.detached {
			return
		}
		t.detached = false
		decides := t.hooks.Decides
		t.hooks = Hooks{}
		t.conn.SetHooks(nil)
		if t.phase < open && decides {
			t.fail(errMoved, syscall.ECONNABORTED)
		}
		t.watched = -1
		t.settle()
		t.schedule()
	}
}
