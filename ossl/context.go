package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime/cgo"
	"strconv"
	"sync"
	"unsafe"
)

// initErr records a failure of the one-time OpenSSL set-up; NewContext
// reports it instead of crashing the host at load time.
var initErr error

func init() {
	if C.tlsgo_init() == 0 {
		initErr = errors.New("ossl: OpenSSL initialisation failed")
	}
}

// Version returns the version text of the OpenSSL library loaded at run
// time (not the headers compiled against), e.g. "OpenSSL 3.0.19 27 Jan 2026".
func Version() string {
	return C.GoString(C.tlsgo_openssl_version())
}

// Protocols is a bit set of protocol versions.
type Protocols uint

// Protocol versions, lowest first. SSL2 and SSL3 exist so that callers can
// express the Tcl options; OpenSSL 3 as shipped by Debian supports neither.
const (
	SSL2 Protocols = 1 << iota
	SSL3
	TLS1
	TLS1_1
	TLS1_2
	TLS1_3
)

// protocolInfo describes one version: its wire number, the SSL_OP_NO_ flag
// that disables it and the name used in "<name> protocol not supported".
type protocolInfo struct {
	p       Protocols
	version C.int
	noOpt   C.uint64_t
	name    string
}

// protocolTable lists the versions in ascending order.
var protocolTable = []protocolInfo{
	{SSL2, 0x0002, 0, "SSL2"},
	{SSL3, C.SSL3_VERSION, C.SSL_OP_NO_SSLv3, "SSL3"},
	{TLS1, C.TLS1_VERSION, C.SSL_OP_NO_TLSv1, "TLS 1.0"},
	{TLS1_1, C.TLS1_1_VERSION, C.SSL_OP_NO_TLSv1_1, "TLS 1.1"},
	{TLS1_2, C.TLS1_2_VERSION, C.SSL_OP_NO_TLSv1_2, "TLS 1.2"},
	{TLS1_3, C.TLS1_3_VERSION, C.SSL_OP_NO_TLSv1_3, "TLS 1.3"},
}

// supported reports whether this OpenSSL build can negotiate p.
func (pi protocolInfo) supported() bool {
	switch pi.p {
	case SSL2:
		return false
	case SSL3:
		return C.tlsgo_has_ssl3() != 0
	}
	return true
}

// protocolRange maps a version set to the min/max versions to configure.
// OpenSSL can only offer a contiguous range of versions, and given holes it
// keeps the lowest run: "-tls1.2 0" with the defaults would offer TLS 1.0
// and 1.1 only, which the security level then refuses. The highest
// contiguous run of enabled, supported versions is used instead (TLS 1.3
// alone in that example). noOpts is kept for the SSL_OP_NO_ options of
// versions inside the range, which is always empty now.
func protocolRange(set Protocols) (minV, maxV C.int, noOpts C.uint64_t, err error) {
	if set&(SSL2|SSL3|TLS1|TLS1_1|TLS1_2|TLS1_3) == 0 {
		return 0, 0, 0, errors.New("no valid protocol selected")
	}
	hi, lo := -1, -1
	var firstUnsupported string
	for _, pi := range protocolTable {
		if set&pi.p != 0 && !pi.supported() && firstUnsupported == "" {
			firstUnsupported = pi.name
		}
	}
	for i := len(protocolTable) - 1; i >= 0; i-- {
		pi := protocolTable[i]
		usable := set&pi.p != 0 && pi.supported()
		if usable {
			if hi < 0 {
				hi = i
			}
			lo = i
		} else if hi >= 0 {
			break
		}
	}
	if hi < 0 {
		return 0, 0, 0, fmt.Errorf("%s protocol not supported", firstUnsupported)
	}
	return protocolTable[lo].version, protocolTable[hi].version, 0, nil
}

