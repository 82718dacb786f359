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
)

// tlsgoPasswordCallback is OpenSSL's pem_password_cb, reached through
// tlsgo_password_cb in shim.c. handle is the cgo.Handle of a
// *passwordState; the pass phrase is copied into buf (size bytes of C
// memory). It returns the length written, or -1 to refuse, after recording
// why in the state so that NewContext can report it.
//
//export tlsgoPasswordCallback
func tlsgoPasswordCallback(handle C.uintptr_t, buf *C.char, size C.int) (n C.int) {
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
	pw, err := st.fn()
	if err != nil {
		st.err = err
		return -1
	}
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

// tlsgoNewSession is the new-session callback of client contexts, reached
// through tlsgo_new_session_cb in shim.c for connections that have a
// session cache key. It takes over the reference to sess and returns 1.
//
//export tlsgoNewSession
func tlsgoNewSession(ctx *C.SSL_CTX, key *C.char, keylen C.int, sess *C.SSL_SESSION) (kept C.int) {
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
