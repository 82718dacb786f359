package tclext

import (
	"strings"

	"github.com/tclgo/tls/callbacks"
	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// statusList builds the key/value list of tls::status: empty until the
// handshake is complete; then the certificate's keys (the peer's, or ours
// with local) when there is a certificate, followed by the connection's.
func statusList(t *channel.TLS, local bool) tcl.Obj {
	l := tcl.NewList()
	c := t.Conn()
	if c == nil || !c.HandshakeDone() {
		return l
	}
	cert := c.PeerCertificate()
	if local {
		cert = c.LocalCertificate()
	}
	if cert != nil {
		callbacks.Fields(l, cert.Fields(), callbacks.StatusSpellings)
	}
	return callbacks.Fields(l, c.StatusFields(local), callbacks.StatusSpellings)
}

// cmdConnection is tls::connection channel.
func cmdConnection(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) != 2 {
		return tcl.WrongNumArgs("tls::connection channel")
	}
	t, err := tlsChannel(interp, objv[1].String())
	if err != nil {
		return err
	}
	l := tcl.NewList()
	if c := t.Conn(); c != nil {
		callbacks.Fields(l, c.ConnectionFields(), callbacks.ConnectionSpellings)
		// TclTLS 2.0.1 lists here, as caList, the names tls::status
		// gives as ca_names.
		names := c.CANames()
		l.AppendPair("caList", tcl.NewStringList(names))
		l.AppendPair("caListCount", tcl.NewInt(int64(len(names))))
	}
	interp.SetResult(l)
	return nil
}

// protocolIndex matches a protocol name the way Tcl_GetIndexFromObj does:
// an exact name, or an unambiguous non-empty prefix of one.
func protocolIndex(name string) (ossl.Protocols, string, error) {
	names := make([]string, len(ossl.ProtocolNames))
	found, matches := -1, 0
	for i, pn := range ossl.ProtocolNames {
		names[i] = pn.Name
		if pn.Name == name {
			return pn.P, pn.Name, nil
		}
		if strings.HasPrefix(pn.Name, name) {
			found = i
			matches++
		}
	}
	if name != "" && matches == 1 {
		return ossl.ProtocolNames[found].P, ossl.ProtocolNames[found].Name, nil
	}
	kind := "bad"
	if matches > 1 {
		kind = "ambiguous"
	}
	last := len(names) - 1
	return 0, "", tcl.Errorf("%s protocol \"%s\": must be %s, or %s", kind, name,
		strings.Join(names[:last], ", "), names[last])
}

// cmdCiphers is tls::ciphers ?protocol? ?verbose? ?supported?. Without a
// protocol (TclTLS 2.0.1) it lists the ciphers of every protocol this
// OpenSSL can use.
func cmdCiphers(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) > 4 {
		return tcl.WrongNumArgs("tls::ciphers ?protocol? ?verbose? ?supported?")
	}
	var p ossl.Protocols
	name := "all protocols"
	if len(objv) > 1 {
		var err error
		if p, name, err = protocolIndex(objv[1].String()); err != nil {
			return err
		}
	}
	var verbose, supported bool
	var err error
	if len(objv) > 2 {
		if verbose, err = objv[2].Bool(interp); err != nil {
			return err
		}
	}
	if len(objv) > 3 {
		if supported, err = objv[3].Bool(interp); err != nil {
			return err
		}
	}
	if p != 0 && !ossl.Supported(p) {
		return tcl.Errorf("%s: protocol not supported", name)
	}
	list, err := ossl.Ciphers(p, supported, verbose)
	if err != nil {
		return tcl.Errorf("%s: %s", name, err.Error())
	}
	if verbose {
		interp.SetResultString(strings.Join(list, ""))
	} else {
		interp.SetResult(tcl.NewStringList(list))
	}
	return nil
}

// cmdProtocols is tls::protocols: the protocols this OpenSSL can use.
func cmdProtocols(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) != 1 {
		return tcl.WrongNumArgs("tls::protocols ")
	}
	interp.SetResult(tcl.NewStringList(ossl.SupportedProtocols()))
	return nil
}

// sessionKey names, for the client session cache, the peer of a client
// connection and the checks that admit a session, since a resumed session
// is not verified again: the server name, -request and -require, and the
// -validatecommand script together with the interpreter that runs it (the
// same script text may mean something else in another interpreter, a
// safe one say). auto tells whether a cached session is offered by
// itself: only with a server name, which names the peer; without one,
// sessions are kept only for a later -session_id.
func sessionKey(interp tcl.Interp, opts *importOptions) (key string, auto bool) {
	if opts.conn.Server {
		return "", false
	}
	var b strings.Builder
	b.WriteString(opts.conn.ServerName)
	for _, f := range []bool{opts.conn.Request, opts.conn.Require} {
		if f {
			b.WriteString("|1")
		} else {
			b.WriteString("|0")
		}
	}
	if opts.validate != "" {
		b.WriteString("|")
		b.WriteString(interpID(interp))
		b.WriteString("|")
		b.WriteString(opts.validate)
	}
	return b.String(), opts.conn.ServerName != ""
}

func init() {
	commands["::tls::connection"] = cmdConnection
	commands["::tls::ciphers"] = cmdCiphers
	commands["::tls::protocols"] = cmdProtocols
	commands["::tls::_sessions"] = cmdSessions
}

// cmdSessions is tls::_sessions: how many sessions the client session
// cache holds, so that tests can see it at work.
func cmdSessions(interp tcl.Interp, objv []tcl.Obj) error {
	interp.SetResult(tcl.NewInt(int64(ossl.CachedSessions())))
	return nil
}