// Config holds every context-wide setting. Zero values mean "not given",
// except SecurityLevel, where "not given" is -1.
type Config struct {
	Protocols     Protocols                              // enabled versions; an empty set is an error
	CipherList    string                                 // cipher list for TLS <= 1.2 (SSL_CTX_set_cipher_list)
	CipherSuites  string                                 // TLS 1.3 suites (SSL_CTX_set_ciphersuites)
	SecurityLevel int                                    // -1 = OpenSSL's configured default; 0..5 set it
	CertFile      string                                 // PEM certificate, possibly followed by its chain
	Cert          []byte                                 // DER certificate, used when CertFile == ""
	KeyFile       string                                 // PEM private key; defaults to CertFile when no key is given
	Key           []byte                                 // DER private key (PKCS#1 RSA or PKCS#8 any type), used when KeyFile == ""
	Password      func(rwflag, size int) (string, error) // asked for the pass phrase of an encrypted PEM key (rwflag 0: to read it; size: the longest phrase OpenSSL takes, plus one)
	PasswordID    string                                 // names Password in cache keys (the script behind it)
	CAFile        string                                 // PEM file of trusted certificates; also the client-CA list servers send
	CADir         string                                 // hashed directory of trusted certificates
	CAStore       string                                 // OpenSSL store URI of trusted certificates (SSL_CTX_load_verify_store)
	DefaultCA     bool                                   // also trust OpenSSL's default verify paths
	DHParams      string                                 // PEM DH parameters file; "" = OpenSSL's automatic DH
	KeyLogFile    string                                 // append NSS key log lines to this file when != ""
	Server        bool                                   // accepting side: OpenSSL's server session cache, else the client cache (session.go)
}

// Context is an SSL_CTX with every context-wide setting applied. One
// Context serves any number of connections; NewConn may be called from
// several goroutines at once, Free must not race with it.
type Context struct {
	ctx *C.SSL_CTX
	// borrowed marks a second reference (from Conn.Context): freeing it
	// drops the reference only, and leaves the context's client sessions
	// to its owner.
	borrowed bool
	// unlocked: the private key was encrypted and Config.Password gave
	// the pass phrase that opened it.
	unlocked bool
}

// PasswordUsed reports whether the context's private key was unlocked
// with a pass phrase from Config.Password. Such a context should be
// shared only with callers that could have given the phrase.
func (c *Context) PasswordUsed() bool { return c != nil && c.unlocked }

// defaultSessionIDContext is the session id context of every context.
const defaultSessionIDContext = "tclgo-tls"

// passwordState is what the password callback reaches through its
// cgo.Handle: the user's function and the error it produced, if any.
type passwordState struct {
	fn    func(rwflag, size int) (string, error)
	err   error
	asked bool   // fn was called; pw is its answer
	pw    string // the pass phrase fn gave
}

// NewContext builds a Context from cfg. Every error names what was wrong
// (the option or file) and carries OpenSSL's reason when there is one.
func NewContext(cfg *Config) (*Context, error) {
	if initErr != nil {
		return nil, initErr
	}
	if cfg == nil {
		cfg = &Config{SecurityLevel: -1, Protocols: TLS1 | TLS1_1 | TLS1_2 | TLS1_3}
	}
	minV, maxV, noOpts, err := protocolRange(cfg.Protocols)
	if err != nil {
		return nil, err
	}
	if cfg.SecurityLevel < -1 || cfg.SecurityLevel > 5 {
		return nil, fmt.Errorf("invalid security level %d: must be 0..5", cfg.SecurityLevel)
	}
	var ctx *C.SSL_CTX
	if err := check("SSL_CTX_new", "unable to create SSL context", C.tlsgo_ctx_new(&ctx)); err != nil {
		if ctx != nil {
			C.tlsgo_ctx_free(ctx)
		}
		return nil, err
	}
	c := &Context{ctx: ctx}
	c.setSessionMode(cfg.Server)
	if err := c.configure(cfg, minV, maxV, noOpts); err != nil {
		c.Free()
		return nil, err
	}
	return c, nil
}

