package tclext

import (
	"github.com/tclgo/tls/internal/callbacks"
	"github.com/tclgo/tls/internal/channel"
	"github.com/tclgo/tls/internal/ossl"
	"github.com/tclgo/tls/internal/tcl"
)

func init() {
	commands["::tls::identity"] = cmdIdentity
}

// withPassword makes the context ask the -password script (or, without
// one, tls::password) for the pass phrase of an encrypted key. The script
// is part of the context's cache key.
func withPassword(interp tcl.Interp, opts *importOptions) {
	opts.ctx.Password = callbacks.Password(interp, opts.password)
	opts.ctx.PasswordID = opts.password
}

// importWithCallbacks builds the connection for opts, with the script
// callbacks of -command and -validatecommand, and stacks it on lower.
// The channel is held open while the context is built, so that a
// -password script that closes it does no harm.
func importWithCallbacks(interp tcl.Interp, lower tcl.Channel, opts *importOptions, name tcl.Obj) error {
	if err := followModel(interp, opts); err != nil {
		return err
	}
	lower.Hold()
	conn, err := buildConn(interp, opts)
	if !lower.Shared() {
		lower.Release()
		if conn != nil {
			conn.Free()
		}
		return tcl.Errorf("channel \"%s\" was closed during tls::import", name.String())
	}
	lower.Release()
	if err != nil {
		return err
	}
	return stackConn(interp, lower, conn, opts, name)
}

// buildConn makes the connection for opts (its context found in the
// cache or built, asking the -password script when needed) and gives a
// client its sessions: the one -session_id names, or the one cached for
// its server and checks.
func buildConn(interp tcl.Interp, opts *importOptions) (*ossl.Conn, error) {
	withPassword(interp, opts)
	conn, err := newConn(interp, opts)
	if err != nil {
		return nil, err
	}
	if key, auto := sessionKey(interp, opts); key != "" {
		// The context's own settings are part of the key, so that a
		// session is never offered by a context of another configuration
		// (which may trust other CAs), even one at a reused address.
		key += "|" + opts.contextKey()
		var err error
		switch id := opts.conn.SessionIDContext; {
		case len(id) > 0:
			// A client's -session_id names the session to resume.
			err = conn.ResumeSession(key, id)
		case auto:
			err = conn.SetSessionKey(key)
		default:
			err = conn.KeepSessions(key)
		}
		if err != nil {
			conn.Free()
			return nil, err
		}
	}
	return conn, nil
}

// stackConn stacks conn, with the script callbacks of opts, on lower and
// leaves the channel's name in the result. On failure conn is freed and
// lower is as it was.
func stackConn(interp tcl.Interp, lower tcl.Channel, conn *ossl.Conn, opts *importOptions, name tcl.Obj) error {
	set := callbacks.New(interp, lower.Name(), opts.command, opts.validate)
	hooks := channel.Hooks{}
	if set != nil {
		set.Conn = conn
		set.Data = opts
		conn.SetHooks(set.Hooks())
		hooks = set.ChannelHooks()
	}
	rep := newFailureReport(interp, lower.Name())
	hooks.HandshakeFailed = rep.report
	closed := hooks.Closed
	var forget func()
	hooks.Closed = func() {
		rep.free()
		if forget != nil {
			forget()
		}
		if closed != nil {
			closed()
		}
	}
	t, err := channel.Stack(interp, lower, conn, hooks)
	if err != nil {
		set.Free()
		conn.Free()
		return err
	}
	forget = rememberImport(t, opts)
	set.Attach(t)
	interp.SetResult(name)
	return nil
}

// failureReport hands the message of a failed handshake to
// ::tls::_failed (tls.tcl), which passes it to Tcl's http package, so that
// http::geturl reports why an HTTPS connection failed instead of "failed
// to use socket".
type failureReport struct {
	interp tcl.Interp
	name   string
	notice *tcl.DeleteNotice
}

func newFailureReport(interp tcl.Interp, name string) *failureReport {
	r := &failureReport{interp: interp, name: name}
	r.notice = interp.OnDelete(func() { r.interp = tcl.Interp{} })
	return r
}

func (r *failureReport) report(msg string) {
	ip := r.interp
	if ip.IsZero() || ip.Deleted() {
		return
	}
	ip.Preserve()
	defer ip.Release()
	state := ip.SaveState(tcl.OK)
	defer ip.RestoreState(state)
	ip.EvalObj(tcl.NewList(tcl.NewString("::tls::_failed"), tcl.NewString(r.name),
		tcl.NewString(msg)), tcl.EvalGlobal)
}

// free forgets the interpreter (the channel is gone or left the thread).
func (r *failureReport) free() {
	r.notice.Cancel()
	r.notice = nil
	r.interp = tcl.Interp{}
}

// cmdIdentity is tls::identity ?-certfile file? ?-keyfile file? ?-cert
// der? ?-key der?: usable only while a hello or sni callback of
// -validatecommand runs on a server, it makes that connection present
// another certificate and key. The connection keeps every other setting
// of its tls::import; the new identity goes through the context cache
// (and the -password script, for an encrypted key) like any other.
func cmdIdentity(interp tcl.Interp, objv []tcl.Obj) error {
	const usage = "tls::identity ?-certfile file? ?-keyfile file? ?-cert der? ?-key der?"
	s := callbacks.Current(interp)
	if s == nil {
		return tcl.Errorf("tls::identity can only be used inside a hello or sni callback")
	}
	base, _ := s.Data.(*importOptions)
	if base == nil || s.Conn == nil || len(objv)%2 != 1 || len(objv) < 3 {
		return tcl.WrongNumArgs(usage)
	}
	opts := *base
	opts.ctx.CertFile, opts.ctx.KeyFile, opts.ctx.Cert, opts.ctx.Key = "", "", nil, nil
	opts.ctxKey = "" // other settings: another context
	for k := 1; k < len(objv); k += 2 {
		name := objv[k].String()
		switch name {
		case "-certfile", "-keyfile", "-cert", "-key":
			if err := importOptionTable[name](interp, &opts, name, objv[k+1]); err != nil {
				return err
			}
		default:
			return tcl.Errorf("bad option \"%s\": must be -cert, -certfile, -key, or -keyfile", name)
		}
	}
	if opts.ctx.CertFile == "" && len(opts.ctx.Cert) == 0 {
		return tcl.Errorf("tls::identity needs -certfile or -cert")
	}
	return withContext(opts.contextKey(), interpID(interp), &opts.ctx, s.Conn.UseContext)
}
