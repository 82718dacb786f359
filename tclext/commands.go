package tclext

import (
	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
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

// cmdStart is tls::_start channel: tls::_accept calls it after the accept
// callback, so that a server's handshake starts on the client's hello if
// that has arrived (channel.TLS.Start). A channel the callback closed,
// gave away or left blocking is left alone.
func cmdStart(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) != 2 {
		return tcl.WrongNumArgs("tls::_start channel")
	}
	if ch, err := interp.GetChannel(objv[1].String()); err == nil {
		if t := channel.Of(ch); t != nil {
			t.Start()
		}
	}
	interp.ResetResult()
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

// cmdOptions is tls::_options: the options of tls::import, sorted, so that
// tls::socket (tls.tcl) can list and check them without a copy of the
// table.
func cmdOptions(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResult(tcl.NewStringList(importOptionNames))
	return nil
}
