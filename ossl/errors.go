package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"strconv"
	"unsafe"
)

// ErrWantRead means the operation needs more ciphertext from the peer: send
// whatever Outgoing reports, Feed what arrives, then call again.
var ErrWantRead = errors.New("ossl: want read")

// ErrWantWrite means OpenSSL could not write to the output BIO. With memory
// BIOs it should not happen; it exists so callers can treat both retry
// conditions alike.
var ErrWantWrite = errors.New("ossl: want write")

// errFreed is returned by operations on a Conn or Context after Free.
var errFreed = errors.New("ossl: object already freed")

// Error is a failure reported by OpenSSL, with the thread's error queue as it
// stood right after the failing call, so that the text shown to a user is the
// one OpenSSL produced for this call and no other.
type Error struct {
	// Op names the OpenSSL operation that failed, e.g. "SSL_do_handshake".
	Op string
	// Code is the SSL_get_error code (SSL_ERROR_SSL, SSL_ERROR_SYSCALL, ...),
	// 0 when the operation is not an SSL I/O call.
	Code int
	// Reason is the reason text of the first queued error, e.g.
	// "certificate verify failed" or "wrong version number".
	Reason string
	// Errors holds the queued errors (up to 8) as ERR_error_string_n prints
	// them, each followed by ":" and the error's data text when it has one
	// (e.g. "calling fopen(/x.pem, r)").
	Errors []string
	// VerifyResult is the certificate verification error text when a
	// handshake failed while verification had failed, else "".
	VerifyResult string
	// Prefix, when set, says what was being done in the caller's terms
	// (e.g. "unable to set certificate file /x.pem"); Error() puts it
	// before the reason.
	Prefix string
}

// Error returns the prefix and OpenSSL's reason, or a text naming the
// operation and error code when OpenSSL queued nothing.
func (e *Error) Error() string {
	msg := e.Reason
	if msg == "" {
		msg = e.Op + " failed"
		if e.Code != 0 {
			msg += ": " + sslErrorName(e.Code)
		}
	}
	if e.Prefix != "" {
		return e.Prefix + ": " + msg
	}
	return msg
}

// sslErrorName turns an SSL_get_error code into its C name.
func sslErrorName(code int) string {
	switch code {
	case C.SSL_ERROR_NONE:
		return "SSL_ERROR_NONE"
	case C.SSL_ERROR_SSL:
		return "SSL_ERROR_SSL"
	case C.SSL_ERROR_WANT_READ:
		return "SSL_ERROR_WANT_READ"
	case C.SSL_ERROR_WANT_WRITE:
		return "SSL_ERROR_WANT_WRITE"
	case C.SSL_ERROR_WANT_X509_LOOKUP:
		return "SSL_ERROR_WANT_X509_LOOKUP"
	case C.SSL_ERROR_SYSCALL:
		return "SSL_ERROR_SYSCALL"
	case C.SSL_ERROR_ZERO_RETURN:
		return "SSL_ERROR_ZERO_RETURN"
	case C.SSL_ERROR_WANT_CONNECT:
		return "SSL_ERROR_WANT_CONNECT"
	case C.SSL_ERROR_WANT_ACCEPT:
		return "SSL_ERROR_WANT_ACCEPT"
	case C.SSL_ERROR_WANT_ASYNC:
		return "SSL_ERROR_WANT_ASYNC"
	case C.SSL_ERROR_WANT_ASYNC_JOB:
		return "SSL_ERROR_WANT_ASYNC_JOB"
	case C.SSL_ERROR_WANT_CLIENT_HELLO_CB:
		return "SSL_ERROR_WANT_CLIENT_HELLO_CB"
	case C.SSL_ERROR_WANT_RETRY_VERIFY:
		return "SSL_ERROR_WANT_RETRY_VERIFY"
	}
	return "SSL error " + strconv.Itoa(code)
}

// newError converts a drained C error queue into an *Error and frees it.
// e may be nil (the shim could not allocate); code is used then.
func newError(op string, code int, e *C.tlsgo_err) *Error {
	out := &Error{Op: op, Code: code}
	if e == nil {
		return out
	}
	defer C.tlsgo_err_free(e)
	out.Reason = C.GoString(&e.reason[0])
	n := int(e.n)
	if n > 0 {
		out.Errors = make([]string, 0, n)
		for i := 0; i < n; i++ {
			out.Errors = append(out.Errors, C.GoString(&e.lines[i][0]))
		}
	}
	if e.verify_result != C.X509_V_OK {
		out.VerifyResult = C.GoString(&e.verify[0])
	}
	return out
}

// check turns a context-level shim result into nil or an *Error carrying
// prefix.
func check(op, prefix string, r C.tlsgo_result) error {
	if r.err == nil && r.ret == 1 {
		return nil
	}
	e := newError(op, 0, r.err)
	e.Prefix = prefix
	return e
}

// cstr returns a C copy of s; the caller frees it with freeC.
func cstr(s string) *C.char { return C.CString(s) }

// freeC releases memory obtained from cstr.
func freeC(p *C.char) { C.free(unsafe.Pointer(p)) }
