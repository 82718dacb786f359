package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
// #include "stream.h"
//
// /* The loops, with the channel below as Go holds it (Below), and their
//  * results as values: Go variables whose address went to C would be
//  * allocated on the heap at every call. */
// typedef struct { long n, read; int why, entered, err; } tlsgo_pulled;
// static tlsgo_pulled tlsgo_stream_pull_at(tlsgo_stream *s, void *p,
//         size_t n, uintptr_t below, int drain)
// {
//     tlsgo_pulled r = {0, 0, 0, 0, 0};
//     r.n = tlsgo_stream_pull(s, p, n, (const tlsgo_below *)below, drain,
//             &r.why, &r.entered, &r.read);
//     return r;
// }
// static tlsgo_pulled tlsgo_stream_fill_at(tlsgo_stream *s, uintptr_t below)
// {
//     tlsgo_pulled r = {0, 0, 0, 0, 0};
//     r.n = tlsgo_stream_fill(s, (const tlsgo_below *)below, &r.err,
//             &r.why, &r.entered);
//     if (r.why == TLSGO_PULL_DATA)
//         r.read = r.n;
//     return r;
// }
// static tlsgo_result tlsgo_stream_push_at(tlsgo_stream *s, const void *p,
//         size_t n, uintptr_t below)
// {
//     int sent;
//     return tlsgo_stream_push(s, p, n, (const tlsgo_below *)below, &sent);
// }
// typedef struct { long n; int why, err; } tlsgo_flushed;
// static tlsgo_flushed tlsgo_stream_flush_at(tlsgo_stream *s, uintptr_t below)
// {
//     tlsgo_flushed r = {0, 0, 0};
//     r.why = tlsgo_stream_flush(s, (const tlsgo_below *)below, &r.n, &r.err);
//     return r;
// }
import "C"

import (
	"errors"
	"io"
	"net"
	"runtime/cgo"
	"strings"
	"syscall"
	"unsafe"
)

// maxSessionIDContext is SSL_MAX_SID_CTX_LENGTH.
const maxSessionIDContext = 32

// ConnConfig holds the per-connection settings.
type ConnConfig struct {
	// Server selects the accepting side.
	Server bool
	// ServerName, on a client, is the name the server's certificate must
	// match (a DNS name against its DNS names, an IP literal against its
	// IP addresses), and is sent as SNI unless NoSNI is set or it is an
	// IP literal: RFC 6066 allows only DNS host names there. Servers
	// ignore it.
	ServerName string
	// NoSNI, on a client, checks ServerName without sending it, for a
	// client that knows its server's name but was told to send none.
	NoSNI bool
	// Request asks for and verifies the peer's certificate
	// (SSL_VERIFY_PEER|SSL_VERIFY_CLIENT_ONCE).
	Request bool
	// Require, with Request, makes a missing or unverifiable peer
	// certificate fatal (SSL_VERIFY_FAIL_IF_NO_PEER_CERT). Without it,
	// verification errors only show in VerifyResult.
	Require bool
	// PostHandshake lets a client answer post-handshake authentication;
	// with Request it adds SSL_VERIFY_POST_HANDSHAKE.
	PostHandshake bool
	// ALPN is the protocol list a client offers, each name 1..255 bytes.
	// On a server it is the list to select from (see Hooks.ALPN).
	ALPN []string
	// SessionIDContext is a server's session id context, at most 32 bytes.
	// Clients ignore it.
	SessionIDContext []byte
}

