package channel

import (
	"fmt"
	"os"
	"sort"
	"syscall"
	"testing"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/testcert"
	"github.com/tclgo/tls/ossl"
)

// fakeTcl is a tcl.Binding for the driver's unit tests: an in-memory
// channel below the layer, a manual timer queue and a record of every call
// the driver makes that Tcl would act on (watch masks passed down,
// notifications passed up, errors left for commands). Methods the driver
// does not use are left to the embedded nil interface, so a call to one
// of them panics and shows up in the test.
type fakeTcl struct {
	tcl.Binding

	chans  map[uintptr]*fakeChan
	nextCh uintptr

	timers    map[uintptr]uintptr // token -> timer handle
	nextTimer uintptr
}

// fakeChan is one channel of a stack.
type fakeChan struct {
	below, above uintptr
	instance     uintptr // driver handle of a layer stacked by the driver
	blocking     bool
	holds        int

	// The channel below the layer: ciphertext in and out.
	in        []byte        // what a read gets next
	eof       bool          // the peer's FIN after in
	readErr   syscall.Errno // an error after in (ECONNRESET for a reset)
	out       []byte        // what the layer wrote
	room      int           // bytes a write may still take; < 0: unlimited
	writeFail syscall.Errno // the error of every write, if set
	writes    int           // writes made
	onRead    func()        // a script a read runs (a transform's), if set
	onWrite   func()        // a script a write runs, if set

	osHandle uintptr // a descriptor standing in for the socket's, if set

	bufferSize int // -buffersize of the stack
	buffered   int // bytes of in that Tcl has read ahead (Tcl_InputBuffered)

	// The binding's C data path (tcl.FastBinding), simulated: the flag
	// and interest the driver set, and whether it gave a table.
	fast        bool
	fastUpper   int
	fastIO      bool
	planRelease int        // the plan's buffer release policy
	planDrain   bool       // the plan's Drain
	timer       *tcl.Timer // the layer's timer, while armed
	planPass    int        // the events the plan passes up unchanged
	planReport  int        // the events the plan's timer reports

	depth    int    // calls under way in the layer (tcl.Layer)
	entries  uint64 // calls that have entered the layer so far
	closed   bool   // the layer's close procedure ran
	released bool   // the driver was released

	watches  []int    // masks passed to the watch procedure
	notifies []int    // masks given to Tcl_NotifyChannel
	errors   []string // messages left with Tcl_SetChannelError
}

var fake = &fakeTcl{chans: map[uintptr]*fakeChan{}, timers: map[uintptr]uintptr{}}

func init() {
	if err := tcl.Install(fake); err != nil {
		panic(err)
	}
	tcl.SetChannelTypeName(TypeName)
}

// The fake is a tcl.FastBinding that records the driver's switches; its
// C path never runs, so every call still goes through the driver.
func (f *fakeTcl) SetFastIO(ch, table, stream uintptr) {
	f.chans[ch].fastIO = table != 0 && stream != 0
}

// Below gives no C channel below: the driver's loops read and write the
// fake's channel below through Go (goBelow), as for a binding without C.
func (f *fakeTcl) Below(ch uintptr) uintptr { return 0 }
func (f *fakeTcl) SetPlan(ch uintptr, p tcl.Plan) {
	f.chans[ch].fast, f.chans[ch].fastUpper = p.Fast, p.Upper
	f.chans[ch].planPass, f.chans[ch].planReport = p.Pass, p.Report
	f.chans[ch].planRelease = p.Release
	f.chans[ch].planDrain = p.Drain
}

// Layers: the fake counts calls as the bindings do (tcl.Layer), by the
// layer's channel id; the fixture's procedures count themselves.
func (f *fakeTcl) LayerOf(ch uintptr) uintptr { return ch }
func (f *fakeTcl) LayerEnter(l uintptr) {
	f.chans[l].depth++
	f.chans[l].entries++
}
func (f *fakeTcl) LayerDepth(l uintptr) int      { return f.chans[l].depth }
func (f *fakeTcl) LayerEntries(l uintptr) uint64 { return f.chans[l].entries }
func (f *fakeTcl) LayerLeave(l uintptr) bool {
	c := f.chans[l]
	c.depth--
	if c.depth == 0 && c.closed && !c.released {
		c.released = true
		return true
	}
	return false
}

