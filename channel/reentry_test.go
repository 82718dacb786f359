package channel

import (
	"syscall"
	"testing"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// A script run by a read below (a transform's read method) closes the
// layer: the read returns into a layer that is still allocated, reports
// the close, and the connection is freed only once the read has left.
func TestCloseDuringReadBelow(t *testing.T) {
	f := openClient(t)
	f.peerWrite("hello")
	releasedInside := true
	f.lower.onRead = func() {
		if e := f.close(); e != 0 {
			t.Errorf("close inside the read: %v", e)
		}
		releasedInside = f.self.released || f.layer.Conn().Version() == ""
	}
	if _, n, e := f.input(100); n != -1 || e != syscall.ECONNABORTED {
		t.Fatalf("read that closed its layer: %d %v, want -1 ECONNABORTED", n, e)
	}
	if releasedInside {
		t.Fatal("the connection was freed while the read below was under way")
	}
	if !f.self.released || f.layer.Conn().Version() != "" {
		t.Fatal("the connection was not freed once the read left")
	}
	if len(f.lower.out) != 0 {
		t.Fatalf("%d bytes written below by a close from inside a read below", len(f.lower.out))
	}
}

// The same from a write below.
func TestCloseDuringWriteBelow(t *testing.T) {
	f := openClient(t)
	f.lower.onWrite = func() { f.close() }
	if n, e := f.output("hello"); n != -1 || e != syscall.ECONNABORTED {
		t.Fatalf("write that closed its layer: %d %v, want -1 ECONNABORTED", n, e)
	}
	if !f.self.released {
		t.Fatal("the connection was not freed once the write left")
	}
}

// A close from a script that an event's read below runs (the handshake
// taking its next step): the handler passes no event up a stack that is
// gone.
func TestCloseDuringHandlerPassesNothingUp(t *testing.T) {
	f := newFixture(t, false)
	f.watch(tcl.Readable)
	f.handler(tcl.Writable) // the client's hello goes out
	f.pumpPeer()
	f.lower.onRead = func() { f.close() }
	if m := f.handler(tcl.Readable); m != 0 {
		t.Fatalf("handler of a layer closed under it returned %d, want 0", m)
	}
	if !f.self.released {
		t.Fatal("not freed after the handler left")
	}
}

// A read of the layer from a script that its own read below runs is
// refused (the outer read is filling the connection's input). Tcl drops
// the outer read's buffer for the inner read, so the outer read gets
// nothing either, and the data waits inside for the next read, which the
// timer announces.
func TestNestedReadIsRefused(t *testing.T) {
	f := openClient(t)
	f.watch(tcl.Readable)
	f.peerWrite("hello")
	var n int
	var e syscall.Errno
	f.lower.onRead = func() { _, n, e = f.input(100) }
	if _, m, e := f.input(100); m != -1 || e != syscall.EAGAIN {
		t.Fatalf("outer read: %d %v, want -1 EAGAIN", m, e)
	}
	if n != -1 || e != syscall.EAGAIN {
		t.Fatalf("nested read: %d %v, want -1 EAGAIN", n, e)
	}
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers for the data inside, want 1", len(fake.timers))
	}
	if s, _, _ := f.input(100); s != "hello" {
		t.Fatalf("next read: %q", s)
	}
	// A nested write waits too.
	f.peerWrite("again")
	f.lower.onRead = func() { n, e = f.output("x") }
	f.input(100)
	if n != -1 || e != syscall.EAGAIN {
		t.Fatalf("nested write: %d %v, want -1 EAGAIN", n, e)
	}
}

// The same when the record the nested read interrupts came in two reads
// below: OpenSSL holds the first part, the outer read takes in the rest,
// and the timer still announces the record inside (a readable event the
// channel below will not raise again).
func TestNestedReadAfterRecordCutShort(t *testing.T) {
	f := openClient(t)
	f.watch(tcl.Readable)
	f.peerWrite("hello")
	rec := f.lower.in
	f.lower.in = rec[:len(rec)-3]
	if _, m, e := f.input(100); m != -1 || e != syscall.EAGAIN {
		t.Fatalf("read of a record cut short: %d %v, want -1 EAGAIN", m, e)
	}
	fake.runTimers()
	f.lower.in = rec[len(rec)-3:]
	f.lower.onRead = func() { f.input(100) }
	if _, m, e := f.input(100); m != -1 || e != syscall.EAGAIN {
		t.Fatalf("outer read: %d %v, want -1 EAGAIN", m, e)
	}
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers for the record inside, want 1", len(fake.timers))
	}
	notified := len(f.self.notifies)
	fake.runTimers()
	if len(f.self.notifies) != notified+1 || f.self.notifies[notified] != tcl.Readable {
		t.Fatalf("the timer notified %v, want readable", f.self.notifies[notified:])
	}
	if s, _, _ := f.input(100); s != "hello" {
		t.Fatalf("next read: %q", s)
	}
}

