package ossl

import (
	"bytes"
	"syscall"
	"testing"
)

// scriptedBelow is a channel below for the tests of the loops (Pull,
// Fill, Flush): reads return the chunks of in, one per read, then an end
// (end) or EAGAIN; writes take up to room bytes (-1: all) or fail with
// writeErr. enterAt makes the call of that number (reads and writes
// counted together, from 1) report that a script entered the layer.
type scriptedBelow struct {
	in       [][]byte
	end      bool
	out      []byte
	room     int
	writeErr syscall.Errno
	calls    int
	reads    int
	writes   int
	enterAt  int
	panics   bool
}

func (b *scriptedBelow) entered() bool {
	b.calls++
	return b.calls == b.enterAt
}

func (b *scriptedBelow) ReadBelow(p []byte) (int, syscall.Errno, bool) {
	if b.panics {
		panic("a read below panicked")
	}
	b.reads++
	in := b.entered()
	switch {
	case len(b.in) > 0:
		n := copy(p, b.in[0])
		if b.in[0] = b.in[0][n:]; len(b.in[0]) == 0 {
			b.in = b.in[1:]
		}
		return n, 0, in
	case b.end:
		return 0, 0, in
	}
	return -1, syscall.EAGAIN, in
}

func (b *scriptedBelow) WriteBelow(p []byte) (int, syscall.Errno, bool) {
	b.writes++
	in := b.entered()
	if b.writeErr != 0 {
		return -1, b.writeErr, in
	}
	n := len(p)
	if b.room >= 0 {
		n = min(n, b.room)
		b.room -= n
	}
	if n == 0 {
		return -1, syscall.EAGAIN, in
	}
	b.out = append(b.out, p[:n]...)
	return n, 0, in
}

// newBelow returns a Below over b, freed with the test.
func newBelow(t *testing.T, b *scriptedBelow) Below {
	below := NewBelow(b)
	t.Cleanup(func() { FreeBelow(below) })
	return below
}

// records returns what w sends for data, cut into pieces of size bytes.
func records(t *testing.T, w *Conn, data []byte, size int) [][]byte {
	t.Helper()
	if n, err := w.Write(data); n != len(data) || err != nil {
		t.Fatalf("write: %d %v", n, err)
	}
	var wire []byte
	for w.Outgoing() > 0 {
		buf := make([]byte, w.Outgoing())
		wire = append(wire, buf[:w.TakeOutgoing(buf)]...)
	}
	var pieces [][]byte
	for len(wire) > 0 {
		n := min(size, len(wire))
		pieces = append(pieces, wire[:n])
		wire = wire[n:]
	}
	return pieces
}

// wire joins pieces.
func wire(pieces [][]byte) []byte { return bytes.Join(pieces, nil) }

// Pull reads below, a piece at a time, until plaintext decrypts, and
// says when the channel below has nothing more.
func TestPullReadsBelowUntilPlaintext(t *testing.T) {
	cli, srv := openPair(t)
	data := []byte("the plaintext of one record")
	b := &scriptedBelow{in: records(t, srv, data, 7), room: -1}
	pieces := len(b.in)
	total := len(wire(b.in))
	buf := make([]byte, 100)
	n, r := cli.Pull(buf, newBelow(t, b), false)
	if n != len(data) || r.Why != PullData || !bytes.Equal(buf[:n], data) {
		t.Fatalf("pull: %d %+v %q", n, r, buf[:n])
	}
	if b.reads != pieces || r.Read != total {
		t.Fatalf("%d reads below for %d pieces, %d bytes counted", b.reads, pieces, r.Read)
	}
	if n, r = cli.Pull(buf, newBelow(t, b), false); n != 0 || r.Why != PullBlocked {
		t.Fatalf("pull with nothing below: %d %+v, want PullBlocked", n, r)
	}
	if r.Read != 0 {
		t.Fatalf("a pull that found nothing counts %d bytes read", r.Read)
	}
}

// An end below is kept for the next fill; a FIN within a record leaves a
// partial record for the caller to judge.
func TestPullKeepsEndBelow(t *testing.T) {
	cli, srv := openPair(t)
	b := &scriptedBelow{in: records(t, srv, []byte("cut"), 4)[:1], end: true, room: -1}
	below := newBelow(t, b)
	n, r := cli.Pull(make([]byte, 10), below, false)
	if n != 0 || r.Why != PullBelow || !cli.PartialRecord() {
		t.Fatalf("pull at an end inside a record: %d %+v partial %v", n, r, cli.PartialRecord())
	}
	reads := b.reads
	if n, r = cli.Fill(below); n != 0 || r.Why != PullBelow || b.reads != reads {
		t.Fatalf("fill: %d %+v after %d more reads, want the kept end", n, r, b.reads-reads)
	}
}