// The layer's timer (tcl.FastBinding): a timer of the fake's queue that
// fires into the driver.
func (f *fakeTcl) ArmTimer(ch uintptr) {
	c := f.chans[ch]
	if c.timer != nil {
		return
	}
	c.timer = tcl.After(0, func() {
		c.timer = nil
		tcl.ChanTimer(c.instance)
	})
}
func (f *fakeTcl) CancelTimer(ch uintptr) {
	c := f.chans[ch]
	c.timer.Cancel()
	c.timer = nil
}
func (f *fakeTcl) newChan() (uintptr, *fakeChan) {
	f.nextCh++
	c := &fakeChan{room: -1}
	f.chans[f.nextCh] = c
	return f.nextCh, c
}

func (f *fakeTcl) ChannelName(ch uintptr) string     { return "sock1" }
func (f *fakeTcl) ChannelMode(ch uintptr) int        { return tcl.Readable | tcl.Writable }
func (f *fakeTcl) StackedChannel(ch uintptr) uintptr { return f.chans[ch].below }
func (f *fakeTcl) InputBuffered(ch uintptr) int      { return f.chans[ch].buffered }
func (f *fakeTcl) SetChannelTypeName(name string)    {}
func (f *fakeTcl) HoldChannel(ch uintptr)            { f.chans[ch].holds++ }
func (f *fakeTcl) ReleaseChannel(ch uintptr)         { f.chans[ch].holds-- }
func (f *fakeTcl) IsChannelShared(ch uintptr) bool   { return true }

func (f *fakeTcl) TopChannel(ch uintptr) uintptr {
	for f.chans[ch].above != 0 {
		ch = f.chans[ch].above
	}
	return ch
}

func (f *fakeTcl) InstanceHandle(ch uintptr) (uintptr, bool) {
	c := f.chans[ch]
	return c.instance, c.instance != 0
}

func (f *fakeTcl) GetChannelOption(interp, ch uintptr, name string) (string, bool) {
	switch name {
	case "-blocking":
		if f.chans[f.TopChannel(ch)].blocking {
			return "1", true
		}
		return "0", true
	case "-buffersize":
		return "4096", true
	}
	return "", false
}

func (f *fakeTcl) SetChannelOption(interp, ch uintptr, name, value string) int {
	if name != "-buffersize" {
		return tcl.ERROR
	}
	fmt.Sscan(value, &f.chans[ch].bufferSize)
	return tcl.OK
}

func (f *fakeTcl) StackChannel(interp, handle uintptr, mask int, below uintptr) uintptr {
	id, c := f.newChan()
	c.instance = handle
	c.below = below
	c.blocking = f.chans[below].blocking
	f.chans[below].above = id
	return id
}

func (f *fakeTcl) ReadRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	c := f.chans[ch]
	if fn := c.onRead; fn != nil {
		c.onRead = nil
		fn()
	}
	switch {
	case len(c.in) > 0:
		n := copy(p, c.in)
		c.in = c.in[n:]
		return n, 0
	case c.readErr != 0:
		return 0, c.readErr // as Tcl's sockets: end of file, errno set
	case c.eof:
		return 0, 0
	}
	return -1, syscall.EAGAIN
}

func (f *fakeTcl) WriteRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	c := f.chans[ch]
	c.writes++
	if fn := c.onWrite; fn != nil {
		c.onWrite = nil
		fn()
	}
	if c.writeFail != 0 {
		return -1, c.writeFail
	}
	n := len(p)
	if c.room >= 0 && n > c.room {
		n = c.room
	}
	if n == 0 {
		return -1, syscall.EAGAIN
	}
	c.out = append(c.out, p[:n]...)
	if c.room >= 0 {
		c.room -= n
	}
	return n, 0
}

