package channel

// recordHeader is the size of a TLS record header: type, version, length.
const recordHeader = 5

// records follows the framing of the ciphertext read from the channel
// below, so that the layer knows, without asking OpenSSL, whether the
// stream stands at a record boundary: an end of stream there is an end of
// file, an end inside a record is a truncated stream.
type records struct {
	header [recordHeader]byte
	have   int // bytes of the current header seen so far
	body   int // bytes of the current record's body still to come
}

// scan follows the records of p, the next bytes of the stream.
func (r *records) scan(p []byte) {
	for len(p) > 0 {
		if r.body > 0 {
			if len(p) <= r.body {
				r.body -= len(p)
				return
			}
			p = p[r.body:]
			r.body = 0
		}
		n := copy(r.header[r.have:], p)
		r.have += n
		p = p[n:]
		if r.have == recordHeader {
			r.body = int(r.header[3])<<8 | int(r.header[4])
			r.have = 0
		}
	}
}

// partial reports whether the stream stops inside a record.
func (r *records) partial() bool { return r.have > 0 || r.body > 0 }
