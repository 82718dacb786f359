package tclext

import (
	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/ossl"
	"github.com/tclgo/tls/tcl"
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
	conn, err := newConn(&opts)
	if err != nil {
		return err
	}
	if key := sessionKey(&opts); key != "" {
		if err := conn.SetSessionKey(key); err != nil {
			conn.Free()
			return err
		}
	}
	if _, err := channel.Stack(interp, lower, conn, channel.Hooks{}); err != nil {
		conn.Free()
		return err
	}
	interp.SetResult(objv[1])
	return nil
}

// newConn builds the connection for a set of options.
func newConn(opts *importOptions) (*ossl.Conn, error) {
	opts.ctx.Server = opts.conn.Server
	ctx, err := contextFor(&opts.ctx)
	if err != nil {
		return nil, err
	}
	return ctx.NewConn(&opts.conn)
}

// cmdCheck is tls::_check ?options?: the validation of tls::import without
// a channel, so that tls::socket rejects bad options before it opens or
// listens on anything.
func cmdCheck(interp tcl.Interp, objv []tcl.Obj) error {
	opts, err := parseImportOptions(interp, objv[1:])
	if err != nil {
		return err
	}
	conn, err := newConn(&opts)
	if err != nil {
		return err
	}
	conn.Free()
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