func (f *fakeTcl) NotifyChannel(ch uintptr, mask int) {
	f.chans[ch].notifies = append(f.chans[ch].notifies, mask)
}

func (f *fakeTcl) SetChannelError(ch uintptr, msg string, code []string) {
	f.chans[ch].errors = append(f.chans[ch].errors, msg)
}

func (f *fakeTcl) DriverWatch(ch uintptr, mask int) {
	f.chans[ch].watches = append(f.chans[ch].watches, mask)
}

func (f *fakeTcl) DriverBlockMode(ch uintptr, mode int) syscall.Errno {
	f.chans[ch].blocking = mode == tcl.ModeBlocking
	return 0
}

func (f *fakeTcl) DriverGetHandle(ch uintptr, direction int) (uintptr, bool) {
	h := f.chans[ch].osHandle
	return h, h != 0
}

func (f *fakeTcl) CreateTimer(ms int, handle uintptr) uintptr {
	f.nextTimer++
	f.timers[f.nextTimer] = handle
	return f.nextTimer
}

func (f *fakeTcl) DeleteTimer(token uintptr) { delete(f.timers, token) }

// runTimers fires the timers that are due now, oldest first, as one pass
// of the event loop does, and returns how many fired.
func (f *fakeTcl) runTimers() int {
	tokens := make([]uintptr, 0, len(f.timers))
	for tok := range f.timers {
		tokens = append(tokens, tok)
	}
	sort.Slice(tokens, func(i, j int) bool { return tokens[i] < tokens[j] })
	n := 0
	for _, tok := range tokens {
		h, ok := f.timers[tok]
		if !ok {
			continue
		}
		delete(f.timers, tok)
		tcl.FireTimer(h)
		n++
	}
	return n
}

// fixture is one TLS layer over an in-memory channel, and the OpenSSL
// connection at the other end of that channel.
type fixture struct {
	t      *testing.T
	layer  *TLS
	lower  *fakeChan
	self   *fakeChan
	handle uintptr // the layer's driver handle, for the trampolines
	peer   *ossl.Conn
	failed []string // messages the HandshakeFailed hook heard
}

func newConn(t *testing.T, server bool) *ossl.Conn {
	return newConnOf(t, server, ossl.TLS1_2|ossl.TLS1_3)
}

