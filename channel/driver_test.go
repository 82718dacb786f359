package channel

import (
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tclgo/tls/internal/tcl"
)

// The event rules of the layer, one by one, through the trampolines Tcl
// calls, over an in-memory channel (fake_test.go).

func TestClientHandshakeStartsAtFirstWritableEvent(t *testing.T) {
	f := newFixture(t, false)
	f.watch(0)
	if got := f.lastWatch(); got != tcl.Writable {
		t.Fatalf("before its first step, a client's handshake watches %d below, want writable", got)
	}
	if len(fake.timers) != 0 || len(f.lower.out) != 0 {
		t.Fatalf("%d timers, %d bytes out before the channel below was writable", len(fake.timers), len(f.lower.out))
	}
	if got := f.handler(tcl.Writable); got != 0 {
		t.Fatalf("the event that starts the handshake goes up as %d", got)
	}
	if len(f.lower.out) == 0 {
		t.Fatal("no hello on the first writable event")
	}
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("during the handshake the layer watches %d below, want readable", got)
	}
	f.handshake()
	f.watch(0)
	if got := f.lastWatch(); got != 0 {
		t.Fatalf("after the handshake, no interest above gives %d below, want 0", got)
	}
}

func TestServerHandshakeWatchesInputBelow(t *testing.T) {
	f := newFixture(t, true)
	f.watch(0)
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("a server's handshake watches %d below, want readable", got)
	}
	if len(fake.timers) != 0 {
		t.Fatal("a timer was armed with nothing inside the layer")
	}
}

// An accepting server starts the handshake on a hello that arrived with
// the connection, without waiting for the event loop: Start answers it
// at once and leaves the layer waiting for the client's next flight.
func TestStartAnswersHelloThatArrived(t *testing.T) {
	f := newFixture(t, true)
	f.peer.Handshake()
	f.fromPeer()
	f.watch(tcl.Readable)
	f.layer.Start()
	if len(f.lower.out) == 0 {
		t.Fatal("the server did not answer the hello")
	}
	if len(f.self.notifies) != 0 || len(fake.timers) != 0 {
		t.Fatalf("an unfinished handshake went up: notifies %v, %d timers", f.self.notifies, len(fake.timers))
	}
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("then the layer watches %d, want readable", got)
	}
	f.pumpPeer()
	if got := f.handler(tcl.Readable); got&tcl.Readable == 0 || f.layer.phase != open {
		t.Fatalf("after the client's finished: events %d, phase %d", got, f.layer.phase)
	}
	f.layer.Start() // a second call, after the handshake: nothing
	if f.layer.phase != open || f.layer.err != nil {
		t.Fatalf("Start after the handshake: phase %d, %v", f.layer.phase, f.layer.err)
	}
}

// Without a hello, Start reads nothing and the server waits for input as
// before.
func TestStartWithoutHelloWaitsForInput(t *testing.T) {
	f := newFixture(t, true)
	f.layer.Start()
	if len(f.lower.out) != 0 || f.layer.err != nil || len(fake.timers) != 0 {
		t.Fatalf("out %d bytes, err %v, %d timers", len(f.lower.out), f.layer.err, len(fake.timers))
	}
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("the layer watches %d, want readable", got)
	}
}

// A hello that fails the handshake reaches the upper layer from the event
// loop (the timer), as an event would, not from inside Start.
func TestStartFailureGoesUpFromTheEventLoop(t *testing.T) {
	f := newFixture(t, true)
	f.lower.in = []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	f.watch(tcl.Readable)
	f.layer.Start()
	if f.layer.err == nil || len(f.failed) != 1 {
		t.Fatalf("a plain-text request passed: err %v, failures %v", f.layer.err, f.failed)
	}
	if len(f.self.notifies) != 0 {
		t.Fatalf("Start notified %v itself", f.self.notifies)
	}
	if n := fake.runTimers(); n != 1 || len(f.self.notifies) != 1 || f.self.notifies[0]&tcl.Readable == 0 {
		t.Fatalf("%d timers ran, notifies %v; want the failure as readable", n, f.self.notifies)
	}
	if _, n, e := f.input(100); n != -1 || e == 0 {
		t.Fatalf("Input = %d %v, want the failure", n, e)
	}
}

