package tclext

import (
	"github.com/tclgo/tls/callbacks"
	"github.com/tclgo/tls/internal/tcl"
)

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