// configure applies cfg to a fresh SSL_CTX.
func (c *Context) configure(cfg *Config, minV, maxV C.int, noOpts C.uint64_t) error {
	if err := check("SSL_CTX_set_proto_version", "unable to set protocol versions",
		C.tlsgo_ctx_set_protocols(c.ctx, minV, maxV, noOpts)); err != nil {
		return err
	}
	// The security level must be in place before certificates are loaded:
	// OpenSSL checks their keys against it.
	if cfg.SecurityLevel >= 0 {
		C.tlsgo_ctx_set_security_level(c.ctx, C.int(cfg.SecurityLevel))
	}
	if cfg.CipherList != "" {
		if err := c.withString("SSL_CTX_set_cipher_list", cfg.CipherList, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_set_cipher_list(c.ctx, s)
		}); err != nil {
			//lint:ignore ST1005 the text is the C package's, which scripts match
			return fmt.Errorf("Set ciphers failed: No valid ciphers in -cipher %q", cfg.CipherList)
		}
	}
	if cfg.CipherSuites != "" {
		if err := c.withString("SSL_CTX_set_ciphersuites", cfg.CipherSuites, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_set_ciphersuites(c.ctx, s)
		}); err != nil {
			//lint:ignore ST1005 the text is the C package's, which scripts match
			return fmt.Errorf("Set cipher suites failed: No valid ciphers in -ciphersuites %q", cfg.CipherSuites)
		}
	}
	// Servers that verify clients refuse to resume a TLS 1.2 session
	// without a session id context; every context gets one, and
	// -session_id replaces it per connection.
	sid := []byte(defaultSessionIDContext)
	if err := check("SSL_CTX_set_session_id_context", "unable to set session id context",
		C.tlsgo_ctx_set_session_id_context(c.ctx, (*C.uchar)(unsafe.Pointer(&sid[0])), C.uint(len(sid)))); err != nil {
		return err
	}
	if err := c.loadIdentity(cfg); err != nil {
		return err
	}
	if err := c.loadTrust(cfg); err != nil {
		return err
	}
	// Build the chain sent to the peer now rather than in every handshake.
	C.tlsgo_ctx_build_chain(c.ctx)
	if cfg.DHParams != "" {
		if err := c.withString("PEM_read_bio_Parameters", cfg.DHParams, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_set_dh_file(c.ctx, s)
		}); err != nil {
			return prefixed(err, "could not read DH parameters from file "+cfg.DHParams)
		}
	} else if err := check("SSL_CTX_set_dh_auto", "unable to enable automatic DH parameters",
		C.tlsgo_ctx_set_dh_auto(c.ctx)); err != nil {
		return err
	}
	if cfg.KeyLogFile != "" {
		if err := c.withString("SSL_CTX_set_keylog_callback", cfg.KeyLogFile, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_set_keylog_file(c.ctx, s)
		}); err != nil {
			return prefixed(err, "unable to set key log file "+cfg.KeyLogFile)
		}
	}
	return nil
}

// loadIdentity loads the certificate (chain) and private key, asking
// cfg.Password for the pass phrase of an encrypted PEM key.
func (c *Context) loadIdentity(cfg *Config) (err error) {
	haveCert := cfg.CertFile != "" || len(cfg.Cert) > 0
	haveKey := cfg.KeyFile != "" || len(cfg.Key) > 0
	if !haveCert {
		if haveKey {
			return errors.New("unable to set private key: -keyfile or -key given without -certfile or -cert")
		}
		return nil
	}
	var pw *passwordState
	if cfg.Password != nil {
		pw = &passwordState{fn: cfg.Password}
		h := cgo.NewHandle(pw)
		C.tlsgo_ctx_set_password_handle(c.ctx, C.uintptr_t(h))
		defer func() {
			C.tlsgo_ctx_set_password_handle(c.ctx, 0)
			h.Delete()
		}()
	}
	// passwordReason prefers the password function's own error to
	// OpenSSL's generic "bad password read".
	passwordReason := func(err error) error {
		var e *Error
		if pw != nil && pw.err != nil && errors.As(err, &e) {
			e.Reason = pw.err.Error()
		}
		return err
	}

	if cfg.CertFile != "" {
		if err := c.withString("SSL_CTX_use_certificate_chain_file", cfg.CertFile, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_use_certificate_chain_file(c.ctx, s)
		}); err != nil {
			return passwordReason(prefixed(err, "unable to set certificate file "+cfg.CertFile))
		}
	} else {
		r := C.tlsgo_ctx_use_certificate_der(c.ctx, (*C.uchar)(unsafe.Pointer(&cfg.Cert[0])), C.int(len(cfg.Cert)))
		if err := check("SSL_CTX_use_certificate_ASN1", "unable to set certificate", r); err != nil {
			return err
		}
	}

	switch {
	case cfg.KeyFile != "" || len(cfg.Key) == 0:
		path := cfg.KeyFile
		if path == "" {
			path = cfg.CertFile
		}
		if path == "" {
			break // DER certificate without a key: the check below reports it
		}
		if err := c.withString("SSL_CTX_use_PrivateKey_file", path, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_use_private_key_file(c.ctx, s)
		}); err != nil {
			if isKeyMismatch(err) {
				return keyMismatch(err.(*Error), cfg)
			}
			return passwordReason(prefixed(err, "unable to set private key file "+path))
		}
	default:
		r := C.tlsgo_ctx_use_private_key_der(c.ctx, (*C.uchar)(unsafe.Pointer(&cfg.Key[0])), C.int(len(cfg.Key)))
		if err := check("SSL_CTX_use_PrivateKey", "unable to set private key", r); err != nil {
			if isKeyMismatch(err) {
				return keyMismatch(err.(*Error), cfg)
			}
			return err
		}
	}

	if err := check("SSL_CTX_check_private_key", "", C.tlsgo_ctx_check_private_key(c.ctx)); err != nil {
		return keyMismatch(err.(*Error), cfg)
	}
	c.unlocked = pw != nil && pw.asked
	return nil
}