// A blocking channel is read only when its OS handle has input: Start
// must never block the accepting server.
func TestStartOnBlockingChannelReadsOnlyWaitingInput(t *testing.T) {
	r, w := pipe(t)
	f := newFixture(t, true)
	f.layer.BlockMode(tcl.ModeBlocking)
	f.peer.Handshake()
	f.fromPeer()
	f.lower.osHandle = r.Fd()
	f.layer.Start()
	if len(f.lower.out) != 0 || f.layer.phase != starting {
		t.Fatalf("Start read with no input at the OS handle: out %d bytes, phase %d", len(f.lower.out), f.layer.phase)
	}
	f.lower.osHandle = 0
	f.layer.Start()
	if len(f.lower.out) != 0 {
		t.Fatal("Start read a channel without an OS handle")
	}
	f.lower.osHandle = r.Fd()
	w.Write([]byte{1})
	f.layer.Start()
	if len(f.lower.out) == 0 {
		t.Fatal("the server did not answer the hello once input waited")
	}
}

// Bytes Tcl read ahead before the layer was stacked (a STARTTLS server
// whose client sent its hello at once) are input the channel below will
// not announce: the timer reports it, and the handshake takes it.
func TestReadAheadHelloIsTakenByTimer(t *testing.T) {
	f := newFixture(t, true, func(f *fixture) {
		f.peer.Handshake()
		f.fromPeer()
		f.lower.buffered = len(f.lower.in)
	})
	f.watch(0)
	if n := fake.runTimers(); n != 1 {
		t.Fatalf("%d timers ran, want 1", n)
	}
	if len(f.lower.out) == 0 {
		t.Fatal("the server did not answer the hello read ahead")
	}
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("then the layer watches %d, want readable", got)
	}
	f.pumpPeer()
	f.handler(tcl.Readable)
	if f.layer.phase != open {
		t.Fatalf("phase %d after the client's finished", f.layer.phase)
	}
}

// The timer runs only while something waits inside the layer, and the
// notify procedure cancels it.
func TestTimerOnlyForInputInside(t *testing.T) {
	f := openClient(t)
	f.watch(tcl.Readable)
	if len(fake.timers) != 0 {
		t.Fatal("a timer with nothing inside the layer")
	}
	f.peerWrite("one")
	f.peerWrite("two")
	f.handler(tcl.Readable)
	if s, _, _ := f.input(3); s != "one" {
		t.Fatalf("read %q", s)
	}
	f.watch(tcl.Readable)
	f.watch(tcl.Readable)
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers for a record inside the layer, want 1", len(fake.timers))
	}
	f.handler(tcl.Writable)
	if len(fake.timers) != 1 {
		t.Fatalf("%d timers after an event from below, with a record inside, want 1", len(fake.timers))
	}
	f.watch(0)
	f.watch(0)
	if len(fake.timers) != 0 {
		t.Fatal("a timer while the upper layer does not read")
	}
}

func TestWatchPassesInterestDown(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	for _, mask := range []int{tcl.Readable, tcl.Writable, tcl.Readable | tcl.Writable, 0} {
		f.watch(mask)
		if got := f.lastWatch(); got != mask {
			t.Errorf("Watch(%d) passed %d down", mask, got)
		}
	}
}

func TestWaitingOutputWatchesWritable(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.lower.room = 100
	if n, e := f.output(strings.Repeat("x", 5000)); n != 5000 || e != 0 {
		t.Fatalf("Output = %d, %v: want all of it taken", n, e)
	}
	f.watch(tcl.Readable)
	if got := f.lastWatch(); got != tcl.Readable|tcl.Writable {
		t.Fatalf("with ciphertext waiting the layer watches %d, want readable|writable", got)
	}
	// Writable events are the layer's own while it has output waiting.
	f.lower.room = -1
	if got := f.handler(tcl.Writable); got&tcl.Writable == 0 {
		t.Fatalf("once flushed, a writable event goes up: got %d", got)
	}
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("once flushed the layer watches %d, want readable", got)
	}
	f.peer.Feed(f.lower.out)
	buf := make([]byte, 8192)
	n, _ := f.peer.Read(buf)
	total := n
	for n > 0 {
		n, _ = f.peer.Read(buf)
		total += n
	}
	if total != 5000 {
		t.Fatalf("the peer got %d bytes, want 5000", total)
	}
}

