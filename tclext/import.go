package tclext

// tls::import and what it shares with tls::socket: option checking, the
// connection with its callbacks, stacking it on the channel, and the
// report of a failed handshake to the script part.

import (
	"github.com/tclgo/tls/callbacks"
	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// cmdImport is tls::import channel ?options? (also tls::starttls, its
// name in TclTLS 2.0.1): it validates every option,
// finds or builds the context and creates the connection before stacking,
// so that a failure leaves the channel exactly as it was.
func cmdImport(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) < 2 {
		return tcl.WrongNumArgs(commandName(objv[0]) + " channel ?options?")
	}
	lower, err := interp.GetChannel(objv[1].String())
	if err != nil {
		return err
	}
	if lower.Mode()&(tcl.Readable|tcl.Writable) != tcl.Readable|tcl.Writable {
		return tcl.Errorf("bad channel \"%s\": must be open for reading and writing", objv[1].String())
	}
	opts, err := parseImportOptions(interp, objv[2:])
	if err != nil {
		return err
	}
	return importWithCallbacks(interp, lower, &opts, objv[1])
}

// newConn builds the connection for a set of options. With -model the
// connection shares the model channel's context and the context-wide
// options are not used; the connection options still apply.
func newConn(interp tcl.Interp, opts *importOptions) (*ossl.Conn, error) {
	opts.ctx.Server = opts.conn.Server
	if opts.model != "" {
		model, err := tlsChannel(interp, opts.model)
		if err != nil {
			return nil, err
		}
		ctx, err := model.Conn().Context()
		if err != nil {
			return nil, tcl.Errorf("bad channel \"%s\": %v", opts.model, err)
		}
		defer ctx.Free()
		return ctx.NewConn(&opts.conn)
	}
	var conn *ossl.Conn
	err := withContext(opts.contextKey(), interpID(interp), &opts.ctx, func(ctx *ossl.Context) (err error) {
		conn, err = ctx.NewConn(&opts.conn)
		return err
	})
	return conn, err
}

// cmdCheck is tls::_check ?options?: the validation of tls::import without
// a channel, so that tls::socket rejects bad options before it opens or
// listens on anything.
func cmdCheck(interp tcl.Interp, objv []tcl.Obj) error {
	opts, err := parseImportOptions(interp, objv[1:])
	if err != nil {
		return err
	}
	withPassword(interp, &opts)
	conn, err := newConn(interp, &opts)
	if err != nil {
		return err
	}
	conn.Free()
	return nil
}

// cmdConnect is tls::_connect socketCmd socketOptions host port
// ?options?, the client half of tls::socket (tls.tcl): it validates the
// options and prepares the connection (context, sessions) first, then
// opens the socket with socketCmd and stacks the connection on it, so
// that the options are parsed and the context's files looked at once per
// client. A failure after the socket opened closes it.
func cmdConnect(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) < 5 {
		return tcl.WrongNumArgs("tls::_connect socketCmd socketOptions host port ?options?")
	}
	opts, err := parseImportOptions(interp, objv[5:])
	if err != nil {
		return err
	}
	checkHost(&opts, objv[3].String())
	prefix, err := objv[1].List(interp)
	if err != nil {
		return err
	}
	sopts, err := objv[2].List(interp)
	if err != nil {
		return err
	}
	conn, err := buildConn(interp, &opts)
	if err != nil {
		return err
	}
	words := make([]tcl.Obj, 0, len(prefix)+len(sopts)+2)
	words = append(append(append(words, prefix...), sopts...), objv[3], objv[4])
	if interp.EvalObj(tcl.NewList(words...), 0) != tcl.OK {
		conn.Free()
		return tcl.ErrResult
	}
	name := interp.Result()
	name.IncrRef()
	defer name.DecrRef()
	lower, err := interp.GetChannel(name.String())
	if err == nil {
		err = stackConn(interp, lower, conn, &opts, name)
	} else {
		conn.Free()
	}
	if err != nil {
		state := interp.SaveState(tcl.OK)
		interp.EvalObj(tcl.NewList(tcl.NewString("close"), name), tcl.EvalGlobal)
		interp.RestoreState(state)
		return err
	}
	return nil
}

// checkHost makes host, the server tls::socket connects to, the name its
// certificate must match when -servername names none: a client that
// knows its server's name never accepts a certificate for another one
// unless -require 0 or a -validatecommand lets it. It is checked without
// being sent as SNI: tls.tcl passes the host as -servername when
// -autoservername asks for SNI.
func checkHost(opts *importOptions, host string) {
	if opts.conn.ServerName == "" && !opts.conn.Server {
		opts.conn.ServerName = host
		opts.conn.NoSNI = true
	}
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