// keyMismatch rewrites an *Error to the text used whenever the key does
// not belong to the certificate, whichever call noticed it. It names where
// both came from, so that the wrong file of a pair can be found.
func keyMismatch(e *Error, cfg *Config) *Error {
	cert := "certificate from -cert"
	if cfg.CertFile != "" {
		cert = "certificate file " + cfg.CertFile
	}
	e.Prefix = ""
	var key string
	switch {
	case cfg.KeyFile != "":
		key = "key file " + cfg.KeyFile
	case len(cfg.Key) > 0:
		key = "key from -key"
	case cfg.CertFile != "":
		key = "key file " + cfg.CertFile
	default:
		e.Reason = "no private key given for the " + cert + ": use -key or -keyfile"
		return e
	}
	e.Reason = "private key does not match the certificate public key: " + key + ", " + cert
	return e
}

// isKeyMismatch reports whether OpenSSL refused a key because it does not
// belong to the certificate already loaded.
func isKeyMismatch(err error) bool {
	return errors.Is(err, ErrKeyValuesMismatch) || errors.Is(err, ErrKeyTypeMismatch)
}

// loadTrust fills the verification store and the client-CA list. The
// default store is parsed once per process and shared by every context
// that adds nothing to it; a context with its own -cafile, -cadir or
// -castore gets a copy of the parsed default certificates plus its own.
func (c *Context) loadTrust(cfg *Config) error {
	if cfg.CADir != "" {
		prefix := "unable to load CA directory " + cfg.CADir
		fi, err := os.Stat(cfg.CADir)
		if err != nil {
			return fmt.Errorf("%s: %v", prefix, pathErr(err))
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s: not a directory", prefix)
		}
	}
	if cfg.CAFile != "" {
		prefix := "unable to load CA file " + cfg.CAFile
		fi, err := os.Stat(cfg.CAFile)
		if err != nil {
			return fmt.Errorf("%s: %v", prefix, pathErr(err))
		}
		if fi.IsDir() {
			return fmt.Errorf("%s: is a directory", prefix)
		}
	}
	own := cfg.CAFile != "" || cfg.CADir != "" || cfg.CAStore != ""
	if cfg.DefaultCA || own {
		err := withDefaultStore(cfg.DefaultCA, func(base *C.X509_STORE) error {
			if !own {
				C.tlsgo_ctx_share_store(c.ctx, base)
				return nil
			}
			return check("X509_STORE_new", "unable to create certificate store",
				C.tlsgo_ctx_use_store_copy(c.ctx, base))
		})
		if err != nil {
			return err
		}
	}
	if cfg.CADir != "" {
		if err := c.withString("SSL_CTX_load_verify_dir", cfg.CADir, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_load_verify_dir(c.ctx, s)
		}); err != nil {
			return prefixed(err, "unable to load CA directory "+cfg.CADir)
		}
	}
	if cfg.CAStore != "" {
		if err := c.loadStore(cfg.CAStore); err != nil {
			return err
		}
	}
	if cfg.CAFile != "" {
		prefix := "unable to load CA file " + cfg.CAFile
		if err := c.withString("SSL_CTX_load_verify_file", cfg.CAFile, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_load_verify_file(c.ctx, s)
		}); err != nil {
			return prefixed(err, prefix)
		}
		if err := c.withString("SSL_load_client_CA_file", cfg.CAFile, func(s *C.char) C.tlsgo_result {
			return C.tlsgo_ctx_set_client_ca_file(c.ctx, s)
		}); err != nil {
			return prefixed(err, prefix)
		}
	}
	return nil
}

