package tclext

import (
	"strings"

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

// cmdUnimport is tls::unimport channel: the layer goes, nothing is sent,
// so that both ends can go on in plain text.
func cmdUnimport(interp tcl.Interp, objv []tcl.Obj) error {
	return unstack(interp, objv, false)
}

// cmdShutdown is tls::shutdown channel and tls::unstack channel (TclTLS
// 2.0.1's names): as its manual has it, the session ends with
// close_notify before the layer goes.
func cmdShutdown(interp tcl.Interp, objv []tcl.Obj) error {
	return unstack(interp, objv, true)
}

func unstack(interp tcl.Interp, objv []tcl.Obj, notify bool) error {
	if len(objv) != 2 {
		return tcl.WrongNumArgs(commandName(objv[0]) + " channel")
	}
	t, err := tlsChannel(interp, objv[1].String())
	if err != nil {
		return err
	}
	return t.Unstack(interp, notify)
}

// commandName returns the name a command was called by, without the
// leading "::", for wrong # args messages of commands known by several
// names (tls::import and tls::starttls).
func commandName(word tcl.Obj) string {
	return strings.TrimPrefix(word.String(), "::")
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
		return handshakeTclError(err)
	}
	interp.SetResult(tcl.NewBool(done))
	return nil
}

// handshakeTclError is the Tcl error of a failed handshake, with the
// errorCode the channel layer gives it (channel.ErrorCode: TLS HANDSHAKE
// FAILED, and the reason of a refused certificate); an error that brings
// none, such as a channel closed under the handshake, still says TLS
// HANDSHAKE FAILED, as in TclTLS 2.0.
func handshakeTclError(err error) error {
	code := channel.ErrorCode(err)
	if code == nil {
		code = []string{"TLS", "HANDSHAKE", "FAILED"}
	}
	return &tcl.Error{Msg: err.Error(), Code: code}
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
