package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"sync"
)

// The client session cache.
//
// OpenSSL resumes a client session only when the application hands it an
// earlier session for the same server (SSL_set_session). Client contexts
// therefore run with SSL_SESS_CACHE_CLIENT|SSL_SESS_CACHE_NO_INTERNAL_STORE
// and a new-session callback that gives every session a client receives
// (TLS 1.2 session ids and tickets, TLS 1.3 tickets, which arrive after the
// handshake) to this cache, under the context and a key that the caller
// chose for the peer (SetSessionKey). The next connection from the same
// context with the same key offers it. TLS 1.3 tickets are offered once
// (RFC 8446, section C.4): the resumed connection receives fresh ones.
//
// The cache holds at most maxSessions sessions, one per context and key,
// and drops the oldest first; sessions past their lifetime are dropped
// when met. A Context's sessions go when the Context is freed.

// maxSessions bounds the client session cache.
const maxSessions = 256

// sessionKey identifies a peer of one context.
type sessionKey struct {
	ctx *C.SSL_CTX
	key string
}

// cachedSession is one SSL_SESSION reference owned by the cache.
type cachedSession struct {
	sess  *C.SSL_SESSION
	stamp uint64
}

var sessions = struct {
	sync.Mutex
	m     map[sessionKey]cachedSession
	stamp uint64
}{m: make(map[sessionKey]cachedSession)}

// sessionInitErr records a failure to set up the cache's ex_data slot.
var sessionInitErr error

func init() {
	if C.tlsgo_session_init() == 0 {
		sessionInitErr = errors.New("ossl: session cache initialisation failed")
	}
}

// setSessionMode configures the session cache of a fresh context: the
// internal cache for servers, the process's client cache for clients,
// and a default session id context for both.
func (c *Context) setSessionMode(server bool) {
	C.tlsgo_ctx_set_session_mode(c.ctx, C.int(boolInt(server)))
}

// SetSessionKey makes a client connection use the session cache: it
// offers the session cached for key (if any, still valid) and stores the
// sessions the server sends under key. key must name the peer and every
// per-connection setting a resumed session must agree with (server name,
// verification settings): a resumed session is not verified again. Call
// it before the handshake; servers ignore it.
func (c *Conn) SetSessionKey(key string) error {
	if c.ssl == nil {
		return errFreed
	}
	if c.server || sessionInitErr != nil {
		return sessionInitErr
	}
	ks := cstr(key)
	r := C.tlsgo_conn_set_session_key(c.ssl, ks, C.int(len(key)))
	freeC(ks)
	if err := check("SSL_set_ex_data", "unable to set session cache key", r); err != nil {
		return err
	}
	sess := takeSession(sessionKey{C.tlsgo_conn_ctx_peek(c.ssl), key})
	if sess == nil {
		return nil
	}
	defer C.tlsgo_session_free(sess)
	// A session OpenSSL refuses only means a full handshake.
	_ = check("SSL_set_session", "", C.tlsgo_conn_set_session(c.ssl, sess))
	return nil
}

// takeSession returns a new reference to the cached session for k, or
// nil. An expired session is dropped; a TLS 1.3 one is removed, as a
// ticket is offered once.
func takeSession(k sessionKey) *C.SSL_SESSION {
	sessions.Lock()
	defer sessions.Unlock()
	cs, ok := sessions.m[k]
	if !ok {
		return nil
	}
	if C.tlsgo_session_usable(cs.sess) == 0 {
		delete(sessions.m, k)
		C.tlsgo_session_free(cs.sess)
		return nil
	}
	if C.tlsgo_session_protocol(cs.sess) >= C.TLS1_3_VERSION {
		delete(sessions.m, k)
		return cs.sess // the cache's reference passes to the caller
	}
	C.SSL_SESSION_up_ref(cs.sess)
	return cs.sess
}

// storeSession keeps sess (a reference the caller gives up) under k,
// replacing and freeing the session stored there before.
func storeSession(k sessionKey, sess *C.SSL_SESSION) {
	sessions.Lock()
	defer sessions.Unlock()
	if old, ok := sessions.m[k]; ok {
		C.tlsgo_session_free(old.sess)
		delete(sessions.m, k)
	}
	for len(sessions.m) >= maxSessions {
		var oldest sessionKey
		first := true
		var min uint64
		for key, cs := range sessions.m {
			if first || cs.stamp < min {
				oldest, min, first = key, cs.stamp, false
			}
		}
		C.tlsgo_session_free(sessions.m[oldest].sess)
		delete(sessions.m, oldest)
	}
	sessions.stamp++
	sessions.m[k] = cachedSession{sess: sess, stamp: sessions.stamp}
}

// forgetSessions frees every cached session of a context.
func forgetSessions(ctx *C.SSL_CTX) {
	sessions.Lock()
	defer sessions.Unlock()
	for k, cs := range sessions.m {
		if k.ctx == ctx {
			C.tlsgo_session_free(cs.sess)
			delete(sessions.m, k)
		}
	}
}

// CachedSessions reports how many sessions the client cache holds.
func CachedSessions() int { return cachedSessions() }

// cachedSessions reports how many sessions the client cache holds.
func cachedSessions() int {
	sessions.Lock()
	defer sessions.Unlock()
	return len(sessions.m)
}
