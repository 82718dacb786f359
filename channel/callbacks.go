package channel

import (
	"errors"

	"github.com/tclgo/tls/tcl"
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
// held tells LeaveCallback whether a reference was taken.
func (t *TLS) EnterCallback() (held bool) {
	t.cbDepth++
	if t.closing || t.self.IsZero() {
		return false
	}
	if t.cbDepth == 1 {
		t.updateInterest()
	}
	t.self.Hold()
	return true
}

// LeaveCallback ends what EnterCallback began.
func (t *TLS) LeaveCallback(held bool) {
	t.cbDepth--
	if held {
		if t.self.Shared() {
			t.self.Release()
		} else {
			// Every interpreter closed the channel: close it for real
			// once the driver has returned.
			ch := t.self
			tcl.After(0, ch.Release)
		}
	}
	if t.cbDepth == 0 && !t.closing && !t.self.IsZero() {
		t.updateInterest()
		if t.missed {
			t.missed = false
			t.schedule()
		}
	}
}

// InCallback reports whether a script callback of this layer is running.
func (t *TLS) InCallback() bool { return t.cbDepth > 0 }

// Closing reports whether the layer is being closed.
func (t *TLS) Closing() bool { return t.closing || t.self.IsZero() }

// Name returns the channel's name ("" once closed).
func (t *TLS) Name() string {
	if t.self.IsZero() {
		return ""
	}
	return t.self.Name()
}
