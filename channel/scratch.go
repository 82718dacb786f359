package channel

import "sync"

// Ciphertext passes through scratch buffers shared by all connections
// rather than buffers of their own: an idle connection then holds no
// buffer at all, and a busy one holds one only during a read or a write
// below. The layer keeps only what the channel below has not accepted yet.
var scratch = sync.Pool{New: func() any {
	b := make([]byte, rawChunk)
	return &b
}}

// getScratch returns a buffer of rawChunk bytes for use until putScratch.
func getScratch() []byte {
	return *scratch.Get().(*[]byte)
}

// putScratch gives back a buffer from getScratch.
func putScratch(b []byte) {
	b = b[:cap(b)]
	scratch.Put(&b)
}

// aliases reports whether p is a slice of the tail of buf's array, as the
// unwritten rest of a buffer taken by flushOut is.
func aliases(p, buf []byte) bool {
	if cap(p) == 0 || cap(buf) == 0 {
		return false
	}
	return &p[:cap(p)][cap(p)-1] == &buf[:cap(buf)][cap(buf)-1]
}
