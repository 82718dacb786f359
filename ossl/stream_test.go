package ossl

import "testing"

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
