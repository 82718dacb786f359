package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"sync"
	"unsafe"
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
//
// Every session stored is also indexed by its session id (at most
// maxSessions more references, oldest dropped first), so that a client
// can ask for one by the id tls::connection reported (ResumeSession); it
// gets it only under the same context and key.

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

// idEntry is one SSL_SESSION reference of the index by session id, with
// the key of the connection that received it.
type idEntry struct {
	key   sessionKey
	sess  *C.SSL_SESSION
	stamp uint64
}

var sessions = struct {
	sync.Mutex
	m     map[sessionKey]cachedSession
	byID  map[string]idEntry // session id -> session, for ResumeSession
	stamp uint64
}{m: make(map[sessionKey]cachedSession), byID: make(map[string]idEntry)}

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
	return c.useSessions(key, nil, true)
}

// KeepSessions stores the sessions the server sends under key, as
// SetSessionKey does, without offering any: they can be asked for by id
// later (ResumeSession).
func (c *Conn) KeepSessions(key string) error {
	return c.useSessions(key, nil, false)
}

// ResumeSession is SetSessionKey for a connection that asks for one
// session by its id (the session_id of ConnectionFields): it offers the
// session with that id that an earlier connection of the same context and
// key received, if it is still valid, and otherwise none (a full
// handshake follows). The key must match, so that a session is resumed
// only under the checks that admitted it.
func (c *Conn) ResumeSession(key string, id []byte) error {
	if len(id) == 0 {
		return c.SetSessionKey(key)
	}
	return c.useSessions(key, id, false)
}

// useSessions sets the connection's cache key, then offers the session
// with the given id, or with offerCached the one cached for the key.
func (c *Conn) useSessions(key string, id []byte, offerCached bool) error {
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
	k := sessionKey{C.tlsgo_conn_ctx_peek(c.ssl), key}
	var sess *C.SSL_SESSION
	switch {
	case id != nil:
		sess = takeSessionByID(k, string(id))
	case offerCached:
		sess = takeSession(k)
	}
	if sess == nil {
		return nil
	}
	defer C.tlsgo_session_free(sess)
	// A session OpenSSL refuses only means a full handshake.
	_ = check("SSL_set_session", "", C.tlsgo_conn_set_session(c.ssl, sess))
	return nil
}

// takeSessionByID returns a new reference to the session with id that
// was stored under k, or nil. An expired session is dropped; a TLS 1.3
// one is removed (from both indexes), as a ticket is offered once.
func takeSessionByID(k sessionKey, id string) *C.SSL_SESSION {
	sessions.Lock()
	defer sessions.Unlock()
	e, ok := sessions.byID[id]
	if !ok || e.key != k {
		return nil
	}
	if C.tlsgo_session_usable(e.sess) == 0 {
		dropByID(id)
		return nil
	}
	if C.tlsgo_session_protocol(e.sess) >= C.TLS1_3_VERSION {
		if cs, ok := sessions.m[k]; ok && cs.sess == e.sess {
			delete(sessions.m, k)
			C.tlsgo_session_free(cs.sess)
		}
		delete(sessions.byID, id)
		return e.sess // the index's reference passes to the caller
	}
	C.SSL_SESSION_up_ref(e.sess)
	return e.sess
}

// sessionID returns the session id of sess, "" when it has none.
func sessionID(sess *C.SSL_SESSION) string {
	var n C.uint
	p := C.SSL_SESSION_get_id(sess, &n)
	if p == nil || n == 0 {
		return ""
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(n))
}

// dropByID frees and forgets the indexed session with id; the caller
// holds the lock.
func dropByID(id string) {
	if e, ok := sessions.byID[id]; ok {
		C.tlsgo_session_free(e.sess)
		delete(sessions.byID, id)
	}
}

// indexSession adds sess (the caller keeps its own reference) to the
// index by session id, under k; the caller holds the lock.
func indexSession(k sessionKey, sess *C.SSL_SESSION) {
	id := sessionID(sess)
	if id == "" {
		return
	}
	dropByID(id)
	for len(sessions.byID) >= maxSessions {
		dropByID(oldest(sessions.byID, func(e idEntry) uint64 { return e.stamp }))
	}
	C.SSL_SESSION_up_ref(sess)
	sessions.byID[id] = idEntry{key: k, sess: sess, stamp: sessions.stamp}
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
		if id := sessionID(cs.sess); id != "" && sessions.byID[id].sess == cs.sess {
			dropByID(id)
		}
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
		drop := oldest(sessions.m, func(cs cachedSession) uint64 { return cs.stamp })
		C.tlsgo_session_free(sessions.m[drop].sess)
		delete(sessions.m, drop)
	}
	sessions.stamp++
	sessions.m[k] = cachedSession{sess: sess, stamp: sessions.stamp}
	indexSession(k, sess)
}

// oldest returns the key of m whose entry has the lowest stamp: the one
// stored first, which a full cache drops.
func oldest[K comparable, V any](m map[K]V, stamp func(V) uint64) K {
	var key K
	first, low := true, uint64(0)
	for k, v := range m {
		if s := stamp(v); first || s < low {
			key, low, first = k, s, false
		}
	}
	return key
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
	for id, e := range sessions.byID {
		if e.key.ctx == ctx {
			dropByID(id)
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
