// Package callbacks turns the hook events of a TLS connection into the
// script callbacks of the Tcl package (-command, -validatecommand and
// -password) and their results back into decisions.
//
// Scripts are command prefixes; the arguments of each form are appended
// as list elements and the command is evaluated at global level in the
// interpreter that imported the channel. The interpreter's result and
// error state are saved and restored around every callback. A result
// that is an integer is that integer, any other result counts as 1; an
// error (or break, continue, return) goes to the interpreter's background
// error handler and counts as 0.
package callbacks

import (
	"fmt"
	"sync"

	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// Set is the script callbacks of one connection. It is used only on the
// thread of the interpreter that created it.
type Set struct {
	interp   tcl.Interp
	notice   *tcl.DeleteNotice
	command  tcl.Obj // -command prefix, zero when not given
	validate tcl.Obj // -validatecommand prefix, zero when not given
	name     string  // the channel's name, for the forms that carry it
	layer    *channel.TLS
	failure  string // why a -validatecommand callback aborted the handshake

	// Conn is the connection the callbacks belong to.
	Conn *ossl.Conn
	// Data is whatever the creator wants a Current caller to find (the
	// import options, so that a certificate can be switched).
	Data any
}

// New makes the callbacks of the channel named name from the script
// prefixes of -command and -validatecommand ("" when not given), run in
// interp. It returns nil when there is nothing to call.
func New(interp tcl.Interp, name, command, validate string) *Set {
	if command == "" && validate == "" {
		return nil
	}
	s := &Set{interp: interp, name: name}
	if command != "" {
		s.command = tcl.NewString(command)
		s.command.IncrRef()
	}
	if validate != "" {
		s.validate = tcl.NewString(validate)
		s.validate.IncrRef()
	}
	s.notice = interp.OnDelete(func() { s.interp = tcl.Interp{} })
	return s
}

// Attach connects the callbacks to the channel layer once it exists, so
// that the layer is guarded while scripts run.
func (s *Set) Attach(t *channel.TLS) {
	if s != nil {
		s.layer = t
	}
}

// Free releases the scripts. The Set calls nothing afterwards.
func (s *Set) Free() {
	if s == nil {
		return
	}
	s.notice.Cancel()
	s.notice = nil
	s.interp = tcl.Interp{}
	if !s.command.IsZero() {
		s.command.DecrRef()
		s.command = tcl.Obj{}
	}
	if !s.validate.IsZero() {
		s.validate.DecrRef()
		s.validate = tcl.Obj{}
	}
}

// Hooks returns the connection hooks that run the scripts.
func (s *Set) Hooks() *ossl.Hooks {
	h := &ossl.Hooks{}
	if !s.command.IsZero() {
		h.Info = s.info
		h.NewSession = s.session
		h.Message = s.message
	}
	if !s.validate.IsZero() {
		h.Verify = s.verify
		h.Hello = s.hello
		h.SNI = s.sni
		h.ALPN = s.alpn
	}
	return h
}

// ChannelHooks returns the hooks of the channel layer: the error form of
// -command, the reason of a handshake a callback aborted, and the end of
// the layer, which frees the Set.
func (s *Set) ChannelHooks() channel.Hooks {
	h := channel.Hooks{
		Reason:  func() string { return s.failure },
		Closed:  s.Free,
		Decides: !s.validate.IsZero(),
	}
	if !s.command.IsZero() {
		h.Error = func(msg string) {
			s.run(s.command, "", tcl.NewString("error"), tcl.NewString(s.name), tcl.NewString(msg))
		}
	}
	return h
}

// run evaluates prefix with args appended and returns the callback's value
// (see the package comment) and the error message when it failed. form,
// when not empty, names a -validatecommand form whose failure aborts the
// handshake.
func (s *Set) run(prefix tcl.Obj, form string, args ...tcl.Obj) (value int64, ok bool) {
	ip := s.interp
	if ip.IsZero() || prefix.IsZero() || ip.Deleted() {
		return 0, false
	}
	if s.layer != nil {
		s.layer.EnterCallback()
		defer s.layer.LeaveCallback()
	}
	ip.Preserve()
	defer ip.Release()
	state := ip.SaveState(tcl.OK)
	defer ip.RestoreState(state)

	cmd, err := prefix.WithArgs(ip, args...)
	code := tcl.ERROR
	if err == nil {
		code = ip.EvalObj(cmd, tcl.EvalGlobal)
	}
	if code != tcl.OK {
		msg := ip.Result().String()
		if form != "" && s.failure == "" {
			s.failure = fmt.Sprintf("%s callback failed: %s", form, msg)
		}
		if !ip.Deleted() {
			ip.BackgroundError(code)
		}
		return 0, false
	}
	res := ip.Result()
	v, ierr := res.Int(ip)
	if ierr != nil {
		return 1, true
	}
	return v, true
}

// info is the info form of -command.
func (s *Set) info(ev ossl.InfoEvent) {
	s.run(s.command, "", tcl.NewString("info"), tcl.NewString(s.name),
		tcl.NewString(ev.Major), tcl.NewString(ev.Minor), tcl.NewString(ev.Message),
		tcl.NewString(ev.Type))
}

// session is the session form of -command.
func (s *Set) session(ev ossl.SessionEvent) {
	s.run(s.command, "", tcl.NewString("session"), tcl.NewString(s.name), tcl.NewBytes(ev.ID),
		tcl.NewBytes(ev.Ticket), tcl.NewInt(int64(ev.Lifetime)))
}

// message is the message form of -command: the direction (Sent or
// Received), the protocol version, the content type and OpenSSL's trace
// of the message.
func (s *Set) message(ev ossl.MessageEvent) {
	dir := "Received"
	if ev.Sent {
		dir = "Sent"
	}
	s.run(s.command, "", tcl.NewString("message"), tcl.NewString(s.name), tcl.NewString(dir),
		tcl.NewString(ev.Version), tcl.NewString(ev.ContentType), tcl.NewString(ev.Text))
}

// verify is the verify form of -validatecommand: 0 rejects the
// certificate and aborts the handshake, 2 rejects it but lets the
// handshake go on (tls::status then reports the failure under
// verification), anything else accepts it.
func (s *Set) verify(ev ossl.VerifyEvent) ossl.Decision {
	v, _ := s.run(s.validate, "verify", tcl.NewString("verify"), tcl.NewString(s.name),
		tcl.NewInt(int64(ev.Depth)), CertList(ev.DER), tcl.NewBool(ev.OK), tcl.NewString(ev.Error))
	switch v {
	case 0:
		return ossl.Reject
	case 2:
		return ossl.Continue
	}
	return ossl.Accept
}

// hello is the hello form (the channel, the server name and the hello's
// session id): 0 aborts, anything else continues.
func (s *Set) hello(name string, sessionID []byte) ossl.Decision {
	v, _ := s.withCurrent(func() (int64, bool) {
		return s.run(s.validate, "hello", tcl.NewString("hello"), tcl.NewString(s.name),
			tcl.NewString(name), tcl.NewBytes(sessionID))
	})
	if v == 0 {
		return ossl.Reject
	}
	return ossl.Accept
}

// sni is the sni form: 1 accepts the name, 2 or more warns and goes on,
// anything else aborts with unrecognized_name.
func (s *Set) sni(name string) ossl.Decision {
	v, _ := s.withCurrent(func() (int64, bool) {
		return s.run(s.validate, "sni", tcl.NewString("sni"), tcl.NewString(s.name), tcl.NewString(name))
	})
	return negotiated(v)
}

// alpn is the alpn form (the channel, the protocol and whether it is one
// of the server's): 1 selects the protocol, 2 or more goes on without
// ALPN, anything else aborts with no_application_protocol.
func (s *Set) alpn(protocol string, matched bool) ossl.Decision {
	v, _ := s.run(s.validate, "alpn", tcl.NewString("alpn"), tcl.NewString(s.name),
		tcl.NewString(protocol), tcl.NewBool(matched))
	return negotiated(v)
}

// negotiated reads the answer of the sni and alpn forms: 1 accepts, 2 or
// more goes on without the value, anything else aborts.
func negotiated(v int64) ossl.Decision {
	switch {
	case v == 1:
		return ossl.Accept
	case v >= 2:
		return ossl.Continue
	}
	return ossl.Reject
}

// running maps an interpreter to the Sets whose hello or sni callback it
// is evaluating now, innermost last.
var running = struct {
	sync.Mutex
	m map[tcl.Interp][]*Set
}{m: make(map[tcl.Interp][]*Set)}

// withCurrent runs fn with s registered as the interpreter's current Set.
func (s *Set) withCurrent(fn func() (int64, bool)) (int64, bool) {
	ip := s.interp
	running.Lock()
	running.m[ip] = append(running.m[ip], s)
	running.Unlock()
	defer func() {
		running.Lock()
		l := running.m[ip]
		l = l[:len(l)-1]
		if len(l) == 0 {
			delete(running.m, ip)
		} else {
			running.m[ip] = l
		}
		running.Unlock()
	}()
	return fn()
}

// Current returns the Set whose hello or sni callback interp is running
// now, or nil outside such a callback.
func Current(interp tcl.Interp) *Set {
	running.Lock()
	defer running.Unlock()
	l := running.m[interp]
	if len(l) == 0 {
		return nil
	}
	return l[len(l)-1]
}

// Password returns the function that asks for a key's pass phrase: the
// -password script or, when script is "", the procedure tls::password,
// run by tls::_password (tls.tcl), which appends TclTLS 2.0.1's arguments
// (password rwflag size) when the callback can take them and none
// otherwise, as 1.7 and the 2023 manual call it. Its result is the pass
// phrase, whether it ends normally or with return. A -password script that
// fails is also reported to the background error handler; one that ends
// with break, continue or another code fails without its result, which
// could be the pass phrase, appearing anywhere.
func Password(interp tcl.Interp, script string) func(rwflag, size int) (string, error) {
	return func(rwflag, size int) (string, error) {
		prefix := script
		user := true
		if prefix == "" {
			prefix = "::tls::password"
			user = false
		}
		if interp.IsZero() || interp.Deleted() {
			return "", fmt.Errorf("password callback failed: interpreter deleted")
		}
		interp.Preserve()
		defer interp.Release()
		state := interp.SaveState(tcl.OK)
		defer interp.RestoreState(state)
		cmd := tcl.NewList(tcl.NewString("::tls::_password"), tcl.NewString(prefix),
			tcl.NewInt(int64(rwflag)), tcl.NewInt(int64(size)))
		code := interp.EvalObj(cmd, tcl.EvalGlobal)
		if code == tcl.OK {
			return interp.Result().String(), nil
		}
		msg := interp.Result().String()
		if user && !interp.Deleted() {
			interp.BackgroundError(code)
		}
		return "", fmt.Errorf("password callback failed: %s", msg)
	}
}
