package tclext

import (
	"github.com/tclgo/tls/internal/channel"
	"github.com/tclgo/tls/internal/ossl"
	"github.com/tclgo/tls/internal/tcl"
)

// tlsChannel finds the TLS layer of the named channel, with the C
// package's message when the channel is not TLS.
func tlsChannel(interp tcl.Interp, name string) (*channel.TLS, error) {
	ch, err := interp.GetChannel(name)
	if err != nil {
		return nil, err
	}
	t := channel.Of(ch)
	if t == nil {
		return nil, tcl.Errorf("bad channel \"%s\": not a TLS channel", ch.Name())
	}
	return t, nil
}

// cmdImport is tls::import channel ?options?: it validates every option,
// finds or builds the context and creates the connection before stacking,
// so that a failure leaves the channel exactly as it was.
func cmdImport(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) < 2 {
		return tcl.WrongNumArgs("tls::import channel ?options?")
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

// cmdUnimport is tls::unimport channel.
func cmdUnimport(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) != 2 {
		return tcl.WrongNumArgs("tls::unimport channel")
	}
	t, err := tlsChannel(interp, objv[1].String())
	if err != nil {
		return err
	}
	return t.Unstack(interp)
}

// cmdHandshake is tls::handshake channel: 1 when the handshake is done, 0
// while a non-blocking one is in progress.
func cmdHandshake(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) != 2 {
		return tcl.WrongNumArgs("tls::handshake channel")
	}
	t, err := tlsChannel(interp, objv[1].String())
	if err != nil {
		return err
	}
	done, err := t.Handshake()
	if err != nil {
		return &tcl.Error{Msg: err.Error(), Code: []string{"TLS", "HANDSHAKE", "FAILED"}}
	}
	interp.SetResult(tcl.NewBool(done))
	return nil
}

// cmdStatus is tls::status ?-local? channel.
func cmdStatus(interp tcl.Interp, objv []tcl.Obj) error {
	const usage = "tls::status ?-local? channel"
	local := false
	switch {
	case len(objv) == 3 && objv[1].String() == "-local":
		local = true
	case len(objv) != 2:
		return tcl.WrongNumArgs(usage)
	}
	t, err := tlsChannel(interp, objv[len(objv)-1].String())
	if err != nil {
		return err
	}
	interp.SetResult(statusList(t, local))
	return nil
}

// cmdVersion is tls::version: the OpenSSL version running now.
func cmdVersion(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResultString(ossl.Version())
	return nil
}

// cmdContexts is tls::_contexts: how many OpenSSL contexts the process has
// built, so that tests can see the cache at work.
func cmdContexts(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResult(tcl.NewInt(int64(contextsCreated())))
	return nil
}

// cmdOptions is tls::_options: the options of tls::import, sorted, so that
// tls::socket (tls.tcl) can list and check them without a copy of the
// table.
func cmdOptions(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResult(tcl.NewStringList(importOptionNames))
	return nil
}
