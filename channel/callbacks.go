package channel

import "errors"

// errInCallback refuses a handshake step from a script that a call of the
// layer runs (a callback inside OpenSSL, a read or write below).
var errInCallback = errors.New("not allowed while a callback of the channel runs")

// EnterCallback must come before a script callback of this layer runs
// (from inside OpenSSL or from the driver), and LeaveCallback after it.
// The callback is a call under way in the layer (see nested): the layer
// is not re-entered meanwhile (reads see no data, writes wait, events are
// held back, tls::handshake fails), and a script that closes the
// channel, unimports it or deletes the interpreter that owns it, only
// marks it closed: the connection is freed once the callback and the calls
// around it have returned.
func (t *TLS) EnterCallback() {
	t.lay.Enter()
	t.quiesce()
}

// LeaveCallback ends what EnterCallback began. The call around it
// settles the layer again; a callback that no call of the layer runs
// settles it itself.
func (t *TLS) LeaveCallback() {
	if !t.nested() {
		t.settle()
	}
	t.lay.Leave()
}

// Closing reports whether the layer is being closed.
func (t *TLS) Closing() bool { return t.phase >= closing || t.self.IsZero() }

// Name returns the channel's name ("" once closed).
func (t *TLS) Name() string {
	if t.self.IsZero() {
		return ""
	}
	return t.self.Name()
}