// Conn is one TLS connection over a pair of memory BIOs: the caller moves
// ciphertext between the Conn (Feed, TakeOutgoing) and the network itself.
// After every call, including failing ones, Outgoing may report bytes to
// send (handshake records, alerts, close_notify). Not safe for concurrent
// use.
type Conn struct {
	ssl     *C.SSL
	in, out *C.BIO          // the SSL's buffer BIOs (bufbio.c): ciphertext received, to send
	st      *C.tlsgo_stream // the data path's state in C (stream.c)
	server  bool            // the accepting side, fixed at creation: IsServer needs no call into C
	// done: the handshake completed (and passed checkRequired, which
	// OpenSSL does not know of); kept so that Read and Write ask no call
	// into C.
	done bool
	// shutdown: close_notify already queued; a second SSL_shutdown would
	// wait for the peer's close_notify, reading records meant for Read.
	shutdown bool
	// require: a handshake without a peer certificate fails
	// (require.go); OpenSSL has no such setting for anonymous ciphers.
	require bool
	// rdErr and wrErr are the one home of the connection's first error,
	// one per direction (a channel over the Conn asks here rather than
	// keeping a copy): rdErr is io.EOF or the first read failure, wrErr
	// the first write failure, and a failed handshake is the error of
	// both. Each is set once and returned by every later call.
	rdErr error
	wrErr error

	hooks cgo.Handle // *Hooks reached from C, 0 if none (hooks.go)
}

// NewConn creates a connection from the Context. The SSL object holds its
// own reference to the SSL_CTX, so the Context may be freed before it.
func (c *Context) NewConn(cc *ConnConfig) (*Conn, error) {
	if c == nil || c.ctx == nil {
		return nil, errFreed
	}
	if cc == nil {
		cc = &ConnConfig{}
	}
	// Validate before allocating anything in C.
	var alpn []byte
	if len(cc.ALPN) > 0 {
		var err error
		if alpn, err = alpnWire(cc.ALPN); err != nil {
			return nil, err
		}
	}
	if cc.Server && len(cc.SessionIDContext) > maxSessionIDContext {
		return nil, errors.New("session id context too long: at most 32 bytes")
	}

	var ssl *C.SSL
	server := C.int(0)
	if cc.Server {
		server = 1
	}
	if err := check("SSL_new", "unable to create SSL connection", C.tlsgo_conn_new(c.ctx, server, &ssl)); err != nil {
		if ssl != nil {
			C.tlsgo_conn_free(ssl)
		}
		return nil, err
	}
	st := C.tlsgo_stream_new(ssl)
	if st == nil {
		C.tlsgo_conn_free(ssl)
		return nil, errors.New("unable to create SSL connection: out of memory")
	}
	conn := &Conn{ssl: ssl, in: C.SSL_get_rbio(ssl), out: C.SSL_get_wbio(ssl), st: st, server: cc.Server}
	if err := conn.configure(cc, alpn); err != nil {
		conn.Free()
		return nil, err
	}
	return conn, nil
}