func TestBufferedPlaintextIsReadableUntilDrained(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.peerWrite(strings.Repeat("a", 1000))
	f.peerWrite(strings.Repeat("b", 1000))
	f.peerWrite(strings.Repeat("c", 1000))
	f.watch(tcl.Readable)
	if got := f.handler(tcl.Readable); got != tcl.Readable {
		t.Fatalf("a readable event from below goes up as %d", got)
	}
	// Tcl reads with a buffer smaller than what arrived: the rest waits
	// inside the layer, where no event from below will announce it.
	var got string
	for i := 0; i < 3; i++ {
		s, n, _ := f.input(1000)
		if n != 1000 {
			t.Fatalf("read %d: %d bytes", i, n)
		}
		got += s
		f.watch(tcl.Readable)
		before := len(f.self.notifies)
		fake.runTimers()
		notified := len(f.self.notifies) > before
		if want := i < 2; notified != want {
			t.Fatalf("after read %d, readable notification %v, want %v", i, notified, want)
		}
	}
	if got != strings.Repeat("a", 1000)+strings.Repeat("b", 1000)+strings.Repeat("c", 1000) {
		t.Fatal("data out of order")
	}
	if _, n, e := f.input(1000); n != -1 || e != syscall.EAGAIN {
		t.Fatalf("drained: Input = %d, %v, want -1 EAGAIN", n, e)
	}
}

func TestNoEventsDuringCallback(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.watch(tcl.Readable)
	f.peerWrite("hello")
	f.peerWrite("world")
	f.handler(tcl.Readable)
	if s, _, _ := f.input(5); s != "hello" {
		t.Fatalf("read %q", s)
	}
	// "world" waits inside the layer now.
	f.layer.EnterCallback()
	if got := f.lastWatch(); got != 0 {
		t.Fatalf("during a callback the layer watches %d, want 0", got)
	}
	if got := f.handler(tcl.Readable); got != 0 {
		t.Fatalf("during a callback an event goes up as %d, want 0", got)
	}
	if s, n, e := f.input(100); n != -1 || e != syscall.EAGAIN || s != "" {
		t.Fatalf("during a callback Input = %q %d %v, want EAGAIN", s, n, e)
	}
	if n, e := f.output("x"); n != -1 || e != syscall.EAGAIN {
		t.Fatalf("during a callback Output = %d %v, want EAGAIN", n, e)
	}
	if _, err := f.layer.Handshake(); err != nil {
		t.Fatalf("tls::handshake after the handshake: %v", err)
	}
	f.layer.LeaveCallback()
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("after the callback the layer watches %d, want readable", got)
	}
	before := len(f.self.notifies)
	fake.runTimers()
	if len(f.self.notifies) == before {
		t.Fatal("the event held back during the callback was not delivered")
	}
	if got := f.readAll(100); got != "world" {
		t.Fatalf("read %q after the callback", got)
	}
}

func TestCloseNotifyIsStickyEOF(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.peerWrite("last")
	f.peer.Shutdown()
	f.fromPeer()
	if got := f.readAll(100); got != "last" {
		t.Fatalf("read %q before the end", got)
	}
	for i := 0; i < 2; i++ {
		if _, n, e := f.input(100); n != 0 || e != 0 {
			t.Fatalf("read %d after close_notify: %d %v, want end of file", i, n, e)
		}
	}
}

func TestFINAtRecordBoundaryIsEOF(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.peerWrite("data")
	f.lower.eof = true
	if got := f.readAll(100); got != "data" {
		t.Fatalf("read %q", got)
	}
	if _, n, e := f.input(100); n != 0 || e != 0 {
		t.Fatalf("FIN at a boundary: %d %v, want end of file", n, e)
	}
}

func TestFINInsideRecordIsStickyError(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.peerWrite("whole")
	if _, err := f.peer.Write([]byte("cut")); err != nil {
		t.Fatal(err)
	}
	rec := f.peer.OutgoingData()
	f.lower.in = append(f.lower.in, rec[:len(rec)/2]...)
	f.peer.Consume(len(rec))
	f.lower.eof = true
	if got := f.readAll(100); got != "whole" {
		t.Fatalf("read %q before the cut", got)
	}
	for i := 0; i < 2; i++ {
		_, n, e := f.input(100)
		if n != -1 || e == 0 {
			t.Fatalf("read %d after the cut: %d %v, want an error", i, n, e)
		}
	}
	last := f.self.errors[len(f.self.errors)-1]
	if !strings.Contains(last, "connection closed in the middle of a TLS record") {
		t.Fatalf("error %q", last)
	}
}

