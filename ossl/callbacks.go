package ossl

// This file holds only the Go functions that C calls. Its cgo preamble must
// keep to declarations: cgo compiles it into more than one C file.

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"fmt"
	"runtime/cgo"
	"unsafe"

	"github.com/tclgo/tls/internal/cgoentry"
)

// tlsgoPasswordCallback is OpenSSL's pem_password_cb, reached through
// tlsgo_password_cb in shim.c. handle is the cgo.Handle of a
// *passwordState; the pass phrase is copied into buf (size bytes of C
// memory); rwflag is OpenSSL's (0 when a key is read). It returns the length written, or -1 to refuse, after recording
// why in the state so that NewContext can report it.
//
//export tlsgoPasswordCallback
func tlsgoPasswordCallback(handle C.uintptr_t, buf *C.char, size, rwflag C.int) (n C.int) {
	cgoentry.Enter()
	var st *passwordState
	defer func() {
		if r := recover(); r != nil {
			if st != nil {
				st.err = fmt.Errorf("password callback failed: %v", r)
			}
			n = -1
		}
	}()
	st, _ = cgo.Handle(handle).Value().(*passwordState)
	if st == nil || st.fn == nil || buf == nil || size <= 0 {
		return -1
	}
	// OpenSSL may ask more than once for one key (one decoder after
	// another): the function is asked only once per load.
	if st.err != nil {
		return -1
	}
	if !st.asked {
		st.pw, st.err = st.fn(int(rwflag), int(size))
		st.asked = true
		if st.err != nil {
			return -1
		}
	}
	pw := st.pw
	// Keep room for the terminating NUL some OpenSSL paths expect.
	if len(pw) >= int(size) {
		st.err = fmt.Errorf("password longer than %d bytes", int(size)-1)
		return -1
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(size))
	copy(dst, pw)
	dst[len(pw)] = 0
	return C.int(len(pw))
}

// The connection hooks below are reached from shim.c's OpenSSL callbacks
// with the cgo.Handle of a *Hooks. A panic in a hook answers Reject where
// a decision is due, so that a bug never lets a handshake through.

//export tlsgoVerifyHook
func tlsgoVerifyHook(h C.uintptr_t, preverify, depth, code C.int, errstr *C.char, der *C.uchar, derlen C.int) (r C.int) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			r = C.int(Reject)
		}
	}()
	hk := hooksOf(h)
	if hk == nil || hk.Verify == nil {
		return C.int(NoOpinion)
	}
	ev := VerifyEvent{Depth: int(depth), OK: preverify != 0, Error: C.GoString(errstr)}
	if der != nil && derlen > 0 {
		ev.DER = C.GoBytes(unsafe.Pointer(der), derlen)
	}
	return C.int(hk.Verify(ev))
}

//export tlsgoInfoHook
func tlsgoInfoHook(h C.uintptr_t, where, ret C.int, state, alert, level *C.char) {
	cgoentry.Enter()
	defer func() { recover() }()
	hk := hooksOf(h)
	if hk == nil || hk.Info == nil {
		return
	}
	hk.Info(infoEvent(int(where), C.GoString(state), C.GoString(alert), C.GoString(level)))
}

//export tlsgoHelloHook
func tlsgoHelloHook(h C.uintptr_t, ext *C.uchar, n C.int, sid *C.uchar, sidlen C.int) (r C.int) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			r = C.int(Reject)
		}
	}()
	hk := hooksOf(h)
	if hk == nil || hk.Hello == nil {
		return C.int(NoOpinion)
	}
	var raw []byte
	if ext != nil && n > 0 {
		raw = unsafe.Slice((*byte)(unsafe.Pointer(ext)), int(n))
	}
	var id []byte
	if sid != nil && sidlen > 0 {
		id = C.GoBytes(unsafe.Pointer(sid), sidlen)
	}
	return C.int(hk.Hello(serverNameOf(raw), id))
}

//export tlsgoMessageHook
func tlsgoMessageHook(h C.uintptr_t, sent, version, typ C.int, text *C.char, n C.int) {
	cgoentry.Enter()
	defer func() { recover() }()
	hk := hooksOf(h)
	if hk == nil || hk.Message == nil {
		return
	}
	ev := MessageEvent{Sent: sent != 0, Version: messageVersion(int(version)),
		ContentType: contentTypeName(int(typ))}
	if text != nil && n > 0 {
		ev.Text = C.GoStringN(text, n)
	}
	hk.Message(ev)
}

//export tlsgoSNIHook
func tlsgoSNIHook(h C.uintptr_t, name *C.char) (r C.int) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			r = C.int(Reject)
		}
	}()
	hk := hooksOf(h)
	if hk == nil || hk.SNI == nil {
		return C.int(NoOpinion)
	}
	return C.int(hk.SNI(C.GoString(name)))
}

//export tlsgoALPNHook
func tlsgoALPNHook(h C.uintptr_t, proto *C.char, n, match C.int) (r C.int) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			r = C.int(Reject)
		}
	}()
	hk := hooksOf(h)
	if hk == nil || hk.ALPN == nil {
		return C.int(NoOpinion)
	}
	return C.int(hk.ALPN(C.GoStringN(proto, n), match != 0))
}

//export tlsgoSessionHook
func tlsgoSessionHook(h C.uintptr_t, id *C.uchar, idlen C.int, ticket *C.uchar, ticketlen C.int, lifetime C.long) {
	cgoentry.Enter()
	defer func() { recover() }()
	hk := hooksOf(h)
	if hk == nil || hk.NewSession == nil {
		return
	}
	ev := SessionEvent{Lifetime: int(lifetime)}
	if id != nil && idlen > 0 {
		ev.ID = C.GoBytes(unsafe.Pointer(id), idlen)
	}
	if ticket != nil && ticketlen > 0 {
		ev.Ticket = C.GoBytes(unsafe.Pointer(ticket), ticketlen)
	}
	hk.NewSession(ev)
}

// tlsgoNewSession is the new-session callback of client contexts, reached
// through tlsgo_new_session_cb in shim.c for connections that have a
// session cache key. It takes over the reference to sess and returns 1.
//
//export tlsgoNewSession
func tlsgoNewSession(ctx *C.SSL_CTX, key *C.char, keylen C.int, sess *C.SSL_SESSION) (kept C.int) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			kept = 0
		}
	}()
	if ctx == nil || key == nil || keylen < 0 || sess == nil {
		return 0
	}
	storeSession(sessionKey{ctx, C.GoStringN(key, keylen)}, sess)
	return 1
}
