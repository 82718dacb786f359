package ossl

import (
	"bytes"
	"testing"
)

func mustBufBIO(t *testing.T) *bufBIO {
	t.Helper()
	q := newBufBIO()
	if q == nil {
		t.Fatal("no buffer BIO")
	}
	t.Cleanup(q.free)
	return q
}

// An empty BIO asks OpenSSL to retry until the end of input is marked,
// then reads as end of file.
func TestBufBIOEmptyRetriesUntilEOF(t *testing.T) {
	q := mustBufBIO(t)
	buf := make([]byte, 16)
	if n, retry := q.read(buf); n != -1 || !retry {
		t.Fatalf("read of empty BIO = %d, retry %v; want -1, retry", n, retry)
	}
	if q.eof() {
		t.Fatal("empty BIO reports EOF before setEOF")
	}
	q.setEOF()
	if n, retry := q.read(buf); n != 0 || retry {
		t.Fatalf("read after setEOF = %d, retry %v; want 0, no retry", n, retry)
	}
	if !q.eof() {
		t.Fatal("BIO does not report EOF after setEOF")
	}
	if q.cap() != 0 {
		t.Fatalf("empty BIO holds %d bytes of buffer", q.cap())
	}
}

// Bytes committed by the caller come out of BIO_read in order, across
// reads of any size, and the buffer goes away once they are all read.
func TestBufBIOCallerToOpenSSL(t *testing.T) {
	q := mustBufBIO(t)
	want := bytes.Repeat([]byte("0123456789abcdef"), 1000)
	space := q.space(len(want) + 100)
	if len(space) != len(want)+100 {
		t.Fatalf("space = %d bytes", len(space))
	}
	copy(space, want)
	q.commit(len(want))
	if q.len() != len(want) || q.pending() != len(want) {
		t.Fatalf("len %d, pending %d; want %d", q.len(), q.pending(), len(want))
	}
	q.setEOF()
	if q.eof() {
		t.Fatal("EOF reported while data is held")
	}
	var got []byte
	buf := make([]byte, 777)
	for {
		n, _ := q.read(buf)
		if n <= 0 {
			break
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(want))
	}
	if q.cap() != 0 {
		t.Fatalf("drained BIO still holds %d bytes of buffer", q.cap())
	}
}

// Bytes OpenSSL writes are the caller's data in order; consuming part of
// them leaves the rest, and consuming all releases the buffer.
func TestBufBIOOpenSSLToCaller(t *testing.T) {
	q := mustBufBIO(t)
	if q.data() != nil {
		t.Fatal("empty BIO has data")
	}
	var want []byte
	for i := 0; i < 50; i++ {
		rec := bytes.Repeat([]byte{byte(i)}, 1000+i)
		if n := q.write(rec); n != len(rec) {
			t.Fatalf("write = %d, want %d", n, len(rec))
		}
		want = append(want, rec...)
	}
	if !bytes.Equal(q.data(), want) {
		t.Fatal("data is not what was written")
	}
	q.consume(1234)
	if !bytes.Equal(q.data(), want[1234:]) {
		t.Fatal("data after consume is not the rest")
	}
	// Space made after a partial consume keeps the data in front of it.
	q.write([]byte("tail"))
	want = append(want, "tail"...)
	if !bytes.Equal(q.data(), want[1234:]) {
		t.Fatal("data after a write following consume is wrong")
	}
	q.consume(len(want)) // more than held: everything goes
	if q.data() != nil || q.len() != 0 || q.cap() != 0 {
		t.Fatalf("after consuming all: len %d, cap %d", q.len(), q.cap())
	}
}

// A commit larger than the space given is cut to that space, never past
// the buffer's end; an empty commit releases an otherwise empty buffer.
func TestBufBIOCommitBounds(t *testing.T) {
	q := mustBufBIO(t)
	q.space(10)
	q.commit(0)
	if q.cap() != 0 {
		t.Fatalf("empty commit kept %d bytes of buffer", q.cap())
	}
	s := q.space(10)
	copy(s, "abcdefghij")
	q.commit(1 << 30)
	if q.len() > q.cap() {
		t.Fatalf("len %d beyond cap %d", q.len(), q.cap())
	}
}

// Sizes between 16 KiB and 256 KiB share one buffer size (the pool's);
// larger ones grow as needed and keep what was held.
func TestBufBIOGrowth(t *testing.T) {
	q := mustBufBIO(t)
	q.write([]byte("head"))
	if c := q.cap(); c != 4096 {
		t.Fatalf("small buffer cap %d, want 4096", c)
	}
	q.space(20 << 10)
	if c := q.cap(); c != 256<<10 {
		t.Fatalf("bulk buffer cap %d, want %d", c, 256<<10)
	}
	q.space(300 << 10)
	if c := q.cap(); c < 300<<10+4 {
		t.Fatalf("large buffer cap %d too small", c)
	}
	if !bytes.Equal(q.data(), []byte("head")) {
		t.Fatal("growth lost the data held")
	}
}

// The BIO counts what arrives between two calls of takeArrived, whether
// committed into its room or written by BIO_write, and consuming data
// does not change the count.
func TestBufBIOArrived(t *testing.T) {
	q := mustBufBIO(t)
	if n := q.takeArrived(); n != 0 {
		t.Fatalf("new BIO: arrived %d, want 0", n)
	}
	room := q.space(100)
	copy(room, bytes.Repeat([]byte("a"), 100))
	q.commit(60)
	if n := q.write([]byte("bcdef")); n != 5 {
		t.Fatalf("write = %d, want 5", n)
	}
	q.consume(30)
	if n := q.takeArrived(); n != 65 {
		t.Fatalf("arrived %d, want 65", n)
	}
	if n := q.takeArrived(); n != 0 {
		t.Fatalf("arrived %d right after taking, want 0", n)
	}
	q.commit(0)
	q.space(10)
	q.commit(10)
	if n := q.takeArrived(); n != 10 {
		t.Fatalf("arrived %d, want 10", n)
	}
}