// newConnOf is newConn speaking only the protocols given.
func newConnOf(t *testing.T, server bool, protocols ossl.Protocols) *ossl.Conn {
	cfg := ossl.Config{Protocols: protocols, SecurityLevel: -1, Server: server}
	if server {
		cfg.Cert, cfg.Key = testcert.DER(t)
	}
	ctx, err := ossl.NewContext(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Free()
	c, err := ctx.NewConn(&ossl.ConnConfig{Server: server})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newFixture stacks a non-blocking TLS layer (a server when server is
// set) on a fresh in-memory channel, which setup may prepare first.
func newFixture(t *testing.T, server bool, setup ...func(f *fixture)) *fixture {
	f := &fixture{t: t}
	id, lower := fake.newChan()
	f.lower = lower
	conn := newConn(t, server)
	f.peer = newConn(t, !server)
	for _, s := range setup {
		s(f)
	}
	t.Cleanup(f.peer.Free)
	hooks := Hooks{HandshakeFailed: func(msg string) { f.failed = append(f.failed, msg) }}
	layer, err := Stack(tcl.Interp{}, tcl.MakeChannel(id), conn, hooks)
	if err != nil {
		t.Fatal(err)
	}
	f.layer = layer
	f.self = fake.chans[layer.self.Handle()]
	f.handle, _ = fake.InstanceHandle(layer.self.Handle())
	t.Cleanup(func() {
		if !f.self.closed {
			f.close()
		}
		for k := range fake.timers {
			delete(fake.timers, k)
		}
	})
	return f
}

// proc runs fn as a procedure of the layer that Tcl calls, counted as
// the bindings count it: the last call out of a closed layer releases
// it.
func (f *fixture) proc(fn func()) {
	f.self.depth++
	f.self.entries++
	defer func() {
		f.self.depth--
		if f.self.depth == 0 && f.self.closed && !f.self.released {
			f.self.released = true
			tcl.ChanRelease(f.handle)
		}
	}()
	fn()
}

// close closes the layer through its trampoline, as a binding's close
// procedure does.
func (f *fixture) close() (e syscall.Errno) {
	f.self.closed = true
	f.proc(func() { e = syscall.Errno(tcl.ChanClose(f.handle, 0, false)) })
	return e
}

// input reads through the trampoline Tcl calls.
func (f *fixture) input(n int) (string, int, syscall.Errno) {
	buf := make([]byte, n)
	var m int
	var e syscall.Errno
	f.proc(func() { m, e = tcl.ChanInput(f.handle, buf) })
	if m < 0 {
		return "", m, e
	}
	return string(buf[:m]), m, e
}

// output writes through the trampoline Tcl calls.
func (f *fixture) output(s string) (n int, e syscall.Errno) {
	f.proc(func() { n, e = tcl.ChanOutput(f.handle, []byte(s)) })
	return n, e
}

// handler passes events from below through the trampoline.
func (f *fixture) handler(mask int) (m int) {
	f.proc(func() { m = tcl.ChanHandler(f.handle, mask) })
	return m
}

// watch passes the upper layer's interest through the trampoline.
func (f *fixture) watch(mask int) { f.proc(func() { tcl.ChanWatch(f.handle, mask) }) }

// pumpPeer moves what the layer wrote to the peer, lets the peer advance
// its handshake, and moves the peer's answer into the channel below.
func (f *fixture) pumpPeer() {
	if len(f.lower.out) > 0 {
		f.peer.Feed(f.lower.out)
		f.lower.out = nil
	}
	if !f.peer.HandshakeDone() {
		f.peer.Handshake()
	}
	f.fromPeer()
}

// fromPeer moves the peer's waiting ciphertext into the channel below.
func (f *fixture) fromPeer() {
	if data := f.peer.OutgoingData(); len(data) > 0 {
		f.lower.in = append(f.lower.in, data...)
		f.peer.Consume(len(data))
	}
}

// handshake completes the handshake by readable events, as a
// non-blocking channel's event loop does.
func (f *fixture) handshake() {
	f.t.Helper()
	for i := 0; i < 20; i++ {
		fake.runTimers()
		f.pumpPeer()
		f.handler(tcl.Readable)
		if f.layer.phase == open && f.peer.HandshakeDone() {
			f.pumpPeer()
			return
		}
	}
	f.t.Fatalf("handshake did not complete: %v", f.layer.err)
}

// openClient returns a client fixture with the handshake done and the
// server's session tickets read: open, idle, nothing inside the layer.
func openClient(t *testing.T) *fixture {
	f := newFixture(t, false)
	f.handshake()
	f.readAll(100)
	return f
}

// peerWrite has the peer send s in records, into the channel below.
func (f *fixture) peerWrite(s string) {
	f.t.Helper()
	if _, err := f.peer.Write([]byte(s)); err != nil {
		f.t.Fatal(err)
	}
	f.fromPeer()
}

// lastWatch returns the last mask passed to the channel below.
func (f *fixture) lastWatch() int {
	if len(f.lower.watches) == 0 {
		return -1
	}
	return f.lower.watches[len(f.lower.watches)-1]
}

// readAll reads what the layer can return now, in reads of n bytes.
func (f *fixture) readAll(n int) string {
	var got string
	for {
		s, m, _ := f.input(n)
		if m <= 0 {
			return got
		}
		got += s
	}
}

// pipe returns an OS pipe, closed with the test: a descriptor that stands
// in for a socket's (fakeChan.osHandle).
func pipe(t *testing.T) (r, w *os.File) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Close()
		w.Close()
	})
	return r, w
}