// configure applies the per-connection settings to a fresh SSL.
func (c *Conn) configure(cc *ConnConfig, alpn []byte) error {
	mode := C.int(C.SSL_VERIFY_NONE)
	if cc.Request {
		mode = C.SSL_VERIFY_PEER | C.SSL_VERIFY_CLIENT_ONCE
		if cc.Require {
			mode |= C.SSL_VERIFY_FAIL_IF_NO_PEER_CERT
		}
		if cc.PostHandshake {
			mode |= C.SSL_VERIFY_POST_HANDSHAKE
		}
	}
	C.tlsgo_conn_set_verify(c.ssl, mode)
	if cc.Request && cc.Require {
		c.requireCertificate()
	}
	if c.server {
		if len(cc.SessionIDContext) > 0 {
			r := C.tlsgo_conn_set_session_id_context(c.ssl,
				(*C.uchar)(unsafe.Pointer(&cc.SessionIDContext[0])), C.uint(len(cc.SessionIDContext)))
			if err := check("SSL_set_session_id_context", "setting session id context failed", r); err != nil {
				return err
			}
		}
		if len(alpn) > 0 {
			return c.setServerALPN(alpn)
		}
		return nil
	}

	if cc.PostHandshake {
		C.tlsgo_conn_set_post_handshake_auth(c.ssl)
	}
	if cc.ServerName != "" {
		name := cstr(cc.ServerName)
		defer freeC(name)
		ip := IsIPLiteral(cc.ServerName)
		// SNI failing (a name over 255 bytes) is fatal only when the peer
		// must be verified, as in the reference implementation.
		if !ip && !cc.NoSNI {
			if err := check("SSL_set_tlsext_host_name", "setting TLS host name extension failed",
				C.tlsgo_conn_set_sni(c.ssl, name)); err != nil && cc.Require {
				return errors.New("setting TLS host name extension failed")
			}
		}
		var r C.tlsgo_result
		op := "SSL_set1_host"
		if ip {
			op = "X509_VERIFY_PARAM_set1_ip_asc"
			addr := cstr(withoutZone(cc.ServerName))
			defer freeC(addr)
			r = C.tlsgo_conn_set_ip(c.ssl, addr)
		} else {
			r = C.tlsgo_conn_set_host(c.ssl, name)
		}
		if err := check(op, "", r); err != nil {
			return errors.New("setting DNS host name failed")
		}
	}
	if len(alpn) > 0 {
		r := C.tlsgo_conn_set_alpn(c.ssl, (*C.uchar)(unsafe.Pointer(&alpn[0])), C.uint(len(alpn)))
		if err := check("SSL_set_alpn_protos", "", r); err != nil {
			return errors.New("failed to set ALPN protocols")
		}
	}
	return nil
}

// IsIPLiteral reports whether name is an IPv4 or IPv6 address rather
// than a host name: such a name is matched against the IP addresses of a
// certificate and never sent as SNI.
// An IPv6 address may carry a zone ("fe80::1%eth0"), which certificates
// do not: the address without it is what is matched.
func IsIPLiteral(name string) bool {
	return net.ParseIP(withoutZone(name)) != nil
}

// withoutZone returns name without the zone of an IPv6 address.
func withoutZone(name string) string {
	if i := strings.IndexByte(name, '%'); i >= 0 && strings.IndexByte(name, ':') >= 0 {
		return name[:i]
	}
	return name
}

// alpnWire encodes protocol names in the ALPN wire format (length-prefixed).
func alpnWire(names []string) ([]byte, error) {
	n := 0
	for _, p := range names {
		if len(p) == 0 {
			return nil, errors.New("failed to set ALPN protocols")
		}
		if len(p) > 255 {
			return nil, errors.New("ALPN protocol name too long")
		}
		n += 1 + len(p)
	}
	if n > 65535 {
		return nil, errors.New("failed to set ALPN protocols")
	}
	wire := make([]byte, 0, n)
	for _, p := range names {
		wire = append(wire, byte(len(p)))
		wire = append(wire, p...)
	}
	return wire, nil
}

// Feed appends ciphertext received from the network to the input BIO,
// for a caller that moves the ciphertext itself (Pull and Fill read it
// from the channel below).
func (c *Conn) Feed(p []byte) {
	if c.ssl == nil || len(p) == 0 {
		return
	}
	dst := C.tlsgo_bio_space(c.in, C.size_t(len(p)))
	if dst == nil {
		return // out of memory; the handshake or read will fail
	}
	n := copy(unsafe.Slice((*byte)(unsafe.Pointer(dst)), len(p)), p)
	C.tlsgo_stream_commit(c.st, C.size_t(n))
}

// FeedEOF records that the network reached end of file: once the input BIO
// is empty, OpenSSL sees EOF instead of "retry later".
func (c *Conn) FeedEOF() {
	if c.ssl == nil {
		return
	}
	C.tlsgo_bio_set_eof(c.in)
}

// Outgoing returns the number of ciphertext bytes waiting to be sent.
func (c *Conn) Outgoing() int {
	if c.ssl == nil {
		return 0
	}
	return int(C.tlsgo_bio_len(c.out))
}