// loadStore adds the certificates of the OpenSSL store at uri to the
// context's trust store. A store that cannot be opened, or that opens and
// holds no certificate (a key file, an empty directory, a URI no provider
// can read), is an error: it would trust nothing, and a -castore the user
// counted on would silently not apply.
func (c *Context) loadStore(uri string) error {
	prefix := "unable to load CA store " + uri
	cs := cstr(uri)
	defer freeC(cs)
	var found C.int
	if err := check("SSL_CTX_load_verify_store", prefix,
		C.tlsgo_ctx_load_verify_store(c.ctx, cs, &found)); err != nil {
		return err
	}
	if found <= 0 {
		return errors.New(prefix + ": no certificates found")
	}
	return nil
}

// pathErr strips the operation and path from an *os.PathError, which the
// caller's message already names.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// defaultStore is the process-wide store built from OpenSSL's default
// verify paths, rebuilt only when those paths or the file change.
var defaultStore struct {
	sync.Mutex
	id    string
	store *C.X509_STORE
	built int // times the default certificate file was parsed
}

// DefaultCALocations returns the certificate file and hashed directory that
// OpenSSL's default verify paths point to now: $SSL_CERT_FILE and
// $SSL_CERT_DIR when set (read from the process environment as the C
// library sees it), else the compiled-in locations.
func DefaultCALocations() (file, dir string) {
	var f, d *C.char
	C.tlsgo_default_ca_locations(&f, &d)
	return C.GoString(f), C.GoString(d)
}

// DefaultCAState identifies the current default trust store: its
// locations and the size and modification time of its file. Contexts
// built under different states must not be shared.
func DefaultCAState() string {
	file, dir := DefaultCALocations()
	id := strconv.Itoa(len(file)) + "|" + file + "|" + dir
	if st, err := os.Stat(file); err == nil {
		id += "|" + strconv.FormatInt(st.Size(), 10) + "|" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
	}
	return id
}

// DefaultStoreBuilds reports how many times the process parsed the default
// CA file, so that tests and benchmarks can see that it happens once.
func DefaultStoreBuilds() int {
	defaultStore.Lock()
	defer defaultStore.Unlock()
	return defaultStore.built
}

// withDefaultStore calls fn with the shared default store (nil when want
// is false), building or rebuilding it first if needed. The store is
// locked against replacement while fn runs.
func withDefaultStore(want bool, fn func(*C.X509_STORE) error) error {
	if !want {
		return fn(nil)
	}
	id := DefaultCAState()
	defaultStore.Lock()
	defer defaultStore.Unlock()
	if defaultStore.store == nil || defaultStore.id != id {
		var s *C.X509_STORE
		if err := check("X509_STORE_set_default_paths", "unable to load default CA locations",
			C.tlsgo_store_new_default(&s)); err != nil {
			return err
		}
		if defaultStore.store != nil {
			// Contexts that share the old store keep their references.
			C.tlsgo_store_free(defaultStore.store)
		}
		defaultStore.store, defaultStore.id = s, id
		defaultStore.built++
	}
	return fn(defaultStore.store)
}

// Getenv reads the process environment as the C library sees it, which
// includes changes made by the host program (Tcl's env array) after the Go
// runtime started.
func Getenv(name string) string {
	cs := cstr(name)
	defer freeC(cs)
	return C.GoString(C.tlsgo_getenv(cs))
}

// Context returns a new reference to the context c was made from, for
// connections that must share it (tls::import -model). The caller frees
// it.
func (c *Conn) Context() (*Context, error) {
	if c == nil || c.ssl == nil {
		return nil, errFreed
	}
	ctx := C.tlsgo_conn_ctx(c.ssl)
	if ctx == nil {
		return nil, errFreed
	}
	return &Context{ctx: ctx, borrowed: true}, nil
}

// withString runs a context shim taking one C string and converts its
// result.
func (c *Context) withString(op, s string, call func(*C.char) C.tlsgo_result) error {
	cs := cstr(s)
	defer freeC(cs)
	return check(op, "", call(cs))
}

// prefixed sets the caller-facing prefix on an *Error.
func prefixed(err error, prefix string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Prefix = prefix
	}
	return err
}

// Free releases the Context's reference to its SSL_CTX. Connections made
// from it keep their own reference, so they stay usable. Calling Free
// twice is harmless.
func (c *Context) Free() {
	if c == nil || c.ctx == nil {
		return
	}
	if !c.borrowed {
		forgetSessions(c.ctx)
	}
	C.tlsgo_ctx_free(c.ctx)
	c.ctx = nil
}
