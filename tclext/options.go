package tclext

import (
	"sort"
	"strings"
	"sync"

	"github.com/tclgo/tls/channel"
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// importOptions is everything tls::import was told, split into what the
// context shares and what belongs to one connection.
type importOptions struct {
	ctx  ossl.Config
	conn ossl.ConnConfig

	// Command prefixes of the callback options ("" when not given).
	command, password, validate string
	// model names the channel whose context to share ("" when not given).
	model string
	// given records which of the options that follow a model this
	// import set itself (see followModel).
	given modelOptions
	// protocolsGiven records the versions whose option this import set
	// itself (see fillProtocolHoles).
	protocolsGiven ossl.Protocols

	// ctxKey caches contextKey(&ctx) once the context settings are final.
	ctxKey string
}

// contextKey returns the cache key of the context settings, computed once
// per import (it looks at the files the context reads).
func (o *importOptions) contextKey() string {
	if o.ctxKey == "" {
		o.ctxKey = contextKey(&o.ctx)
	}
	return o.ctxKey
}

// defaultOptions returns the defaults that do not depend on the role:
// TLS 1.2 and 1.3 enabled, OpenSSL's security level, the default trust
// store, and key logging to $SSLKEYLOGFILE when it is set. The defaults
// of -request and -require depend on -server, which may come last: see
// roleDefaults.
func defaultOptions() importOptions {
	return importOptions{
		ctx: ossl.Config{
			Protocols:     ossl.TLS1_2 | ossl.TLS1_3,
			SecurityLevel: -1,
			DefaultCA:     true,
			KeyLogFile:    ossl.Getenv("SSLKEYLOGFILE"),
		},
	}
}

// roleDefaults applies the defaults of TclTLS 2.0, secure for clients:
// a client that was not told otherwise requests and requires a valid
// certificate from its server; a server asks its clients for none (a
// browser with client certificates would otherwise prompt its user).
// Either way -require 1 turns -request on: the spec says -require needs
// it, and requiring without requesting would accept any certificate.
func roleDefaults(o *importOptions) {
	client := !o.conn.Server
	if o.given&followRequest == 0 {
		o.conn.Request = client
	}
	if o.given&followRequire == 0 {
		o.conn.Require = client
	}
	if o.conn.Require {
		o.conn.Request = true
	}
}

// fillProtocolHoles enables each version that was left at its default
// and lies between two enabled versions. OpenSSL offers one contiguous
// range of versions, so with the hole "-tls1 1" alone (TLS 1.1 off by
// default) would offer either TLS 1.0 alone (OpenSSL's choice, and so
// TclTLS 2.0.1's) or TLS 1.2 and 1.3 without the 1.0 the script asked
// for; TLS 1.1 is no weaker than 1.0. A version a script turned off
// itself stays off.
func fillProtocolHoles(o *importOptions) {
	var lo, hi ossl.Protocols
	for p := ossl.SSL2; p <= ossl.TLS1_3; p <<= 1 {
		if o.ctx.Protocols&p != 0 {
			if lo == 0 {
				lo = p
			}
			hi = p
		}
	}
	for p := lo << 1; p < hi; p <<= 1 {
		if o.protocolsGiven&p == 0 {
			o.ctx.Protocols |= p
		}
	}
}

// maxSessionID is the longest session id context OpenSSL keeps
// (SSL_MAX_SID_CTX_LENGTH).
const maxSessionID = 32

// modelOptions is a set of the options that an import with -model takes
// from its model unless it gives them itself.
type modelOptions uint

// The options that follow the model.
const (
	followCommand modelOptions = 1 << iota
	followPassword
	followValidate
	followRequest
	followRequire
	followALPN
	followPostHandshake
)

// modelFollowers maps each option that follows the model to its bit.
var modelFollowers = map[string]modelOptions{
	"-command":         followCommand,
	"-password":        followPassword,
	"-validatecommand": followValidate,
	"-request":         followRequest,
	"-require":         followRequire,
	"-alpn":            followALPN,
	"-post_handshake":  followPostHandshake,
}

// optionSetter applies one option's value; name is the option as given
// (perhaps an alias), for messages.
type optionSetter func(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error

// importOptionTable maps each option of tls::import to its setter.
var importOptionTable = map[string]optionSetter{
	"-server":         boolOption(func(o *importOptions, b bool) { o.conn.Server = b }),
	"-request":        boolOption(func(o *importOptions, b bool) { o.conn.Request = b }),
	"-require":        boolOption(func(o *importOptions, b bool) { o.conn.Require = b }),
	"-post_handshake": boolOption(func(o *importOptions, b bool) { o.conn.PostHandshake = b }),
	"-ssl2":           protocolOption(ossl.SSL2),
	"-ssl3":           protocolOption(ossl.SSL3),
	"-tls1":           protocolOption(ossl.TLS1),
	"-tls1.1":         protocolOption(ossl.TLS1_1),
	"-tls1.2":         protocolOption(ossl.TLS1_2),
	"-tls1.3":         protocolOption(ossl.TLS1_3),
	"-certfile":       stringOption(func(o *importOptions, s string) { o.ctx.CertFile = s }),
	"-keyfile":        stringOption(func(o *importOptions, s string) { o.ctx.KeyFile = s }),
	"-cafile":         stringOption(func(o *importOptions, s string) { o.ctx.CAFile = s }),
	"-cadir":          stringOption(func(o *importOptions, s string) { o.ctx.CADir = s }),
	"-castore":        stringOption(func(o *importOptions, s string) { o.ctx.CAStore = s }),
	"-cipher":         stringOption(func(o *importOptions, s string) { o.ctx.CipherList = s }),
	"-ciphersuites":   stringOption(func(o *importOptions, s string) { o.ctx.CipherSuites = s }),
	"-dhparams":       stringOption(func(o *importOptions, s string) { o.ctx.DHParams = s }),
	"-servername":     stringOption(func(o *importOptions, s string) { o.conn.ServerName = s }),
	"-cert":           bytesOption(func(o *importOptions, b []byte) { o.ctx.Cert = b }),
	"-key":            bytesOption(func(o *importOptions, b []byte) { o.ctx.Key = b }),
	"-session_id":     bytesOption(func(o *importOptions, b []byte) { o.conn.SessionIDContext = b }),
	"-securitylevel":  securityLevelOption,
	"-alpn":           alpnOption,

	// Callback scripts (see callbacks.go) and the model channel.
	"-command":         stringOption(func(o *importOptions, s string) { o.command = s }),
	"-password":        stringOption(func(o *importOptions, s string) { o.password = s }),
	"-validatecommand": stringOption(func(o *importOptions, s string) { o.validate = s }),
	"-model":           stringOption(func(o *importOptions, s string) { o.model = s }),
}

// importOptionAliases are accepted spellings that the option list does not
// show.
var importOptionAliases = map[string]string{
	"-ciphers": "-cipher",
	"-vcmd":    "-validatecommand",
	// TclTLS 2.0.1's spelling.
	"-security_level": "-securitylevel",
}

// importOptionNames is the sorted list for "bad option" messages.
var importOptionNames = func() []string {
	names := make([]string, 0, len(importOptionTable))
	for n := range importOptionTable {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

func boolOption(set func(*importOptions, bool)) optionSetter {
	return func(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error {
		b, err := v.Bool(interp)
		if err != nil {
			return optionValueError(interp, name)
		}
		set(o, b)
		return nil
	}
}

func protocolOption(p ossl.Protocols) optionSetter {
	return boolOption(func(o *importOptions, on bool) {
		o.protocolsGiven |= p
		if on {
			o.ctx.Protocols |= p
		} else {
			o.ctx.Protocols &^= p
		}
	})
}

// stringOption sets a string; the empty string means "not given".
func stringOption(set func(*importOptions, string)) optionSetter {
	return func(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error {
		set(o, v.String())
		return nil
	}
}

// bytesOption sets binary data (a Tcl byte array); empty means "not given".
func bytesOption(set func(*importOptions, []byte)) optionSetter {
	return func(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error {
		b, err := v.Bytes()
		if err != nil {
			return tcl.Errorf("bad value for %s: %v", name, err)
		}
		if len(b) == 0 {
			b = nil
		}
		set(o, b)
		return nil
	}
}

func securityLevelOption(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error {
	n, err := v.Int(interp)
	if err != nil {
		return optionValueError(interp, name)
	}
	if n < 0 || n > 5 {
		return tcl.Errorf("bad value \"%s\" for %s: must be an integer from 0 to 5", v.String(), name)
	}
	o.ctx.SecurityLevel = int(n)
	return nil
}

func alpnOption(interp tcl.Interp, o *importOptions, name string, v tcl.Obj) error {
	elems, err := v.List(interp)
	if err != nil {
		return optionValueError(interp, name)
	}
	o.conn.ALPN = nil
	for _, e := range elems {
		s := e.String()
		if s == "" || len(s) > 255 {
			return tcl.Errorf("bad value for -alpn: protocol name \"%s\" must be 1 to 255 bytes", s)
		}
		o.conn.ALPN = append(o.conn.ALPN, s)
	}
	return nil
}

// optionValueError prefixes Tcl's own message (left in the interpreter by
// the failed conversion) with the option's name.
func optionValueError(interp tcl.Interp, name string) error {
	return tcl.Errorf("bad value for %s: %s", name, interp.Result().String())
}

// parseImportOptions reads "-option value" pairs. As in the C package,
// parsing stops at the first word that does not start with "-", and the
// last of duplicate options wins.
func parseImportOptions(interp tcl.Interp, objv []tcl.Obj) (importOptions, error) {
	o := defaultOptions()
	for k := 0; k < len(objv); k += 2 {
		name := objv[k].String()
		if !strings.HasPrefix(name, "-") {
			break
		}
		given := name
		if alias, ok := importOptionAliases[name]; ok {
			name = alias
		}
		set, ok := importOptionTable[name]
		if !ok {
			return o, badImportOption(name)
		}
		if k+1 >= len(objv) {
			return o, tcl.Errorf("no argument given for %s option", given)
		}
		if err := set(interp, &o, given, objv[k+1]); err != nil {
			return o, err
		}
		o.given |= modelFollowers[name]
	}
	if o.ctx.Protocols == 0 {
		return o, tcl.Errorf("no valid protocol selected")
	}
	fillProtocolHoles(&o)
	roleDefaults(&o)
	if sid := o.conn.SessionIDContext; o.conn.Server && len(sid) > maxSessionID {
		return o, tcl.Errorf("bad value \"%s\" for -session_id: must be at most %d bytes",
			sid, maxSessionID)
	}
	return o, nil
}

// badImportOption is the error for an unknown option, listing the valid
// ones.
func badImportOption(name string) error {
	n := len(importOptionNames)
	return tcl.Errorf("bad option \"%s\": must be %s, or %s", name,
		strings.Join(importOptionNames[:n-1], ", "), importOptionNames[n-1])
}

// imports remembers the options each TLS layer was imported with, so that
// an import with -model can follow them. Layers of every thread are kept
// here; each entry goes when its layer does.
var imports = struct {
	sync.Mutex
	m map[*channel.TLS]*importOptions
}{m: make(map[*channel.TLS]*importOptions)}

// rememberImport records the options of a new layer; the function it
// returns forgets them.
func rememberImport(t *channel.TLS, o *importOptions) func() {
	imports.Lock()
	imports.m[t] = o
	imports.Unlock()
	return func() {
		imports.Lock()
		delete(imports.m, t)
		imports.Unlock()
	}
}

// followModel makes an import with -model behave like its model, as the
// spec has it ("share the same SSL_CTX structure ... and therefore share
// callbacks"): the context settings are the model's (its context is the
// one used), and every option of modelFollowers that the import does not
// give itself is the model's.
func followModel(interp tcl.Interp, o *importOptions) error {
	if o.model == "" {
		return nil
	}
	t, err := tlsChannel(interp, o.model)
	if err != nil {
		return err
	}
	imports.Lock()
	m := imports.m[t]
	imports.Unlock()
	if m == nil {
		return nil
	}
	o.ctx, o.ctxKey = m.ctx, m.ctxKey
	if o.given&followCommand == 0 {
		o.command = m.command
	}
	if o.given&followPassword == 0 {
		o.password = m.password
	}
	if o.given&followValidate == 0 {
		o.validate = m.validate
	}
	if o.given&followRequest == 0 {
		o.conn.Request = m.conn.Request
	}
	if o.given&followRequire == 0 {
		o.conn.Require = m.conn.Require
	}
	if o.given&followALPN == 0 {
		o.conn.ALPN = m.conn.ALPN
	}
	if o.given&followPostHandshake == 0 {
		o.conn.PostHandshake = m.conn.PostHandshake
	}
	if o.conn.Require {
		o.conn.Request = true // as in parseImportOptions
	}
	return nil
}