// TakeOutgoing moves up to len(p) bytes of waiting ciphertext into p and
// returns how many it moved.
func (c *Conn) TakeOutgoing(p []byte) int {
	n := copy(p, c.OutgoingData())
	c.Consume(n)
	return n
}

// OutgoingData returns the ciphertext waiting to be sent, in the
// connection's own memory, valid until Consume or any other call on the
// Conn. Send what the network takes, then Consume that much.
func (c *Conn) OutgoingData() []byte {
	if c.ssl == nil {
		return nil
	}
	d := C.tlsgo_bio_data(c.out)
	if d.p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(d.p)), int(d.n))
}

// Consume drops the first n bytes of OutgoingData, which were sent.
func (c *Conn) Consume(n int) {
	if c.ssl != nil && n > 0 {
		C.tlsgo_bio_consume(c.out, C.size_t(n))
	}
}

// Handshake advances the handshake. It returns nil once complete (at once
// on later calls), ErrWantRead when it needs more input (send Outgoing
// first), or an *Error; a failure is sticky.
func (c *Conn) Handshake() error {
	if c.ssl == nil {
		return errFreed
	}
	if c.done {
		return nil
	}
	if c.wrErr != nil {
		return c.wrErr // before completion only the handshake sets it
	}
	r := C.tlsgo_handshake(c.ssl)
	if r.ret == 1 {
		if err := c.checkRequired(); err != nil {
			c.rdErr, c.wrErr = err, err
			return err
		}
		c.done = true
		return nil
	}
	switch r.kind {
	case C.TLSGO_IO_WANT_READ:
		freeResult(r)
		return ErrWantRead
	case C.TLSGO_IO_WANT_WRITE:
		freeResult(r)
		return ErrWantWrite
	}
	code := int(r.ssl_error)
	e := newError("SSL_do_handshake", code, r.err)
	if len(e.Codes) == 0 && (code == C.SSL_ERROR_ZERO_RETURN || C.tlsgo_bio_ended(c.in) != 0) {
		// The input ended before the handshake did, and OpenSSL queued
		// nothing to say so.
		e.Codes = []ErrorCode{ErrUnexpectedEOF}
		e.Reason = ErrUnexpectedEOF.Error()
	}
	c.rdErr, c.wrErr = e, e
	return e
}

// HandshakeDone reports whether the handshake completed successfully.
func (c *Conn) HandshakeDone() bool { return c.done }

// freeResult releases the error attached to a shim result, if any.
func freeResult(r C.tlsgo_result) {
	if r.err != nil {
		C.tlsgo_err_free(r.err)
	}
}

// ioError maps the result of SSL_read or SSL_write to nil, a retry
// sentinel, io.EOF (reads only) or an *Error, as the shim classified it
// (tlsgo_result.kind, which the C data path goes by too).
func (c *Conn) ioError(op string, r C.tlsgo_result) error {
	switch r.kind {
	case C.TLSGO_IO_DONE:
		freeResult(r)
		return nil
	case C.TLSGO_IO_WANT_READ:
		freeResult(r)
		return ErrWantRead
	case C.TLSGO_IO_WANT_WRITE:
		freeResult(r)
		return ErrWantWrite
	case C.TLSGO_IO_END:
		freeResult(r)
		return io.EOF
	}
	return newError(op, int(r.ssl_error), r.err)
}

// Read decrypts into p. It returns ErrWantRead when more input is needed,
// io.EOF after close_notify or after FeedEOF (a missing close_notify is a
// clean end), or an *Error. Bytes already decrypted are returned before
// the end or error, which then comes on the next call and every later one.
func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.transfer(p, true)
	if n > 0 {
		return n, nil
	}
	return 0, err
}

// Write encrypts all of p into the output buffer, completing the
// handshake first if needed. The buffer never blocks, so a short count
// comes only with an error (ErrWantRead while the peer renegotiates);
// failures are sticky.
func (c *Conn) Write(p []byte) (int, error) {
	return c.transfer(p, false)
}