// With drain, a pull reads below until the channel below has nothing
// more before it returns a short count; without, it returns what the
// first record gives.
func TestPullDrainsBeforeShortCount(t *testing.T) {
	for _, drain := range []bool{false, true} {
		cli, srv := openPair(t)
		b := &scriptedBelow{room: -1}
		b.in = append(records(t, srv, []byte("aaa"), 1000), records(t, srv, []byte("bbb"), 1000)...)
		buf := make([]byte, 1000)
		n, r := cli.Pull(buf, newBelow(t, b), drain)
		want, reads := "aaa", 1
		if drain {
			want, reads = "aaabbb", 3 // the third said EAGAIN
		}
		if string(buf[:n]) != want || r.Why != PullData || b.reads != reads {
			t.Fatalf("drain %v: %q %+v after %d reads, want %q after %d", drain, buf[:n], r, b.reads, want, reads)
		}
	}
}

// A read below during which a script entered the layer ends the pull
// there, before anything is decrypted into p (the script may have taken
// p's buffer); what it read is kept, and the next pull goes on.
func TestPullStopsWhenEntered(t *testing.T) {
	cli, srv := openPair(t)
	b := &scriptedBelow{room: -1, enterAt: 2}
	b.in = append(records(t, srv, []byte("aaa"), 1000), records(t, srv, []byte("bbb"), 1000)...)
	below := newBelow(t, b)
	buf := make([]byte, 100)
	n, r := cli.Pull(buf, below, true)
	if n != 0 || !r.Entered || b.reads != 2 || !bytes.Equal(buf, make([]byte, 100)) {
		t.Fatalf("pull: %d %+v after %d reads, buffer %q: want a stop after the second, nothing written",
			n, r, b.reads, bytes.TrimRight(buf, "\x00"))
	}
	if n, r = cli.Pull(buf, below, true); string(buf[:n]) != "aaabbb" || r.Entered {
		t.Fatalf("next pull: %q %+v", buf[:n], r)
	}
}

// Flush writes until nothing waits, or until the channel below takes
// nothing, whose result it returns for the caller to judge.
func TestFlushWritesUntilStuck(t *testing.T) {
	cli, _ := openPair(t)
	if _, err := cli.Write(make([]byte, 5000)); err != nil {
		t.Fatal(err)
	}
	waiting := cli.Outgoing()
	b := &scriptedBelow{room: 1000}
	below := newBelow(t, b)
	why, n, e := cli.Flush(below)
	if why != FlushStuck || n != -1 || e != syscall.EAGAIN || len(b.out) != 1000 ||
		cli.Outgoing() != waiting-1000 {
		t.Fatalf("flush: %v %d %v, %d written, %d waiting", why, n, e, len(b.out), cli.Outgoing())
	}
	b.room = -1
	if why, _, _ = cli.Flush(below); why != FlushSent || cli.Outgoing() != 0 || len(b.out) != waiting {
		t.Fatalf("flush: %v, %d waiting", why, cli.Outgoing())
	}
}

// A write below that took nothing while a script entered the layer is
// kept: the next flush returns it instead of writing again, so a failure
// is judged once, by its own errno.
func TestFlushKeepsWriteAfterEntered(t *testing.T) {
	cli, _ := openPair(t)
	if _, err := cli.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	b := &scriptedBelow{room: -1, writeErr: syscall.ECONNRESET, enterAt: 1}
	below := newBelow(t, b)
	if why, _, _ := cli.Flush(below); why != FlushEntered {
		t.Fatalf("flush: %v, want FlushEntered", why)
	}
	b.writeErr = syscall.EPIPE
	if why, n, e := cli.Flush(below); why != FlushStuck || n != -1 || e != syscall.ECONNRESET || b.writes != 1 {
		t.Fatalf("next flush: %v %d %v after %d writes, want the kept reset", why, n, e, b.writes)
	}
}

// A panic in a Go channel below is that read's failure, not a crash
// through C.
func TestBelowPanicIsAFailure(t *testing.T) {
	cli, _ := openPair(t)
	b := &scriptedBelow{panics: true}
	below := newBelow(t, b)
	if n, r := cli.Pull(make([]byte, 10), below, false); n != 0 || r.Why != PullBelow {
		t.Fatalf("pull: %d %+v, want PullBelow", n, r)
	}
	if n, r := cli.Fill(below); n != -1 || r.Err != syscall.EIO {
		t.Fatalf("fill: %d %+v, want the kept -1 EIO", n, r)
	}
}