// A nested read inside the read below that a read's handshake makes:
// the outer read gets nothing, as above, also when the handshake
// completes with data (a TLS 1.2 server's last flight and its first
// record, read below at once), which waits inside for the next read.
func TestNestedReadInReadsHandshake(t *testing.T) {
	f := newFixture(t, false, func(f *fixture) {
		f.peer.Free()
		f.peer = newConnOf(t, true, ossl.TLS1_2)
	})
	f.watch(tcl.Readable)
	f.handler(tcl.Writable) // the client's hello
	f.pumpPeer()
	f.handler(tcl.Readable) // the client's second flight
	f.peer.Feed(f.lower.out)
	f.lower.out = nil
	if err := f.peer.Handshake(); err != nil || !f.peer.HandshakeDone() {
		t.Fatalf("server handshake: %v", err)
	}
	f.peerWrite("hello")
	var n int
	var e syscall.Errno
	f.lower.onRead = func() { _, n, e = f.input(100) }
	if s, m, e := f.input(100); m != -1 || e != syscall.EAGAIN {
		t.Fatalf("outer read: %q %d %v, want -1 EAGAIN", s, m, e)
	}
	if n != -1 || e != syscall.EAGAIN {
		t.Fatalf("nested read: %d %v, want -1 EAGAIN", n, e)
	}
	if f.layer.phase != open {
		t.Fatalf("handshake not complete: phase %d, %v", f.layer.phase, f.layer.err)
	}
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers for the data inside, want 1", len(fake.timers))
	}
	if s, _, _ := f.input(100); s != "hello" {
		t.Fatalf("next read: %q", s)
	}
}

// An event loop run from inside a read below (update in a transform's
// read method) gets no event from the layer: events are held, the layer
// asks for nothing below and its C path is off; when the read is over
// the interest comes back and the timer reports what was held.
func TestEventLoopInsideReadBelow(t *testing.T) {
	f := openClient(t)
	f.watch(tcl.Readable)
	if !f.self.fast {
		t.Fatal("not fast before the read")
	}
	f.peerWrite("hello")
	var got, watch int
	var fast bool
	f.lower.onRead = func() {
		got = f.handler(tcl.Readable)
		watch, fast = f.lastWatch(), f.self.fast
		if fake.runTimers() != 0 {
			t.Error("a timer ran while the read was under way")
		}
	}
	if s, _, _ := f.input(100); s != "hello" {
		t.Fatalf("read %q", s)
	}
	if got != 0 || watch != 0 || fast {
		t.Fatalf("inside the read: event %d, watch %d, fast %v; want 0 0 false", got, watch, fast)
	}
	if f.lastWatch() != tcl.Readable {
		t.Fatalf("after the read the layer watches %d, want readable", f.lastWatch())
	}
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers after the read, want 1 for the held event", len(fake.timers))
	}
}

// Calls under way are counted in one place for the driver's own entries
// (a command, a callback) and the binding's procedures alike.
func TestDepthCountsEveryEntry(t *testing.T) {
	f := openClient(t)
	if d := f.layer.lay.Depth(); d != 0 {
		t.Fatalf("depth %d at rest", d)
	}
	var inside []int
	f.lower.onRead = func() {
		inside = append(inside, f.layer.lay.Depth())
		f.layer.EnterCallback()
		inside = append(inside, f.layer.lay.Depth())
		f.layer.LeaveCallback()
	}
	f.input(100)
	if len(inside) != 2 || inside[0] != 1 || inside[1] != 2 {
		t.Fatalf("depths inside a read below and a callback there: %v, want [1 2]", inside)
	}
	if d := f.layer.lay.Depth(); d != 0 {
		t.Fatalf("depth %d after the calls", d)
	}
	// A callback closing the layer from inside tls::handshake's call:
	// freed when the handshake's call leaves.
	f.layer.EnterCallback()
	f.close()
	if f.self.released {
		t.Fatal("released while a callback runs")
	}
	f.layer.LeaveCallback()
	if !f.self.released {
		t.Fatal("not released when the callback left")
	}
}
