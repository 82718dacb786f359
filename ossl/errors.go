package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"strconv"
	"strings"
	"syscall"
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

// ErrorCode identifies one entry of OpenSSL's error queue: the library
// that raised it (ERR_LIB_SSL, ERR_LIB_X509, ERR_LIB_SYS, ...) and its
// reason code within that library (for ERR_LIB_SYS, the errno). An *Error
// matches an ErrorCode with errors.Is when any of its queued entries has
// that code, so decisions are made on values, never on message text.
type ErrorCode struct {
	Lib, Reason int
}

// Error returns OpenSSL's reason text for the code.
func (c ErrorCode) Error() string {
	s := C.ERR_reason_error_string(c.packed())
	if s == nil {
		return "OpenSSL error " + strconv.Itoa(c.Lib) + ":" + strconv.Itoa(c.Reason)
	}
	return C.GoString(s)
}

// packed is the code as OpenSSL packs it into an unsigned long (ERR_PACK).
func (c ErrorCode) packed() C.ulong {
	if c.Lib == C.ERR_LIB_SYS {
		return C.ulong(errSystemFlag | (c.Reason & C.ERR_SYSTEM_MASK))
	}
	return C.ulong((c.Lib&C.ERR_LIB_MASK)<<C.ERR_LIB_OFFSET | c.Reason&C.ERR_REASON_MASK)
}

// errSystemFlag is ERR_SYSTEM_FLAG: set in the packed codes that carry
// an errno.
const errSystemFlag = 1 << 31

// codeOf unpacks a queued error code (ERR_GET_LIB, ERR_GET_REASON).
func codeOf(packed uint64) ErrorCode {
	if packed&errSystemFlag != 0 {
		return ErrorCode{C.ERR_LIB_SYS, int(packed & C.ERR_SYSTEM_MASK)}
	}
	return ErrorCode{int(packed>>C.ERR_LIB_OFFSET) & C.ERR_LIB_MASK, int(packed & C.ERR_REASON_MASK)}
}

// Codes that callers of this package decide on.
var (
	// ErrKeyValuesMismatch: the private key is not the certificate's.
	ErrKeyValuesMismatch = ErrorCode{C.ERR_LIB_X509, C.X509_R_KEY_VALUES_MISMATCH}
	// ErrKeyTypeMismatch: the private key is of another type than the
	// certificate's public key.
	ErrKeyTypeMismatch = ErrorCode{C.ERR_LIB_X509, C.X509_R_KEY_TYPE_MISMATCH}
	// ErrCertificateVerifyFailed: the peer's certificate was refused.
	ErrCertificateVerifyFailed = ErrorCode{C.ERR_LIB_SSL, C.SSL_R_CERTIFICATE_VERIFY_FAILED}
	// ErrUnexpectedEOF: the stream ended in the middle of the handshake
	// or of a record.
	ErrUnexpectedEOF = ErrorCode{C.ERR_LIB_SSL, C.SSL_R_UNEXPECTED_EOF_WHILE_READING}
)

// Error is a failure reported by OpenSSL, with the thread's error queue as it
// stood right after the failing call, so that the text shown to a user is the
// one OpenSSL produced for this call and no other.
type Error struct {
	// Op names the OpenSSL operation that failed, e.g. "SSL_do_handshake".
	Op string
	// Code is the SSL_get_error code (SSL_ERROR_SSL, SSL_ERROR_SYSCALL, ...),
	// 0 when the operation is not an SSL I/O call.
	Code int
	// Codes holds the library and reason of each queued error (up to 8),
	// first raised first; errors.Is matches them.
	Codes []ErrorCode
	// Errno is the system error behind the failure, 0 if none: the errno
	// of an ERR_LIB_SYS entry, or errno after an SSL_ERROR_SYSCALL.
	// errors.Is(err, syscall.ECONNRESET) and the like match it.
	Errno syscall.Errno
	// Reason is the reason text of the first queued error, e.g.
	// "certificate verify failed" or "wrong version number".
	Reason string
	// Errors holds the queued errors (up to 8) as ERR_error_string_n prints
	// them, each followed by ":" and the error's data text when it has one
	// (e.g. "calling fopen(/x.pem, r)").
	Errors []string
	// VerifyCode is the X509_V_ERR_* code of the certificate verification
	// when a handshake failed while verification had failed, else 0.
	VerifyCode int
	// VerifyResult is the text of VerifyCode, "" when it is 0.
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

// Is reports whether target is an ErrorCode of one of the queued errors.
func (e *Error) Is(target error) bool {
	c, ok := target.(ErrorCode)
	if !ok {
		return false
	}
	for _, have := range e.Codes {
		if have == c {
			return true
		}
	}
	return false
}

// Unwrap returns the system error behind the failure, nil if none.
func (e *Error) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
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

// newError converts a drained C error queue into an *Error and frees it,
// formatting each entry as OpenSSL prints it. e may be nil (the shim
// could not allocate); code is used then.
func newError(op string, code int, e *C.tlsgo_err) *Error {
	out := &Error{Op: op, Code: code}
	if e == nil {
		return out
	}
	defer C.tlsgo_err_free(e)
	n := int(e.n)
	if n > 0 {
		out.Codes = make([]ErrorCode, 0, n)
		out.Errors = make([]string, 0, n)
	}
	var buf [C.TLSGO_ERR_LINE]C.char
	for i := 0; i < n; i++ {
		packed := e.codes[i]
		ec := codeOf(uint64(packed))
		out.Codes = append(out.Codes, ec)
		if ec.Lib == C.ERR_LIB_SYS && out.Errno == 0 {
			out.Errno = syscall.Errno(ec.Reason)
		}
		C.ERR_error_string_n(packed, &buf[0], C.size_t(len(buf)))
		line := C.GoString(&buf[0])
		if i == 0 {
			if r := C.ERR_reason_error_string(packed); r != nil {
				out.Reason = C.GoString(r)
			} else {
				out.Reason = reasonPart(line)
			}
		}
		if data := C.GoString(&e.data[i][0]); data != "" {
			line += ":" + data
		}
		out.Errors = append(out.Errors, line)
	}
	if out.Errno == 0 && code == C.SSL_ERROR_SYSCALL {
		out.Errno = syscall.Errno(e.sys_errno)
	}
	if e.verify_result != C.X509_V_OK {
		out.VerifyCode = int(e.verify_result)
		out.VerifyResult = C.GoString(C.X509_verify_cert_error_string(e.verify_result))
	}
	return out
}

// reasonPart returns what follows the fourth colon of an
// ERR_error_string_n line ("error:0A000086:SSL routines::certificate
// verify failed"), the whole line when there are fewer.
func reasonPart(line string) string {
	rest := line
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return line
		}
		rest = rest[j+1:]
	}
	return rest
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
