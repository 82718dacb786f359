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
// which events the layer needs now, the binding whether its C data path
// may run, and arms the timer for what is pending inside. A nested call
// (see nested) asks for nothing below and turns the C path off, so that a
// script that runs the event loop from inside the layer does not spin on
// events the layer cannot take; the outer call settles again when it
// ends. Nothing is passed down while the layer is out of its thread, or
// once it is closing.
func (t *TLS) settle() {
	if t.nested() {
		t.quiesce()
		return
	}
	t.interrupted = false // it concerns the call that ends here
	if t.detached || t.phase >= closing || t.self.IsZero() {
		return
	}
	if m := t.interest(); m != t.watched {
		t.watched = m
		t.lower.DriverWatch(m)
	}
	t.setFast(t.steady())
	t.schedule()
}

// quiesce is settle for a call that may run the event loop from inside
// the layer (a nested call, a callback): no events asked for below, the C
// data path off.
func (t *TLS) quiesce() {
	if t.detached || t.phase >= closing || t.self.IsZero() {
		return
	}
	if t.watched != 0 {
		t.watched = 0
		t.lower.DriverWatch(0)
	}
	t.setFast(false)
}

// interest is the mask the layer needs from below: writability for a
// client's first handshake step (its hello goes out once the channel
// below can take it: a connected socket at once, one still connecting
// when it has connected), input while the handshake runs, the upper
// layer's interest after it, writability while ciphertext waits to be
// written (unless the connection failed: nothing more goes out then),
// input nobody reads while writing (see draining), what the pump waits
// for.
func (t *TLS) interest() int {
	m := t.upperMask
	switch {
	case !t.handshaking():
	case t.phase == starting && !t.conn.IsServer():
		m = tcl.Writable
	default:
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
// draining (see draining). An end of the channel below is kept for the
// next read (ended).
func (t *TLS) drain() {
	switch n, e := t.fill(); {
	case n == 0:
		t.ended()
	case n < 0 && e != syscall.EAGAIN:
		t.fail(e, e)
	}
}

// ended is the one decision about an end of the channel below, met when
// the connection holds no whole record: a FIN between records is the end
// of the stream (the connection is told, and reads return end of file
// from now on); inside a record it is a truncated stream, which fails the
// connection. It reports whether the connection failed.
func (t *TLS) ended() bool {
	if t.conn.PartialRecord() {
		t.fail(errTruncated, syscall.ECONNABORTED)
		return true
	}
	t.conn.FeedEOF()
	t.eof = true
	return false
}

// pending is what the zero-delay timer reports, its one job: the events
// the channel below will not raise (again). That is input waiting inside
// the layer (plaintext, whole records, an end met, bytes read ahead
// before stacking) while someone reads it, the upper layer or the
// handshake, and events the channel below raised while the layer could
// not take them (held).
func (t *TLS) pending() int {
	m := t.held
	if t.readReady() {
		m |= t.reported()
	}
	return m
}

// reported is what the timer reports while input waits inside the layer:
// input, when someone reads it (the handshake, or the upper layer). The
// binding's C path arms its timer by the same rule (tcl.Plan.Report).
func (t *TLS) reported() int {
	if t.handshaking() || t.upperMask&tcl.Readable != 0 {
		return tcl.Readable
	}
	return 0
}

// passed is what events hands up unchanged in the steady state, without
// work of the pump: every event but input the upper layer does not read,
// which may have to be taken in (draining). The binding's C path passes
// those up itself and hands the driver every other (tcl.Plan.Pass).
func (t *TLS) passed() int {
	all := tcl.Readable | tcl.Writable | tcl.Exception
	if t.upperMask&tcl.Readable == 0 {
		return all &^ tcl.Readable
	}
	return all
}

// schedule asks for the layer's timer when something is pending, and
// gives it up when nothing is; settle calls it at the end of every call
// that is not nested. The binding keeps the layer's one timer
// (tcl.Channel.ArmTimer), which its C data path arms too for the input it
// reports (tcl.Plan.Report); armed by the driver, it fires into Timer.
func (t *TLS) schedule() {
	switch pending := t.pending() != 0; {
	case pending && !t.timerAsked:
		t.timerAsked = true
		t.self.ArmTimer()
	case !pending && t.timerAsked:
		t.cancelTimer()
	}
}

// guard fails the channel on a panic in a procedure that Tcl calls
// without a trampoline of the driver (the timer), as those do.
func (t *TLS) guard() {
	if r := recover(); r != nil {
		t.Panicked(r)
	}
}

// cancelTimer disarms the layer's timer, whoever armed it.
func (t *TLS) cancelTimer() {
	t.timerAsked = false
	if !t.self.IsZero() {
		t.self.CancelTimer()
	}
}

// Timer implements tcl.Driver: the layer's timer fired. It reports what
// is pending as if it came from below: through events, like the events of
// the channel below, then up. The notification comes after the timer has
// left the layer: the scripts it runs read and write the channel as any
// event's do, not from inside a call.
func (t *TLS) Timer() {
	t.timerAsked = false
	if t.phase >= closing {
		return
	}
	mask := t.timerEvents()
	if mask != 0 && t.phase < closing {
		t.self.Notify(mask)
	}
}

// timerEvents is Timer's work inside the layer.
func (t *TLS) timerEvents() (mask int) {
	t.lay.Enter()
	defer t.lay.Leave()
	defer t.guard()
	if t.nested() {
		return 0 // the outer call settles, and schedules again
	}
	mask = t.pending()
	t.held = 0
	if mask != 0 {
		mask = t.events(mask)
	}
	t.settle()
	return mask
}

// events is the one place where events drive the pump: those from below
// (Handler) and those the timer stands in for (Timer). Waiting
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
	if t.handshaking() {
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
	case t.nested():
		// An event raised from inside a call under way (a socket
		// finishing its connect inside our write below, a script that
		// runs the event loop): the timer reports it once that call is
		// over.
		t.held |= mask
		t.settle()
		return 0
	case t.phase >= closing:
		return 0
	}
	if t.timerAsked {
		t.cancelTimer() // what it would report is handled now
	}
	mask |= t.held
	t.held = 0
	mask = t.events(mask)
	if t.phase == closed {
		// A script the events ran closed the layer: Tcl must not walk
		// further up a stack that is gone.
		return 0
	}
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
	if t.phase != starting || !t.conn.IsServer() || t.detached || t.self.IsZero() {
		return
	}
	t.lay.Enter()
	defer t.lay.Leave()
	defer t.guard()
	if t.nested() {
		return
	}
	if t.blocking && !t.readAhead() && (!t.lower.Below().IsZero() || !t.lower.InputWaiting()) {
		return
	}
	t.held |= t.events(tcl.Readable)
	t.settle()
}

// Watch implements tcl.Driver: the upper layer's interest goes down
// (settle), and the timer reports what waits inside the layer.
func (t *TLS) Watch(mask int) {
	t.upperMask = mask
	t.settle()
}

// Input implements tcl.Driver.
func (t *TLS) Input(buf []byte) (int, syscall.Errno) {
	switch {
	case t.phase == closed:
		return -1, syscall.ECONNABORTED
	case t.nested():
		// Nothing to read now: the outer call may be filling the
		// connection's input. A blocking channel, which Tcl would ask
		// again at once after EAGAIN, gets an empty read.
		t.interrupted = true
		t.quiesce()
		if t.blocking {
			return 0, 0
		}
		return -1, syscall.EAGAIN
	case t.interrupted:
		// A read of the channel ran from inside this read's call below:
		// Tcl dropped the buffer this read fills. The plaintext waits
		// inside for the next read (the timer reports it).
		t.interrupted = false
		defer t.settle()
		return -1, syscall.EAGAIN
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
		if t.interrupted {
			// A read below (the handshake's or the last pull's) ran a
			// read of the channel: see above.
			t.interrupted = false
			return -1, syscall.EAGAIN
		}
		n, r := t.conn.Pull(buf, t.below, t.drains())
		t.took(r.Read)
		if n > 0 || t.phase == closed {
			return t.read(n)
		}
		if t.outWaiting() {
			t.flush(false) // replies the connection made (key updates, alerts)
		}
		switch r.Why {
		case ossl.PullData:
			// Ciphertext came, and a script the channel below ran
			// entered the layer before anything was decrypted: see
			// above, then pull again.
			continue
		case ossl.PullBlocked:
			return -1, syscall.EAGAIN
		case ossl.PullEnd:
			if _, err := t.conn.Read(buf); err == io.EOF {
				t.eof = true
				return 0, 0
			} else {
				t.failConn(err, readFailed)
			}
			return -1, t.report("reading")
		case ossl.PullBelow:
			// The channel below ended or failed; the pull kept it for
			// the next fill.
			if m, e := t.fill(); m == 0 {
				if t.ended() {
					return -1, t.report("reading")
				}
				return 0, 0
			} else {
				t.fail(e, e)
				return -1, t.report("reading")
			}
		}
	}
}

// Output implements tcl.Driver.
func (t *TLS) Output(buf []byte) (int, syscall.Errno) {
	switch {
	case t.phase == closed:
		return -1, syscall.ECONNABORTED
	case t.nested():
		return -1, syscall.EAGAIN // written later, once the outer call is over
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
		n, err := t.conn.Push(buf, t.below)
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
// took with err (Push, or the binding's C path): the records still
// waiting go below, a write below that took nothing is judged (flush),
// and it reports whether the write is done and with what result. Not done means a renegotiating peer's
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
		t.failConn(err, writeFailed)
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
	t.setFast(false)
	if t.nested() {
		// Closed (or removed) by a script that a call under way runs: a
		// read or write below, a callback inside OpenSSL. The connection
		// and the channel below are in use further up the stack. Stop
		// here; that call sees the layer closed when it returns, and the
		// connection is freed once it has left (Release).
		t.phase = closed
		t.self = tcl.Channel{}
		return 0
	}
	notify := t.phase == open && t.err == nil && (!t.unstacking || t.notifying)
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
	return e
}

// Release implements tcl.Driver: it frees the connection and tells the
// hooks the layer is gone.
func (t *TLS) Release() {
	t.conn.Free()
	if t.ownBelow {
		ossl.FreeBelow(t.below)
		t.below, t.ownBelow = 0, false
	}
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
	t.setFast(t.sent.Fast)
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
