package channel

import (
	"strings"
	"syscall"
	"testing"

	"github.com/tclgo/tls/internal/tcl"
)

// The driver allows the binding's C data path only in the steady state:
// open, nothing pending, no callback, in its thread; and it passes the
// upper interest along with the flag.
func TestFastPathOnlyInSteadyState(t *testing.T) {
	f := newFixture(t, true)
	if !f.self.fastIO {
		t.Fatal("the layer was given no data path")
	}
	if f.self.fast {
		t.Fatal("fast before the handshake")
	}
	f.handshake()
	f.watch(tcl.Readable)
	if !f.self.fast || f.self.fastUpper != tcl.Readable {
		t.Fatalf("after the handshake: fast %v, upper %d", f.self.fast, f.self.fastUpper)
	}

	f.layer.EnterCallback()
	if f.self.fast {
		t.Fatal("fast while a callback runs")
	}
	f.layer.LeaveCallback()
	if !f.self.fast {
		t.Fatal("not fast again after the callback")
	}

	f.layer.ThreadAction(tcl.ChannelThreadRemove)
	if f.self.fast {
		t.Fatal("fast out of its thread")
	}
	f.layer.ThreadAction(tcl.ChannelThreadInsert)
	f.watch(tcl.Readable)
	if !f.self.fast {
		t.Fatal("not fast after joining a thread")
	}
}

// Output the channel below does not take keeps the layer out of the C
// path until it is written.
func TestFastPathOffWhileOutputWaits(t *testing.T) {
	f := newFixture(t, true)
	f.handshake()
	f.watch(0)
	f.lower.room = 10
	if n, e := f.output("hello, world"); n != 12 || e != 0 {
		t.Fatalf("write: %d %v", n, e)
	}
	if f.self.fast {
		t.Fatal("fast with ciphertext waiting")
	}
	f.lower.room = -1
	f.handler(tcl.Writable)
	if !f.self.fast {
		t.Fatal("not fast once the ciphertext went")
	}
}

// The end of the stream ends the steady state for good.
func TestFastPathOffAtEnd(t *testing.T) {
	f := newFixture(t, true)
	f.handshake()
	f.peer.Shutdown()
	f.fromPeer()
	if _, n, e := f.input(100); n != 0 || e != 0 {
		t.Fatalf("read at close_notify: %d %v", n, e)
	}
	if f.self.fast {
		t.Fatal("fast after the end of the stream")
	}
}

// keptWrite sets up a write of the records below that takes nothing (-1
// and e) while a script the channel below runs enters the layer: the
// connection's write loop stops there and keeps the result for the next
// flush, as it does whenever the binding's C path leaves a write to the
// driver.
func keptWrite(t *testing.T, e syscall.Errno) *fixture {
	f := newFixture(t, true)
	f.handshake()
	f.watch(0)
	f.lower.writes = 0
	f.lower.onWrite = func() {
		f.watch(0) // the script enters the layer
		if e == syscall.EAGAIN {
			f.lower.room = 0
		} else {
			f.lower.writeFail = e
		}
	}
	return f
}

// A write below that failed is the failure the driver reports: the errno
// of that write (a reset), not that of a second attempt (EPIPE once a
// socket has been reset); the records are not written again.
func TestKeptWriteFailureIsReported(t *testing.T) {
	f := keptWrite(t, syscall.ECONNRESET)
	if m, e := f.output("hello, world"); m != -1 || e != syscall.ECONNRESET {
		t.Fatalf("write: %d %v, want -1 ECONNRESET", m, e)
	}
	if f.lower.writes != 1 {
		t.Fatalf("%d writes below, want 1: a failed write is not retried", f.lower.writes)
	}
	if last := f.self.errors[len(f.self.errors)-1]; !strings.HasSuffix(last, "connection reset by peer") {
		t.Fatalf("error %q", last)
	}
	f.lower.writeFail = syscall.EPIPE
	if m, e := f.output("again"); m != -1 || e != syscall.ECONNRESET {
		t.Fatalf("a later write: %d %v, want the same failure", m, e)
	}
}

