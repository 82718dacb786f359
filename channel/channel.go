// Package channel is the TLS channel driver: a Tcl channel layer stacked on
// any bi-directional channel, moving ciphertext between the channel below
// and an ossl.Conn, and plaintext between the ossl.Conn and Tcl.
//
// The layer behaves like Tcl's own sockets: blocking and non-blocking
// modes, fileevents that fire while decrypted data waits inside the layer,
// a handshake that starts by itself, close_notify on close, and a peer's
// orderly end of stream (close_notify, or a FIN at a record boundary) read
// as end of file.
//
// The code is in three parts. This file holds the state of a connection,
// which the TLS value alone owns. pump.go is the only code that moves
// ciphertext between the connection and the channel below and drives the
// handshake. driver.go holds the procedures Tcl calls; each one applies
// the rules of the layer and ends in settle, the one place that computes
// the events the layer needs from the channel below, and whether the
// connection is in its steady state. There a binding with C (package
// tcl/stubs) moves the bytes itself, through the connection's own C
// functions, and hands every other case back to these procedures; the
// binding without C (tcl/modernc) leaves every call to them.
package channel

import (
	"errors"
	"fmt"
	"strconv"
	"syscall"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// TypeName is the channel type name that `chan`/fconfigure introspection
// shows, as in the C package.
const TypeName = "tls"

// bufferSize is the channel buffer the layer asks for when the script
// left Tcl's default (4096 bytes): a buffer that holds a whole TLS record
// of plaintext, so that writes make full-size records and a read of a
// record needs one call of the driver.
const (
	bufferSize        = 64 * 1024
	defaultBufferSize = "4096"
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
	// the cause (TLS error, callback refusal, a client's peer gone).
	HandshakeFailed func(msg string)
	// Decides says that the connection's hooks run a script whose answer
	// decides the handshake (-validatecommand): where that script cannot
	// run, the handshake must fail rather than pass unchecked.
	Decides bool
}

// phase is where a connection is in its life. It only moves forward:
// starting, handshaking, then open, then closing and closed. A failure is
// not a phase: TLS.err, set in any phase before closing, says the
// connection has failed, and the phase stays where the failure found it.
type phase uint8

const (
	starting    phase = iota // the handshake has not taken its first step
	handshaking              // the handshake has begun and not completed
	open                     // the handshake completed: data flows
	closing                  // Close has begun
	closed                   // the layer is gone: nothing below is touched
)

// TLS is the state of one TLS layer, and its only owner. It is touched
// only from the thread that owns the channel.
type TLS struct {
	// The fields are in two parts, words then bytes, so that the struct
	// packs; within each, grouped by what they are about.

	// Fixed at creation.
	conn  *ossl.Conn
	lower tcl.Channel // the channel directly below: the only transport
	self  tcl.Channel // this layer; zero until Stack has it and once closed (the procedures Tcl calls while stacking come before phase can say anything)
	hooks Hooks
	// below is the channel below as the connection's loops read and
	// write it: the binding's C one, or goBelow (ownBelow: freed with
	// the connection).
	below ossl.Below

	// The connection's life (with phase, eof and clean below).
	// err is set once, at the first fatal error: the connection has
	// failed, in both directions. It holds only what the connection
	// cannot know (an error of the channel below, a peer gone, a
	// callback's reason, a layer closed under a call); a failure the
	// connection reported stays in the ossl.Conn, its one home, and err
	// is then a connFailed naming where, which failure resolves.
	err   error
	errno syscall.Errno // errno reported with err: the channel below's, which the connection cannot know

	// Input inside the layer.
	// pushback: bytes read ahead below before stacking that the first
	// reads below return and have not returned yet (readAhead, took).
	pushback int

	// Mode, interest and events (with blocking and timerAsked below).
	upperMask int // events the layer above wants: Tcl tells only Watch
	need      int // events the pump waits for beyond those (a write waiting on a renegotiating peer), which OpenSSL says only at that write
	watched   int // the mask last passed below, -1 if unknown: an unchanged one is not passed again
	held      int // events from below that came while the layer was busy: below raises them only once

	// lay counts the calls under way in the layer (tcl.Layer): the
	// layer's one guard against re-entry and against being freed under a
	// running call.
	lay tcl.Layer

	// sent is the plan last written into the binding's C data path (see
	// steady), kept so that an unchanged plan costs no call into C.
	sent tcl.Plan

	phase    phase
	ownBelow bool
	// osBelow: the channel below is a channel of an OS handle (a socket,
	// a pipe), whose input Tcl's notifier reports for as long as it waits
	// there, so that a read of the layer may return short (see drains).
	// Fixed at creation.
	osBelow bool
	// eof: end of stream reached, reads return end of file. Decided once
	// (ended, or a Read's io.EOF); not the Conn's ReadErr, which learns of
	// a FIN below only at the next Read.
	eof bool
	// clean: err is a server's handshake its client left, an end and not
	// a failure; err stays so that nothing more is tried, Err says none.
	clean bool

	// Output inside the layer.
	// outPending: ciphertext the channel below has not taken yet, kept
	// by flush. It is the connection's Outgoing() > 0 at the end of
	// every flush, kept here because settle asks it after every driver
	// entry (interest, steady) and asking the connection is a call into
	// C; where OpenSSL may have made output since, outWaiting asks.
	outPending bool

	blocking bool // the channel's mode, the one copy: Tcl tells only BlockMode
	// timerAsked: the driver asked for the layer's timer (schedule) and
	// it has not fired; kept so that settle costs no call into the
	// binding while it stays armed.
	timerAsked bool

	// interrupted: a read of the channel came in while a read of the
	// layer was under way below it (see Input). Tcl's outer read has lost
	// its buffer to the inner one, so it gets nothing, and the data waits
	// for the next read.
	interrupted bool

	// unstacking: the layer is closing because of tls::unimport (no
	// close_notify), notifying: or of tls::shutdown (close_notify all the
	// same). Tcl calls the same close procedure for all, so Unstack says.
	unstacking bool
	notifying  bool
	detached   bool // taken out of its thread (moving, or closing): Tcl's thread action says it once
}

// Stack puts a new TLS layer driven by conn on top of the stack of ch (any
// channel of the stack: Tcl_GetChannel gives the bottom one). Every byte
// of ciphertext goes through the layer that is on top now, whatever it is.
// Nothing is sent until the handshake starts.
func Stack(interp tcl.Interp, ch tcl.Channel, conn *ossl.Conn, hooks Hooks) (*TLS, error) {
	lower := ch.Top()
	blocking := true
	if v, err := lower.Option(interp, "-blocking"); err == nil {
		blocking = v == "1"
	}
	_, hasHandle := lower.DriverHandle(tcl.Readable)
	t := &TLS{
		conn:     conn,
		lower:    lower,
		osBelow:  hasHandle && lower.Below().IsZero(),
		hooks:    hooks,
		blocking: blocking,
		pushback: lower.InputBuffered(),
		watched:  -1,
	}
	self, err := tcl.Stack(interp, t, lower.Mode(), lower)
	if err != nil {
		return nil, err
	}
	t.self = self
	t.lay = self.Layer()
	if t.below = ossl.Below(self.BelowC()); t.below == 0 {
		t.below, t.ownBelow = ossl.NewBelow(goBelow{t}), true
	}
	table, stream := conn.FastIO()
	self.SetFastIO(table, stream)
	t.setFast(false)
	if v, err := self.Option(interp, "-buffersize"); err == nil && v == defaultBufferSize {
		self.SetOption(interp, "-buffersize", strconv.Itoa(bufferSize))
	}
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

// Err returns the first fatal error of the connection, if any. A server's
// handshake that its client left before completing it is an end of file,
// not an error.
func (t *TLS) Err() error {
	if t.clean {
		return nil
	}
	return t.failure()
}

// connFailed is TLS.err when the connection itself reported the failure:
// the error is the ossl.Conn's sticky error of that direction, read there
// (failure), not copied.
type connFailed uint8

const (
	readFailed      connFailed = iota + 1 // a read failed: the Conn's ReadErr
	writeFailed                           // a write failed: its WriteErr
	handshakeFailed                       // the handshake failed: its error, as a handshake failure
)

func (f connFailed) Error() string { return "connection failed" } // never shown: see failure

// failure returns the first fatal error of the connection, nil if none:
// err, or where err is a connFailed, the connection's own error.
func (t *TLS) failure() error {
	switch t.err {
	case readFailed:
		return t.conn.ReadErr()
	case writeFailed:
		return t.conn.WriteErr()
	case handshakeFailed:
		return handshakeFailure(t.conn.WriteErr())
	}
	return t.err
}

// failConn records a failure that the connection reported with err in
// the direction given (connFailed), keeping it where it is; an error the
// connection does not keep (a freed one) is recorded itself.
func (t *TLS) failConn(err error, where connFailed) syscall.Errno {
	kept := t.conn.WriteErr()
	if where == readFailed {
		kept = t.conn.ReadErr()
	}
	if err != kept {
		if where == handshakeFailed {
			return t.fail(handshakeFailure(err), syscall.ECONNABORTED)
		}
		return t.fail(err, syscall.ECONNABORTED)
	}
	return t.fail(where, syscall.ECONNABORTED)
}

// Handshake drives the handshake: done is false while a non-blocking
// handshake waits for the peer. A failure is returned as an error whose
// text starts with "handshake failed: ".
func (t *TLS) Handshake() (done bool, err error) {
	t.lay.Enter()
	defer t.lay.Leave()
	if t.nested() && t.handshaking() {
		return false, errInCallback
	}
	defer t.settle()
	switch e := t.handshake(t.blocking, false); {
	case t.phase == closed:
		return false, &handshakeError{reason: "the TLS layer was removed by a callback"}
	case e == 0:
		return true, nil
	case e == syscall.EAGAIN:
		return false, nil
	}
	return false, t.failure()
}

// Unstack removes the layer, leaving the channel below as it is now. With
// notify (tls::shutdown and tls::unstack, as in TclTLS 2.0.1) the layer
// first ends the TLS session with close_notify; without (tls::unimport)
// nothing is sent, so both ends can go on in plain text. From a script
// that a call of the layer runs (a callback, a read or write below), the
// layer goes as on a close from there: that call sees it gone, and
// ciphertext still waiting inside is dropped.
func (t *TLS) Unstack(interp tcl.Interp, notify bool) error {
	t.unstacking, t.notifying = true, notify
	if err := tcl.Unstack(interp, t.self); err != nil {
		t.unstacking, t.notifying = false, false
		return err
	}
	return nil
}

// fail records the first fatal error and tells the hooks.
func (t *TLS) fail(err error, errno syscall.Errno) syscall.Errno {
	switch {
	case t.phase == closed:
		return syscall.ECONNABORTED // nobody is left to tell
	case t.err != nil:
		return t.errno
	}
	inHandshake := t.phase < open
	t.err, t.errno = err, errno
	err = t.failure()
	if inHandshake && t.hooks.HandshakeFailed != nil {
		t.hooks.HandshakeFailed(err.Error())
	}
	var oe *ossl.Error
	if t.hooks.Error != nil && errors.As(err, &oe) {
		t.hooks.Error(oe.Error())
	}
	return t.errno
}

// peerGone ends the handshake of a server whose client went away before
// completing it (a TCP health check, a port scanner, a client that gave
// up): that is the end of file of a socket that never carried data, not a
// TLS failure, so no hook hears of it. tls::handshake still says why the
// handshake did not complete.
func (t *TLS) peerGone(e syscall.Errno) syscall.Errno {
	reason := "connection closed by peer"
	if e != 0 {
		reason = e.Error()
	} else {
		e = syscall.ECONNRESET
	}
	t.err, t.errno = &handshakeError{reason: reason}, e
	t.eof, t.clean = true, true
	return e
}

// Panicked implements tcl.Failer: a driver procedure panicked (a bug), so
// the connection's state cannot be trusted and the channel fails for good.
// The hooks are not told: they may be what panicked.
func (t *TLS) Panicked(v any) {
	t.setFast(false)
	if t.err == nil {
		t.err, t.errno = fmt.Errorf("internal error: %v", v), syscall.EIO
	}
}

// handshaking reports whether the handshake is under way: not complete,
// not failed.
func (t *TLS) handshaking() bool { return t.phase < open && t.err == nil }

// report leaves the sticky error's text for the Tcl command that sees
// the failure, and returns its errno.
func (t *TLS) report(op string) syscall.Errno {
	if t.phase == closed {
		return syscall.ECONNABORTED
	}
	if t.self.IsZero() {
		return t.errno
	}
	err := t.failure()
	t.self.SetError(fmt.Sprintf("error %s \"%s\": %s", op, t.self.Name(), err), ErrorCode(err)...)
	return t.errno
}

// ErrorCode returns the errorCode words of a channel error, the one place
// that decides them: those the error knows (ErrorCoder: a failed
// handshake gives TLS HANDSHAKE FAILED and, for a refused certificate,
// its reason), so that tls::handshake and a read or write that meets the
// failure report the same; none (Tcl's NONE) for other errors.
func ErrorCode(err error) []string {
	var ec ErrorCoder
	if errors.As(err, &ec) {
		return ec.ErrorCode()
	}
	return nil
}

// readReady reports whether a read could return something without new
// input from below: decrypted bytes or whole records inside the
// connection, an end of stream met after the last data, or bytes read
// ahead below before the layer was stacked.
func (t *TLS) readReady() bool {
	if t.err != nil || t.eof {
		return false
	}
	return t.readAhead() || t.conn.ReadErr() != nil || t.conn.Readable()
}

// readAhead reports whether bytes read ahead below before stacking are
// still to come from the channel below.
func (t *TLS) readAhead() bool { return t.pushback > 0 }

// took counts n bytes read below against those read ahead (pushback).
func (t *TLS) took(n int) { t.pushback = max(t.pushback-n, 0) }

// nested reports whether another call is under way in the layer besides
// the one asking (which entered it): a script run from inside the layer
// (by a read or write below, a notification, a callback) has come back
// into it. A nested call takes nothing from below and starts nothing:
// reads get nothing, writes wait, events are held, the layer asks for no
// events below and its C data path is off, until the outer call settles.
func (t *TLS) nested() bool { return t.lay.Depth() > 1 }

// steady reports whether the connection is in its steady state, where
// the binding may move bytes in C (tcl.FastBinding): open, no error or
// end met, nothing held, needed, waiting to be written or read ahead, in
// its thread and not being removed. Everything else goes through the
// driver.
func (t *TLS) steady() bool {
	return t.phase == open && t.err == nil && !t.eof &&
		t.held == 0 && t.need == 0 && !t.outPending &&
		!t.readAhead() && !t.detached && !t.unstacking &&
		t.conn.ReadErr() == nil
}

// setFast writes the driver's plan into the binding (tcl.Plan): whether
// its C data path may run, the upper interest, what the path passes up
// and reports, and when Tcl's empty input buffer goes back; nothing
// crosses when it did not change.
func (t *TLS) setFast(on bool) {
	p := tcl.Plan{Fast: on, Drain: t.drains(), Upper: t.upperMask, Release: t.release()}
	if on {
		p.Pass, p.Report = t.passed(), t.reported()
	}
	if t.self.IsZero() {
		t.sent = tcl.Plan{}
		return
	}
	if p != t.sent {
		t.sent = p
		t.self.SetPlan(p)
	}
}

// drains reports whether the layer's reads return a short count only
// once the channel below has had nothing more (ossl.Conn.Pull's drain):
// on a non-blocking channel, where Tcl takes a short count to mean that
// and reads no more until an event, unless the channel below is an OS
// channel, whose input the notifier goes on reporting while it waits
// there (a short count costs nothing there; reading on would cost a
// read that finds nothing). A channel below that announces its input
// once (a reflected channel holding more than one read takes, a
// transform) raises no event for the rest.
func (t *TLS) drains() bool { return !t.blocking && !t.osBelow }

// release is when the binding gives back Tcl's empty input buffer of the
// channel, at the next watch after an input that ran out of data
// (tcl.Plan.Release). Tcl holds on to one per channel, of the channel's
// buffer size (64 KiB here): on an idle connection it is memory the
// connection does not need, and on a busy one the next event's read
// takes one again (one buffer per event, not per record). So it goes
// back after an input that found nothing, and after a short one unless
// the channel blocks: a blocking channel's reader comes straight back for
// more after a short count, and keeps its buffer.
func (t *TLS) release() int {
	if t.blocking {
		return tcl.StarvedEmpty
	}
	return tcl.StarvedEmpty | tcl.StarvedShort
}

// outWaiting asks the connection whether ciphertext waits to be written,
// for the places where OpenSSL may just have made some (a read, close).
// Every operation flushes what it produced, so elsewhere outPending says
// the same without a call into C: the channel below refused some, and the
// layer waits to be writable.
func (t *TLS) outWaiting() bool { return t.conn.Outgoing() > 0 }

// handshakeError wraps the reason of a failed handshake. When the peer's
// certificate was refused, verify is OpenSSL's X509_V_ERR code and
// verifyText its text.
type handshakeError struct {
	reason     string
	verify     int
	verifyText string
}

func (e *handshakeError) Error() string { return "handshake failed: " + e.reason }

// ErrorCode returns the words of the Tcl errorCode of the failure:
// TLS HANDSHAKE FAILED, as in TclTLS 2.0, followed for a refused
// certificate by VERIFY, the name of OpenSSL's verification error (see
// ossl.VerifyErrorName), its number and its text. A script that traps
// {TLS HANDSHAKE FAILED} catches both.
func (e *handshakeError) ErrorCode() []string {
	code := []string{"TLS", "HANDSHAKE", "FAILED"}
	if e.verify != 0 {
		code = append(code, "VERIFY", ossl.VerifyErrorName(e.verify),
			strconv.Itoa(e.verify), e.verifyText)
	}
	return code
}

// ErrorCoder is an error that knows the Tcl errorCode it should raise.
type ErrorCoder interface {
	ErrorCode() []string
}

func handshakeFailure(err error) error {
	var oe *ossl.Error
	if errors.As(err, &oe) {
		reason := oe.Error()
		if oe.VerifyCode != 0 {
			reason += fmt.Sprintf(" due to \"%s\": %s", oe.VerifyResult, trustHint(oe.VerifyCode))
			return &handshakeError{reason, oe.VerifyCode, oe.VerifyResult}
		}
		return &handshakeError{reason: reason}
	}
	return &handshakeError{reason: err.Error()}
}

// trustHint says how a script can accept a peer whose certificate failed
// verification with code: by trusting its issuer, by connecting with a
// name the certificate holds, or, whatever the cause, by not verifying.
func trustHint(code int) string {
	const optOut = "use -require 0 to accept it unverified"
	switch ossl.VerifyErrorName(code) {
	case "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT",
		"UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_UNTRUSTED":
		return "trust its issuer (or the certificate itself, if self-signed) with -cafile, -cadir or -castore, or " + optOut
	case "HOSTNAME_MISMATCH", "IP_ADDRESS_MISMATCH", "EMAIL_MISMATCH":
		return "the certificate is for another name; connect with a name it holds (or give one with -servername), or " + optOut
	case "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID":
		return "the certificate is not valid at this time (check the clock); " + optOut
	}
	return optOut
}

// errTruncated is the error of a stream that ends inside a TLS record: the
// data was cut off, which must not read as a complete stream.
var errTruncated = errors.New("connection closed in the middle of a TLS record")

// errMoved fails a handshake whose deciding script stayed in the thread
// the channel left.
var errMoved = &handshakeError{reason: "-validatecommand cannot run: the channel moved to another thread before its handshake completed"}