func TestResetIsError(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.peerWrite("data")
	f.lower.readErr = syscall.ECONNRESET
	if got := f.readAll(100); got != "data" {
		t.Fatalf("read %q before the reset", got)
	}
	if _, n, e := f.input(100); n != -1 || e != syscall.ECONNRESET {
		t.Fatalf("after a reset: %d %v, want ECONNRESET", n, e)
	}
	if last := f.self.errors[len(f.self.errors)-1]; !strings.HasSuffix(last, "connection reset by peer") {
		t.Fatalf("error %q", last)
	}
}

func TestGarbageIsStickyError(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.lower.in = append(f.lower.in, []byte("\x17\x03\x03\x00\x10garbage-garbage!")...)
	_, n, e1 := f.input(100)
	_, m, e2 := f.input(100)
	if n != -1 || m != -1 || e1 == 0 || e1 != e2 {
		t.Fatalf("garbage: %d %v then %d %v, want the same error twice", n, e1, m, e2)
	}
	if f.layer.Err() == nil {
		t.Fatal("no sticky error")
	}
}

// A record error is the connection's first error, kept once, in the
// ossl.Conn: a write after it reports the same error as the read, with
// the same errno and message, and the layer keeps no copy.
func TestReadFailureIsTheWriteErrorToo(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.lower.in = append(f.lower.in, []byte("\x17\x03\x03\x00\x10garbage-garbage!")...)
	_, n, e1 := f.input(100)
	if n != -1 || e1 == 0 {
		t.Fatalf("garbage: %d %v, want an error", n, e1)
	}
	readMsg := f.self.errors[len(f.self.errors)-1]
	m, e2 := f.output("hello")
	if m != -1 || e2 != e1 {
		t.Fatalf("write after a failed read: %d %v, want -1 %v", m, e2, e1)
	}
	writeMsg := f.self.errors[len(f.self.errors)-1]
	want := strings.Replace(readMsg, "error reading", "error writing", 1)
	if writeMsg != want || !strings.HasPrefix(readMsg, "error reading") {
		t.Fatalf("write reports %q, read reported %q", writeMsg, readMsg)
	}
	if f.layer.err != readFailed || f.layer.Err() == nil || f.layer.Err() != f.layer.conn.ReadErr() {
		t.Fatalf("the error lives in the layer (%v), not the connection (%v)", f.layer.err, f.layer.conn.ReadErr())
	}
}

// A failure of the channel below while writing fails the connection in
// both directions: a read after it reports the same errno.
func TestWriteFailureBelowIsTheReadErrorToo(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.lower.writeFail = syscall.EPIPE
	if m, e := f.output("hello"); m != -1 || e != syscall.EPIPE {
		t.Fatalf("write: %d %v, want EPIPE", m, e)
	}
	f.peerWrite("data")
	if _, n, e := f.input(100); n != -1 || e != syscall.EPIPE {
		t.Fatalf("read after a failed write: %d %v, want EPIPE", n, e)
	}
	if f.layer.conn.ReadErr() != nil || f.layer.conn.WriteErr() != nil {
		t.Fatal("an error below is the connection's")
	}
}

func TestServerPeerGoneInHandshakeIsEOF(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		err  syscall.Errno
	}{
		{"no byte", nil, 0},
		{"half a hello", []byte("\x16\x03\x01\x02\x00\x01\x00"), 0},
		{"reset", nil, syscall.ECONNRESET},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, true)
			f.lower.in = tc.in
			f.lower.eof = true
			f.lower.readErr = tc.err
			f.watch(tcl.Readable)
			if got := f.handler(tcl.Readable); got&tcl.Readable == 0 {
				t.Fatalf("the end of the handshake goes up as %d", got)
			}
			if _, n, e := f.input(100); n != 0 || e != 0 {
				t.Fatalf("Input = %d %v, want end of file", n, e)
			}
			if _, err := f.layer.Handshake(); err == nil {
				t.Fatal("tls::handshake succeeded")
			}
			if len(f.failed) != 0 || f.layer.Err() != nil {
				t.Fatalf("a peer that left is a failure: %v %v", f.failed, f.layer.Err())
			}
		})
	}
}

