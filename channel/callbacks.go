package channel

import (
	"errors"

	"github.com/tclgo/tls/internal/tcl"
)

// errInCallback refuses operations that would re-enter OpenSSL while one
// of its callbacks runs a script.
var errInCallback = errors.New("not allowed while a callback of the channel runs")

// EnterCallback must come before a script callback of this layer runs
// (from inside OpenSSL or from the driver), and LeaveCallback(held) after
// it. In between, the layer is not re-entered: reads see no data, writes
// wait, events are held back, and tls::handshake and tls::unimport fail.
// The channel is also held open, so that a script closing it (or deleting
// the interpreter that owns it) cannot free it under the driver; the
// close then happens from the event loop once the driver has returned.
// held is the channel through which the reference was taken (zero if
// none): the bottom of the stack, whose stack state the reference counts,
// and which outlives this layer and every other even if a script pops
// them (chan pop).
func (t *TLS) EnterCallback() (held tcl.Channel) {
	t.cbDepth++
	if t.phase >= closing || t.self.IsZero() {
		return tcl.Channel{}
	}
	if t.cbDepth == 1 {
		t.settle()
	}
	t.base.Hold()
	return t.base
}

// LeaveCallback ends what EnterCallback began.
func (t *TLS) LeaveCallback(held tcl.Channel) {
	t.cbDepth--
	if !held.IsZero() {
		if held.Shared() {
			held.Release()
		} else {
			// Every interpreter closed the channel: close it for real
			// once the driver has returned.
			tcl.After(0, held.Release)
		}
	}
	if t.cbDepth == 0 {
		// Events from below were not taken meanwhile: the channel below
		// raises them again once the interest is back, and the timer
		// reports what waits inside the layer.
		t.settle()
		t.schedule()
	}
}

// InCallback reports whether a script callback of this layer is running.
func (t *TLS) InCallback() bool { return t.cbDepth > 0 }

// Closing reports whether the layer is being closed.
func (t *TLS) Closing() bool { return t.phase >= closing || t.self.IsZero() }

// Name returns the channel's name ("" once closed).
func (t *TLS) Name() string {
	if t.self.IsZero() {
		return ""
	}
	return t.self.Name()
}
