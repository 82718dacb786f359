package ossl

import (
	"errors"
	"testing"
)

// The framing that tells a truncated stream from an end at a record
// boundary follows every byte committed, however the bytes are split.
func TestPartialRecord(t *testing.T) {
	ctx := mustContext(t, baseConfig())
	c := mustConn(t, ctx, ConnConfig{})
	defer c.Free()
	steps := []struct {
		in      []byte
		partial bool
		what    string
	}{
		{[]byte{0x17, 3, 3}, true, "inside a header"},
		{[]byte{0, 2, 'a'}, true, "inside a body"},
		{[]byte{'b', 0x17, 3, 3, 0, 0, 0x15, 3, 3, 0, 1, 'x'}, false, "at a boundary after an empty record"},
	}
	for _, s := range steps {
		c.Feed(s.in)
		if got := c.PartialRecord(); got != s.partial {
			t.Fatalf("%s: PartialRecord = %v", s.what, got)
		}
	}
}

// Readable says a read can progress without more ciphertext only when a
// whole record waits: a header alone or a record cut short does not.
func TestReadableNeedsWholeRecord(t *testing.T) {
	ctx := mustContext(t, baseConfig())
	c := mustConn(t, ctx, ConnConfig{})
	defer c.Free()
	if c.Readable() {
		t.Fatal("readable with nothing received")
	}
	c.Feed([]byte{0x17, 3, 3, 0, 3, 'a', 'b'})
	if c.Readable() {
		t.Fatal("readable with a record cut short")
	}
	c.Feed([]byte{'c'})
	if !c.Readable() {
		t.Fatal("not readable with a whole record waiting")
	}
}

// A record cut short is taken into OpenSSL whole, as far as it came:
// the rest, when it comes, starts the input BIO's data inside the record,
// and Readable still sees the record complete (the bytes that start the
// BIO's data are no header).
func TestReadableAfterPartOfRecordTaken(t *testing.T) {
	cli, srv := openPair(t)
	if _, err := srv.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	rec := append([]byte(nil), srv.OutgoingData()...)
	srv.Consume(len(rec))
	// All but the last 3 bytes, then the 3 bytes: fewer than a header,
	// which a test reading one at the start of the BIO's data can never
	// take for a record.
	cli.Feed(rec[:len(rec)-3])
	buf := make([]byte, 100)
	if n, err := cli.Read(buf); n != 0 || !errors.Is(err, ErrWantRead) {
		t.Fatalf("read of a record cut short: %d, %v", n, err)
	}
	if cli.Readable() {
		t.Fatal("readable with the record cut short")
	}
	cli.Feed(rec[len(rec)-3:])
	if !cli.Readable() {
		t.Fatal("not readable once the rest of the record came")
	}
	if n, err := cli.Read(buf); string(buf[:n]) != "hello" || err != nil {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if cli.Readable() {
		t.Fatal("readable after the record was read")
	}
}