func TestClientPeerGoneInHandshakeIsError(t *testing.T) {
	f := newFixture(t, false)
	f.handler(tcl.Readable) // sends the ClientHello
	f.lower.eof = true
	f.handler(tcl.Readable)
	_, n, _ := f.input(100)
	if n != -1 || len(f.failed) != 1 || !strings.Contains(f.failed[0], "connection closed by peer") {
		t.Fatalf("Input = %d, failures %v", n, f.failed)
	}
}

func TestThreadMoveDropsOldThreadInterest(t *testing.T) {
	f := newFixture(t, true)
	f.watch(tcl.Readable)
	f.layer.ThreadAction(tcl.ChannelThreadRemove)
	if got := f.lastWatch(); got != 0 {
		t.Fatalf("removed from its thread, the layer watches %d below", got)
	}
	if len(fake.timers) != 0 {
		t.Fatal("a timer of the old thread is left")
	}
	f.layer.ThreadAction(tcl.ChannelThreadInsert)
	if got := f.lastWatch(); got != tcl.Readable {
		t.Fatalf("inserted during its handshake, the layer watches %d, want readable", got)
	}
	if len(fake.timers) != 0 {
		t.Fatal("a timer with nothing inside the layer")
	}
	// The handshake completes in the new thread.
	f.peer.Handshake()
	f.handshake()
}

func TestThreadMoveFailsHandshakeThatNeedsAScript(t *testing.T) {
	f := newFixture(t, true)
	f.layer.hooks.Decides = true
	f.layer.ThreadAction(tcl.ChannelThreadRemove)
	f.layer.ThreadAction(tcl.ChannelThreadInsert)
	_, err := f.layer.Handshake()
	if err == nil || !strings.Contains(err.Error(), "-validatecommand cannot run") {
		t.Fatalf("handshake after a move: %v", err)
	}
}

func TestPanicFailsChannelForGood(t *testing.T) {
	f := newFixture(t, true)
	f.layer.hooks.Reason = func() string { panic("boom") }
	f.lower.in = []byte("GET / HTTP/1.0\r\n\r\n")
	f.handler(tcl.Readable)
	for i := 0; i < 2; i++ {
		if _, n, e := f.input(100); n != -1 || e != syscall.EIO {
			t.Fatalf("read %d after a panic: %d %v, want EIO", i, n, e)
		}
	}
	if n, _ := f.output("x"); n != -1 {
		t.Fatal("a write after a panic succeeded")
	}
	if last := f.self.errors[len(f.self.errors)-1]; !strings.Contains(last, "internal error: boom") {
		t.Fatalf("error %q", last)
	}
}

func TestTimerPanicFailsChannel(t *testing.T) {
	f := newFixture(t, true, func(f *fixture) {
		f.lower.in = []byte("GET / HTTP/1.0\r\n\r\n")
		f.lower.buffered = len(f.lower.in)
	})
	f.layer.hooks.Reason = func() string { panic("boom") }
	f.watch(0) // arms the timer that reports the bytes read ahead
	fake.runTimers()
	if _, n, e := f.input(100); n != -1 || e != syscall.EIO || f.layer.err == nil {
		t.Fatalf("read after a panic in the timer: %d %v", n, e)
	}
}

func TestStackAsksForFullRecordBuffer(t *testing.T) {
	f := newFixture(t, false)
	if f.self.bufferSize != bufferSize {
		t.Fatalf("buffer size %d, want %d", f.self.bufferSize, bufferSize)
	}
}

func TestCloseSendsCloseNotifyThroughChannelBelow(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	if n, e := f.output("bye"); n != 3 || e != 0 {
		t.Fatalf("Output = %d %v", n, e)
	}
	if e := f.close(); e != 0 {
		t.Fatalf("Close = %v", e)
	}
	f.peer.Feed(f.lower.out)
	buf := make([]byte, 100)
	n, _ := f.peer.Read(buf)
	if string(buf[:n]) != "bye" {
		t.Fatalf("the peer read %q", buf[:n])
	}
	if _, err := f.peer.Read(buf); err != io.EOF {
		t.Fatalf("after the data the peer got %v, want close_notify (EOF)", err)
	}
}