// transfer is one SSL_read (reading) or SSL_write over p, after ready.
func (c *Conn) transfer(p []byte, reading bool) (int, error) {
	sticky, op := &c.wrErr, "SSL_write"
	if reading {
		sticky, op = &c.rdErr, "SSL_read"
	}
	if err, ok := c.ready(len(p), sticky); !ok {
		return 0, err
	}
	var r C.tlsgo_result
	if reading {
		r = C.tlsgo_stream_read(c.st, unsafe.Pointer(&p[0]), C.size_t(len(p)))
	} else {
		r = C.tlsgo_stream_write(c.st, unsafe.Pointer(&p[0]), C.size_t(len(p)))
	}
	return int(r.ret), c.classify(op, r, sticky)
}

// Push is Write, then Flush: the plaintext encrypted, and the records
// written below until none waits or the channel below takes nothing,
// which is kept for the next Flush to return (the caller flushes next,
// and judges it there). It is the one "encrypt, then send" of the data
// path, which the binding's C path runs too.
func (c *Conn) Push(p []byte, below Below) (int, error) {
	if err, ok := c.ready(len(p), &c.wrErr); !ok {
		return 0, err
	}
	r := C.tlsgo_stream_push_at(c.st, unsafe.Pointer(&p[0]), C.size_t(len(p)), C.uintptr_t(below))
	return int(r.ret), c.classify("SSL_write", r, &c.wrErr)
}

// ready makes the checks a read or write makes first: the Conn is not
// freed, no sticky error of that direction (*sticky) is waiting, the
// handshake is complete (it is run if needed) and there are bytes to
// move. When it reports false, err is what the call returns, with a
// count of 0.
func (c *Conn) ready(n int, sticky *error) (err error, ok bool) {
	switch {
	case c.ssl == nil:
		return errFreed, false
	case *sticky != nil:
		return *sticky, false
	case !c.done:
		if err := c.Handshake(); err != nil {
			return err, false
		}
	}
	return nil, n > 0
}

// classify maps the result of an SSL_read or SSL_write (op) to its
// error (ioError); a failure other than a retry becomes that direction's
// sticky error.
func (c *Conn) classify(op string, r C.tlsgo_result, sticky *error) error {
	err := c.ioError(op, r)
	if err != nil && err != ErrWantRead && err != ErrWantWrite {
		*sticky = err
	}
	return err
}

// Pending returns the plaintext bytes already decrypted inside OpenSSL plus
// the ciphertext bytes fed but not yet processed: a Read may make progress
// without more input when it is not zero.
func (c *Conn) Pending() int {
	if c.ssl == nil {
		return 0
	}
	return int(C.tlsgo_pending(c.ssl))
}

// PartialRecord reports whether the ciphertext received so far stops
// inside a TLS record: an end of stream there is a truncated stream, not
// an end of file.
func (c *Conn) PartialRecord() bool {
	return c.ssl != nil && C.tlsgo_stream_partial(c.st) != 0
}

// Readable reports whether a Read can return plaintext (or its end or
// error) without more ciphertext: plaintext decrypted but unread, or a
// whole record received.
func (c *Conn) Readable() bool {
	return c.ssl != nil && C.tlsgo_stream_readable(c.st) != 0
}

// FastIO returns the connection's data path for C code: the address of a
// table of C functions (internal/fastpath/fastpath.h) and the stream they
// take, valid until Free. Its pulls and pushes are Pull and Flush (after
// Write), which find what it left for them (an end, an error, a write
// below that took nothing) as if they had met it themselves.
func (c *Conn) FastIO() (table, stream uintptr) {
	if c.ssl == nil {
		return 0, 0
	}
	return uintptr(C.tlsgo_stream_fastpath()), uintptr(unsafe.Pointer(c.st))
}

// PullWhy is why Pull or Fill returned.
type PullWhy int

