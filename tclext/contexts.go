package tclext

import (
	"fmt"
	"os"
	"strings"
	"sync"

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
// contextKey is key, building it on first use. The key covers every context-wide setting and the size and
// modification time of every file the context reads, so a replaced
// certificate is picked up by the next connection. use runs with the cache
// locked, so the context cannot be dropped from the cache and freed before
// use has taken its own reference (a connection made from it holds one).
func withContext(key string, cfg *ossl.Config, use func(*ossl.Context) error) error {
	contexts.Lock()
	if ctx, ok := contexts.m[key]; ok {
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

// contextKey renders every context-wide setting into a string.
func contextKey(cfg *ossl.Config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "p=%d|c=%q|s=%q|l=%d|ca=%t|kl=%q", cfg.Protocols, cfg.CipherList,
		cfg.CipherSuites, cfg.SecurityLevel, cfg.DefaultCA, cfg.KeyLogFile)
	for _, f := range []string{cfg.CertFile, cfg.KeyFile, cfg.CAFile, cfg.CADir, cfg.DHParams} {
		fmt.Fprintf(&b, "|f=%q", f)
		if f != "" {
			if st, err := os.Stat(f); err == nil {
				fmt.Fprintf(&b, ":%d:%d", st.Size(), st.ModTime().UnixNano())
			}
		}
	}
	fmt.Fprintf(&b, "|cert=%x|key=%x", cfg.Cert, cfg.Key)
	if cfg.DefaultCA {
		// The shared default store is rebuilt when $SSL_CERT_FILE,
		// $SSL_CERT_DIR or the file change; so are the contexts.
		fmt.Fprintf(&b, "|def=%s", ossl.DefaultCAState())
	}

	fmt.Fprintf(&b, "|pw=%q", cfg.PasswordID)

	fmt.Fprintf(&b, "|srv=%t", cfg.Server)
	return b.String()
}

// contextsCreated reports how many contexts the process has built.
func contextsCreated() int {
	contexts.Lock()
	defer contexts.Unlock()
	return contexts.created
}