func TestCloseGivesUpOnPeerThatDoesNotRead(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.lower.room = 1000
	if n, _ := f.output(strings.Repeat("x", 100000)); n != 100000 {
		t.Fatalf("Output = %d", n)
	}
	start := time.Now()
	f.close()
	if d := time.Since(start); d < closeStall || d > 10*closeStall {
		t.Fatalf("close took %v with a peer that does not read", d)
	}
}

func TestUnchangedInterestIsNotPassedDownAgain(t *testing.T) {
	f := newFixture(t, false)
	f.handshake()
	f.watch(tcl.Readable)
	before := len(f.lower.watches)
	for i := 0; i < 10; i++ {
		f.watch(tcl.Readable) // Tcl calls the watch procedure after every read
	}
	if n := len(f.lower.watches) - before; n != 0 {
		t.Fatalf("the same interest was passed down %d more times", n)
	}
}

// A TLS 1.3 server sends session tickets after the handshake, which a
// client that only writes never reads; so is data a peer sends ahead.
// Left below, such input keeps a socket readable, and Tcl's sockets watch
// readability with writability: the layer takes it in instead, and then
// watches only what it needs.
func TestUnreadInputIsTakenInWhileWriting(t *testing.T) {
	f := openClient(t)
	f.peerWrite("ahead ")
	f.watch(tcl.Writable)
	if got := f.lastWatch(); got != tcl.Writable|tcl.Readable {
		t.Fatalf("writing with input waiting below, the layer watches %d, want writable|readable", got)
	}
	if got := f.handler(tcl.Readable); got&tcl.Readable != 0 {
		t.Fatalf("input nobody reads goes up as %d", got)
	}
	if len(f.lower.in) != 0 {
		t.Fatalf("%d bytes left below", len(f.lower.in))
	}
	if got := f.lastWatch(); got != tcl.Writable {
		t.Fatalf("with the input taken in, the layer watches %d, want writable", got)
	}
	if !f.self.fast {
		t.Fatal("not in the steady state after taking input in")
	}
	// What was taken in is read later, with what follows.
	f.peerWrite("later")
	f.watch(tcl.Readable)
	if got := f.handler(tcl.Readable); got != tcl.Readable {
		t.Fatalf("readable goes up as %d", got)
	}
	if got := f.readAll(100); got != "ahead later" {
		t.Fatalf("read %q", got)
	}
}

// Taking input in stops at the first whole record: the rest stays below,
// as it would for a plain socket.
func TestUnreadInputIsTakenInOnlyUpToARecord(t *testing.T) {
	f := openClient(t)
	f.peerWrite("data")
	f.watch(tcl.Writable)
	f.handler(tcl.Readable)
	if got := f.lastWatch(); got != tcl.Writable {
		t.Fatalf("with a record inside, the layer watches %d, want writable", got)
	}
	f.peerWrite("more")
	f.handler(tcl.Readable)
	if len(f.lower.in) == 0 {
		t.Fatal("input beyond a whole record was taken in")
	}
	f.watch(tcl.Readable)
	if got := f.readAll(100); got != "datamore" {
		t.Fatalf("read %q", got)
	}
}

// An end of stream met while taking input in is the reader's: end of file
// at a record boundary, an error inside a record.
func TestEndMetWhileWritingIsKeptForTheReader(t *testing.T) {
	f := openClient(t)
	f.lower.eof = true
	f.watch(0)
	f.watch(tcl.Writable)
	if got := f.lastWatch(); got != tcl.Writable|tcl.Readable {
		t.Fatalf("the layer watches %d, want writable|readable", got)
	}
	f.handler(tcl.Readable)
	if got := f.lastWatch(); got != tcl.Writable {
		t.Fatalf("after the end the layer watches %d, want writable", got)
	}
	if _, n, e := f.input(100); n != 0 || e != 0 {
		t.Fatalf("Input = %d %v, want end of file", n, e)
	}

	g := newFixture(t, false)
	g.handshake()
	g.readAll(100)
	if _, err := g.peer.Write([]byte("cut")); err != nil {
		t.Fatal(err)
	}
	rec := g.peer.OutgoingData()
	g.lower.in = append(g.lower.in[:0], rec[:len(rec)/2]...)
	g.peer.Consume(len(rec))
	g.watch(tcl.Writable)
	g.handler(tcl.Readable)
	g.lower.eof = true
	g.handler(tcl.Readable)
	if _, n, e := g.input(100); n != -1 || e == 0 {
		t.Fatalf("Input = %d %v, want an error", n, e)
	}
}