// The values of PullWhy, tlsgo_stream_pull's TLSGO_PULL_*.
const (
	PullData    PullWhy = C.TLSGO_PULL_DATA    // plaintext (or, after a read below, ciphertext)
	PullMore    PullWhy = C.TLSGO_PULL_MORE    // plaintext; an end or error waits for Read
	PullEnd     PullWhy = C.TLSGO_PULL_END     // none: an end or error waits for Read
	PullBlocked PullWhy = C.TLSGO_PULL_BLOCKED // none: the channel below has nothing now
	PullBelow   PullWhy = C.TLSGO_PULL_BELOW   // none: the channel below ended or failed
)

// Pulled is what a Pull or Fill did besides its count: why it returned,
// whether a script that the channel below ran entered the layer during
// a read below, the errno of a Fill's read that moved nothing (as the
// host reported it), and the bytes its reads below took (Read).
type Pulled struct {
	Why     PullWhy
	Entered bool
	Err     syscall.Errno
	Read    int
}

// Pull decrypts into p, reading ciphertext from below as it needs: the
// one read loop of the data path, which the binding's C path runs too.
// All its reads below come before it decrypts anything into p, so that a
// script a read below runs may take p's buffer (a read of the channel
// from there). With drain (a non-blocking channel) it returns a short
// count only when the channel below has nothing more now, which is what
// Tcl takes a short count to mean. It returns the plaintext's count and
// what it did (Pulled): with PullEnd, Read returns the end or error (as
// it does while the handshake is not complete); with PullBelow, the next
// Fill returns the end or failure of the channel below that it met. It
// stops after a read below during which a script entered the layer,
// having decrypted nothing, for the caller to look at the layer before it
// pulls again. It never sends: replies the connection made (Outgoing) are
// the caller's to flush.
func (c *Conn) Pull(p []byte, below Below, drain bool) (int, Pulled) {
	if c.ssl == nil || c.rdErr != nil || !c.done || len(p) == 0 {
		return 0, Pulled{Why: PullEnd}
	}
	d := C.int(0)
	if drain {
		d = 1
	}
	r := C.tlsgo_stream_pull_at(c.st, unsafe.Pointer(&p[0]), C.size_t(len(p)), C.uintptr_t(below), d)
	return int(r.n), pulled(r)
}

// Fill reads ciphertext from below into the connection, once, and
// returns the read's raw result: the count (PullData), nothing now
// (PullBlocked), or an end (0) or failure (-1, Err) with PullBelow. An
// end or failure a Pull kept comes first, without a read.
func (c *Conn) Fill(below Below) (int, Pulled) {
	if c.ssl == nil {
		return -1, Pulled{Why: PullBelow, Err: syscall.EBADF}
	}
	r := C.tlsgo_stream_fill_at(c.st, C.uintptr_t(below))
	return int(r.n), pulled(r)
}

func pulled(r C.tlsgo_pulled) Pulled {
	return Pulled{PullWhy(r.why), r.entered != 0, syscall.Errno(r.err), int(r.read)}
}

// FlushWhy is why Flush returned.
type FlushWhy int

// The values of FlushWhy, tlsgo_stream_flush's TLSGO_FLUSH_*.
const (
	FlushSent    FlushWhy = C.TLSGO_FLUSH_SENT    // nothing waits
	FlushStuck   FlushWhy = C.TLSGO_FLUSH_STUCK   // the channel below took nothing
	FlushEntered FlushWhy = C.TLSGO_FLUSH_ENTERED // a script below entered the layer
)

// Flush writes the waiting ciphertext below until none waits or the
// channel below takes nothing: the one write loop of the data path,
// which the binding's C path runs too. With FlushStuck it returns that
// write's result (0, or -1 and the errno), which the caller judges (it
// would block, or failed); a write the C path left is returned first,
// without writing again. With FlushEntered a script that the channel
// below ran entered the layer: the caller looks at the layer first.
func (c *Conn) Flush(below Below) (FlushWhy, int, syscall.Errno) {
	if c.ssl == nil {
		return FlushSent, 0, 0
	}
	r := C.tlsgo_stream_flush_at(c.st, C.uintptr_t(below))
	return FlushWhy(r.why), int(r.n), syscall.Errno(r.err)
}

