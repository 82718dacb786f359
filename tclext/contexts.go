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

// contextFor returns the cached context for cfg, building it on first use.
// The key covers every context-wide setting and the size and modification
// time of every file the context reads, so a replaced certificate is picked
// up by the next connection.
func contextFor(cfg *ossl.Config) (*ossl.Context, error) {
	key := contextKey(cfg)
	contexts.Lock()
	defer contexts.Unlock()
	if ctx, ok := contexts.m[key]; ok {
		return ctx, nil
	}
	ctx, err := ossl.NewContext(cfg)
	if err != nil {
		return nil, err
	}
	if len(contexts.m) >= maxContexts {
		for k, old := range contexts.m {
			old.Free()
			delete(contexts.m, k)
		}
	}
	contexts.m[key] = ctx
	contexts.created++
	return ctx, nil
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
	fmt.Fprintf(&b, "|srv=%t", cfg.Server)
	return b.String()
}

// contextsCreated reports how many contexts the process has built.
func contextsCreated() int {
	contexts.Lock()
	defer contexts.Unlock()
	return contexts.created
}
