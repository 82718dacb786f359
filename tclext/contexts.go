package tclext

import (
	"crypto/sha256"
	"os"
	"strconv"
	"sync"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// maxContexts bounds the cache; past it the cache starts afresh.
// Connections keep their own reference to the context they use, so
// dropping a context from the cache never disturbs a live connection.
const maxContexts = 64

// contexts caches one OpenSSL context per distinct configuration, shared by
// every Tcl thread of the process.
var contexts = struct {
	sync.Mutex
	m       map[string]*ossl.Context
	created int // contexts built since the process started
}{m: make(map[string]*ossl.Context)}

// withContext calls use with the cached context for cfg, whose
// contextKey is key, building it on first use. The key covers every
// context-wide setting and the size and modification time of every file
// the context reads, so a replaced certificate is picked up by the next
// connection. use runs with the cache locked, so the context cannot be
// dropped from the cache and freed before use has taken its own reference
// (a connection made from it holds one).
//
// A context whose private key was unlocked with a pass phrase holds a key
// that only the interpreter whose -password gave that phrase has shown it
// may use: it is cached for that interpreter alone (owner, see interpID),
// so that another interpreter, a safe one say, whose own -password (or
// none) cannot unlock the key builds its own context and fails as it
// should.
func withContext(key string, owner string, cfg *ossl.Config, use func(*ossl.Context) error) error {
	contexts.Lock()
	if ctx, ok := contexts.m[key]; ok {
		defer contexts.Unlock()
		return use(ctx)
	}
	ownKey := key + "|pw@" + owner
	if ctx, ok := contexts.m[ownKey]; ok {
		defer contexts.Unlock()
		return use(ctx)
	}
	contexts.Unlock()
	// Built without the lock: loading an encrypted key runs the -password
	// script, which may itself import channels.
	built, err := ossl.NewContext(cfg)
	if err != nil {
		return err
	}
	if built.PasswordUsed() {
		key = ownKey
	}
	contexts.Lock()
	defer contexts.Unlock()
	ctx, ok := contexts.m[key]
	if ok {
		built.Free() // another thread built the same one meanwhile
	} else {
		if len(contexts.m) >= maxContexts {
			for k, old := range contexts.m {
				old.Free()
				delete(contexts.m, k)
			}
		}
		ctx = built
		contexts.m[key] = ctx
		contexts.created++
	}
	return use(ctx)
}

// contextKey names every context-wide setting: a SHA-256 digest of their
// description, so that certificates and private keys given as data never
// sit in a map key (or in a connection's session key, which includes
// it), and so that keys are short whatever the settings. Each file the
// context reads is stat'ed once, for its size and modification time.
func contextKey(cfg *ossl.Config) string {
	var space [512]byte
	b := space[:0]
	num := func(n int64) {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, '|')
	}
	str := func(s string) {
		// Length first, so that no value can run into the next.
		num(int64(len(s)))
		b = append(b, s...)
		b = append(b, '|')
	}
	num(int64(cfg.Protocols))
	str(cfg.CipherList)
	str(cfg.CipherSuites)
	num(int64(cfg.SecurityLevel))
	str(cfg.KeyLogFile)
	str(cfg.PasswordID)
	// A -castore URI that names a file or directory is stamped like
	// them; another URI only by its text.
	files := [...]string{cfg.CertFile, cfg.KeyFile, cfg.CAFile, cfg.CADir, cfg.DHParams, cfg.CAStore}
	for i, f := range files {
		str(f)
		if f == "" {
			continue
		}
		seen := false
		for _, g := range files[:i] {
			seen = seen || g == f
		}
		if seen {
			continue // same file as before: its stamp is already there
		}
		if st, err := os.Stat(f); err == nil {
			num(st.Size())
			num(st.ModTime().UnixNano())
		}
	}
	b = appendDigest(b, cfg.Cert)
	b = appendDigest(b, cfg.Key)
	if cfg.DefaultCA {
		// The shared default store is rebuilt when $SSL_CERT_FILE,
		// $SSL_CERT_DIR or the file change; so are the contexts.
		b = append(b, "def|"...)
		b = append(b, ossl.DefaultCAState()...)
	}
	if cfg.Server {
		b = append(b, "|srv"...)
	}
	sum := sha256.Sum256(b)
	return string(sum[:])
}

// appendDigest appends the SHA-256 of data to b, or "-" for no data.
func appendDigest(b, data []byte) []byte {
	if len(data) == 0 {
		return append(b, '-')
	}
	sum := sha256.Sum256(data)
	return append(b, sum[:]...)
}

// interps numbers the interpreters that import channels, so that caches
// can tell them apart: an interpreter's address can be reused by a later
// one, its number never is.
var interps = struct {
	sync.Mutex
	ids  map[tcl.Interp]string
	next uint64
}{ids: make(map[tcl.Interp]string)}

// interpID returns the number of interp, giving it one on first use; the
// number is forgotten when the interpreter is deleted.
func interpID(interp tcl.Interp) string {
	interps.Lock()
	id, ok := interps.ids[interp]
	if !ok {
		interps.next++
		id = strconv.FormatUint(interps.next, 10)
		interps.ids[interp] = id
	}
	interps.Unlock()
	if !ok {
		interp.OnDelete(func() {
			interps.Lock()
			delete(interps.ids, interp)
			interps.Unlock()
		})
	}
	return id
}