// Shutdown queues a close_notify alert in the output BIO, once, if the
// handshake completed. It never waits for the peer's close_notify.
func (c *Conn) Shutdown() {
	if c.ssl == nil || !c.done || c.shutdown {
		return
	}
	c.shutdown = true
	C.tlsgo_shutdown(c.ssl)
}

// Free releases the SSL object and both BIOs. Calling it twice is
// harmless; every other method then reports an error or a zero value.
func (c *Conn) Free() {
	if c == nil || c.ssl == nil {
		return
	}
	c.dropHooks()
	C.tlsgo_conn_free(c.ssl)
	C.tlsgo_stream_free(c.st)
	c.ssl, c.in, c.out, c.st = nil, nil, nil, nil
}

// IsServer reports whether this is the accepting side.
func (c *Conn) IsServer() bool { return c.server }

// Version returns the protocol version in OpenSSL's spelling, e.g.
// "TLSv1.3".
func (c *Conn) Version() string {
	if c.ssl == nil {
		return ""
	}
	return C.GoString(C.tlsgo_version(c.ssl))
}

// Cipher returns the negotiated cipher's OpenSSL name, "" if none.
func (c *Conn) Cipher() string {
	if c.ssl == nil {
		return ""
	}
	return C.GoString(C.tlsgo_cipher_name(c.ssl))
}

// SecretBits returns the negotiated cipher's secret key size in bits, 0
// before the handshake.
func (c *Conn) SecretBits() int {
	if c.ssl == nil {
		return 0
	}
	return int(C.tlsgo_secret_bits(c.ssl))
}

// ALPN returns the application protocol agreed on, "" if none.
func (c *Conn) ALPN() string {
	if c.ssl == nil {
		return ""
	}
	var data *C.uchar
	n := C.tlsgo_alpn_selected(c.ssl, &data)
	if n <= 0 || data == nil {
		return ""
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(data)), n)
}

// VerifyResult returns the text of the certificate verification result:
// "ok" when the peer's certificate passed, "no peer certificate" when the
// peer showed none (so that nothing was verified).
func (c *Conn) VerifyResult() string {
	if c.ssl == nil {
		return ""
	}
	if !c.hasPeerCertificate() {
		return noVerification
	}
	return C.GoString(C.tlsgo_verify_result_string(c.ssl))
}

// PeerCertificateDER returns the peer's certificate in DER, nil when the
// peer sent none.
func (c *Conn) PeerCertificateDER() []byte {
	if c.ssl == nil {
		return nil
	}
	n := C.tlsgo_peer_certificate_der(c.ssl, nil, 0)
	if n <= 0 {
		return nil
	}
	buf := make([]byte, int(n))
	got := C.tlsgo_peer_certificate_der(c.ssl, (*C.uchar)(unsafe.Pointer(&buf[0])), n)
	if got <= 0 {
		return nil
	}
	return buf[:int(got)]
}

// ServerName returns the SNI host name: on a server, what the client sent;
// on a client, what it set. "" when none.
func (c *Conn) ServerName() string {
	if c.ssl == nil {
		return ""
	}
	return C.GoString(C.tlsgo_servername(c.ssl))
}

// ReadErr returns the end of stream (io.EOF) or failure that the next Read
// will report (a failed handshake's too), once a Read has met it, possibly
// after returning data; nil otherwise. It lets a caller that got a short
// read know that the stream has ended without new input from the network.
func (c *Conn) ReadErr() error { return c.rdErr }

// WriteErr returns the failure that the next Write will report (a failed
// handshake's too), nil if none.
func (c *Conn) WriteErr() error { return c.wrErr }