// A write below that would have blocked is judged as such: the plaintext
// counts as written, the records wait inside (not written again at once),
// and the layer asks below for writability.
func TestKeptWriteWouldBlock(t *testing.T) {
	f := keptWrite(t, syscall.EAGAIN)
	if m, e := f.output("hello, world"); m != 12 || e != 0 {
		t.Fatalf("write that would block: %d %v, want 12 0", m, e)
	}
	if f.lower.writes != 1 || f.layer.conn.Outgoing() == 0 {
		t.Fatalf("%d writes below, %d bytes waiting: want 1 write, records kept",
			f.lower.writes, f.layer.conn.Outgoing())
	}
	if w := f.lower.watches; len(w) == 0 || w[len(w)-1]&tcl.Writable == 0 {
		t.Fatalf("watch below %v, want writability", w)
	}
}

// The plan says which events the C path passes up unchanged and which its
// timer reports: input only while the upper layer reads it (otherwise the
// driver takes it in, and nothing is reported), and nothing at all while
// the path is off.
func TestPlanCarriesEventRules(t *testing.T) {
	f := newFixture(t, true)
	f.handshake()
	f.watch(tcl.Readable)
	if !f.self.fast {
		t.Fatal("the C path is off in the steady state")
	}
	if f.self.planPass&tcl.Readable == 0 || f.self.planPass&tcl.Writable == 0 ||
		f.self.planReport != tcl.Readable {
		t.Fatalf("reading: pass %#x report %#x", f.self.planPass, f.self.planReport)
	}
	f.watch(tcl.Writable)
	if f.self.planPass&tcl.Readable != 0 || f.self.planPass&tcl.Writable == 0 ||
		f.self.planReport != 0 {
		t.Fatalf("writing only: pass %#x report %#x", f.self.planPass, f.self.planReport)
	}
	f.layer.setFast(false)
	if f.self.planPass != 0 || f.self.planReport != 0 {
		t.Fatalf("off: pass %#x report %#x", f.self.planPass, f.self.planReport)
	}
}

// The plan the driver writes carries when the binding gives back Tcl's
// empty input buffer, which follows the blocking mode (the bindings keep
// no policy of their own): after any input that ran out of data on a
// non-blocking channel, only after one that found nothing on a blocking
// one.
func TestPlanCarriesReleasePolicy(t *testing.T) {
	f := newFixture(t, true)
	f.handshake()
	f.watch(tcl.Readable)
	if f.self.planRelease != tcl.StarvedEmpty|tcl.StarvedShort {
		t.Fatalf("non-blocking: release %#x", f.self.planRelease)
	}
	f.proc(func() { tcl.ChanBlockMode(f.handle, tcl.ModeBlocking) })
	if f.self.planRelease != tcl.StarvedEmpty {
		t.Fatalf("blocking: release %#x", f.self.planRelease)
	}
}

// Reads drain the channel below before a short count on a non-blocking
// channel, unless the channel below is a channel of an OS handle, whose
// input the notifier goes on reporting; a blocking channel never drains.
func TestPlanDrainsWithoutOSHandle(t *testing.T) {
	r, _ := pipe(t)
	for _, handle := range []bool{false, true} {
		f := newFixture(t, true, func(f *fixture) {
			if handle {
				f.lower.osHandle = r.Fd()
			}
		})
		f.handshake()
		f.watch(tcl.Readable)
		if f.self.planDrain == handle {
			t.Fatalf("OS handle %v: drain %v", handle, f.self.planDrain)
		}
		f.proc(func() { tcl.ChanBlockMode(f.handle, tcl.ModeBlocking) })
		if f.self.planDrain {
			t.Fatalf("OS handle %v: a blocking channel drains", handle)
		}
		f.close()
	}
}
