package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import "unsafe"

// bufBIO is a buffer BIO (bufbio.c) on its own, outside any connection:
// the same calls a Conn makes on its input and output BIOs, plus
// OpenSSL's BIO_read and BIO_write, the side OpenSSL uses. It exists so
// that the BIO can be tested by itself.
type bufBIO struct{ b *C.BIO }

func newBufBIO() *bufBIO {
	b := C.tlsgo_bio_new()
	if b == nil {
		return nil
	}
	return &bufBIO{b}
}

func (q *bufBIO) free() { C.tlsgo_bio_free(q.b); q.b = nil }

// space, commit, data and consume are the caller's side.
func (q *bufBIO) space(n int) []byte {
	p := C.tlsgo_bio_space(q.b, C.size_t(n))
	if p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), n)
}

func (q *bufBIO) commit(n int) { C.tlsgo_bio_commit(q.b, C.size_t(n)) }

func (q *bufBIO) data() []byte {
	d := C.tlsgo_bio_data(q.b)
	if d.p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(d.p)), int(d.n))
}

func (q *bufBIO) consume(n int) { C.tlsgo_bio_consume(q.b, C.size_t(n)) }
func (q *bufBIO) len() int      { return int(C.tlsgo_bio_len(q.b)) }
func (q *bufBIO) cap() int      { return int(C.tlsgo_bio_cap(q.b)) }
func (q *bufBIO) setEOF()       { C.tlsgo_bio_set_eof(q.b) }

// takeArrived is tlsgo_bio_take_arrived: bytes appended since the last
// call, the measure of traffic behind the read buffer's release rule.
func (q *bufBIO) takeArrived() int { return int(C.tlsgo_bio_take_arrived(q.b)) }

// read and write are OpenSSL's side: BIO_read and BIO_write, with the
// retry flag BIO_read leaves.
func (q *bufBIO) read(p []byte) (n int, retry bool) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n = int(C.BIO_read(q.b, ptr, C.int(len(p))))
	return n, C.BIO_test_flags(q.b, C.BIO_FLAGS_SHOULD_RETRY) != 0
}

func (q *bufBIO) write(p []byte) int {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	return int(C.BIO_write(q.b, ptr, C.int(len(p))))
}

// pending and eof are BIO_ctrl_pending and BIO_eof.
func (q *bufBIO) pending() int { return int(C.BIO_ctrl_pending(q.b)) }
func (q *bufBIO) eof() bool    { return C.BIO_ctrl(q.b, C.BIO_CTRL_EOF, 0, nil) != 0 }
