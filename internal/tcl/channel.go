package tcl

import (
	"runtime/cgo"
	"sync"
	"syscall"
	"time"
)

// Event and mode masks of channels.
const (
	Readable  = 1 << 1 // TCL_READABLE
	Writable  = 1 << 2 // TCL_WRITABLE
	Exception = 1 << 3 // TCL_EXCEPTION
)

// Modes given to a driver's BlockMode.
const (
	ModeBlocking    = 0 // TCL_MODE_BLOCKING
	ModeNonblocking = 1 // TCL_MODE_NONBLOCKING
)

// Thread actions given to a driver's ThreadAction.
const (
	ChannelThreadInsert = 0 // TCL_CHANNEL_THREAD_INSERT
	ChannelThreadRemove = 1 // TCL_CHANNEL_THREAD_REMOVE
)

// Channel is a Tcl channel (one layer of a stack).
type Channel struct{ p uintptr }

// MakeChannel wraps a binding's channel handle.
func MakeChannel(p uintptr) Channel { return Channel{p} }

// Handle returns the binding's handle of the channel.
func (c Channel) Handle() uintptr { return c.p }

// IsZero reports whether c is no channel.
func (c Channel) IsZero() bool { return c.p == 0 }

// GetChannel finds a channel by name, as Tcl_GetChannel does: the result
// is the top of the channel's stack. On failure the interpreter's result
// holds Tcl's message.
func (i Interp) GetChannel(name string) (Channel, error) {
	ch := b.GetChannel(i.p, name)
	if ch == 0 {
		return Channel{}, ErrResult
	}
	return Channel{ch}, nil
}

// Name returns the channel's name (shared by every layer of a stack).
func (c Channel) Name() string { return b.ChannelName(c.p) }

// TypeName returns the name of the channel's driver type.
func (c Channel) TypeName() string { return b.ChannelTypeName(c.p) }

// Below returns the channel under c in its stack, or the zero Channel.
func (c Channel) Below() Channel { return Channel{b.StackedChannel(c.p)} }

// Top returns the top of c's stack.
func (c Channel) Top() Channel { return Channel{b.TopChannel(c.p)} }

// Mode returns the channel's Readable|Writable mask.
func (c Channel) Mode() int { return b.ChannelMode(c.p) }

// Driver returns the Go driver of a channel stacked by Stack, or nil when
// the channel belongs to another driver type.
func (c Channel) Driver() Driver {
	h, ok := b.InstanceHandle(c.p)
	if !ok {
		return nil
	}
	d, _ := cgo.Handle(h).Value().(Driver)
	return d
}

// ReadRaw reads bytes from the channel's driver, bypassing its buffers
// (except input pushed back below a stacked layer). It returns the count,
// 0 at end of file, or -1 and the errno (EAGAIN when nothing is there
// on a non-blocking channel). Tcl's sockets read a connection reset as end
// of file; ReadRaw tells it apart, returning -1 and ECONNRESET.
func (c Channel) ReadRaw(p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	return RawResult(b.ReadRaw(c.p, p))
}

// RawResult maps the result of a host's raw read (the binding's, or one
// the data path's C loops made) to ReadRaw's: a reset reported as an end
// of file with errno set becomes -1 and ECONNRESET. Mapping twice
// changes nothing.
func RawResult(n int, e syscall.Errno) (int, syscall.Errno) {
	switch {
	case n == 0 && e == syscall.ECONNRESET:
		return -1, e
	case n >= 0:
		return n, 0
	}
	return n, e
}

// SetBlockModeBelow sets the blocking mode of c and of every channel
// under it, as Tcl does for a whole stack, so that a blocking write
// through a transform blocks in the channel that can block.
func (c Channel) SetBlockModeBelow(mode int) {
	for ; !c.IsZero(); c = c.Below() {
		c.DriverBlockMode(mode)
	}
}

// WriteRaw writes bytes straight to the channel's driver. It returns the
// count written (possibly short on a non-blocking channel) or -1 and the
// errno.
func (c Channel) WriteRaw(p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	return b.WriteRaw(c.p, p)
}

// InputBuffered returns the bytes waiting in the channel's input buffers.
func (c Channel) InputBuffered() int { return b.InputBuffered(c.p) }

// Notify tells Tcl that events in mask happened on the channel.
func (c Channel) Notify(mask int) { b.NotifyChannel(c.p, mask) }

// Option reads a channel option through the generic layer.
func (c Channel) Option(interp Interp, name string) (string, error) {
	v, ok := b.GetChannelOption(interp.p, c.p, name)
	if !ok {
		return "", ErrResult
	}
	return v, nil
}

// SetOption sets a channel option through the generic layer.
func (c Channel) SetOption(interp Interp, name, value string) error {
	if b.SetChannelOption(interp.p, c.p, name, value) != OK {
		return ErrResult
	}
	return nil
}

// DriverWatch calls the channel's own watch procedure: how a stacked
// layer tells the layer below which events it needs.
func (c Channel) DriverWatch(mask int) { b.DriverWatch(c.p, mask) }

// DriverBlockMode calls the channel's own block-mode procedure.
func (c Channel) DriverBlockMode(mode int) syscall.Errno { return b.DriverBlockMode(c.p, mode) }

// DriverGetOption calls the channel's own get-option procedure, appending
// to ds (name "" asks for every option).
func (c Channel) DriverGetOption(interp Interp, name string, ds DString) int {
	return b.DriverGetOption(c.p, interp.p, name, ds.p)
}

// DriverSetOption calls the channel's own set-option procedure.
func (c Channel) DriverSetOption(interp Interp, name, value string) int {
	return b.DriverSetOption(c.p, interp.p, name, value)
}

// DriverHandle returns the OS handle of the bottom channel for a direction.
func (c Channel) DriverHandle(direction int) (uintptr, bool) {
	return b.DriverGetHandle(c.p, direction)
}

// WaitWritable waits, for at most timeout, until the OS handle under the
// channel's stack can take more output, and reports whether it can. A
// channel without an OS handle, or a system where the package cannot wait
// on one, waits a short while and reports true, so that the caller tries
// again: it must bound its retries itself.
func (c Channel) WaitWritable(timeout time.Duration) bool {
	if h, ok := c.DriverHandle(Writable); ok {
		if ready, ok := waitWritable(h, timeout); ok {
			return ready
		}
	}
	pause := time.Millisecond
	if timeout < pause {
		pause = timeout
	}
	time.Sleep(pause)
	return true
}

// InputWaiting reports whether the OS handle under the channel's stack has
// input to read now (or an end of file), so that a read of the bottom
// channel would not block. It reports false when it cannot tell: a
// channel without an OS handle, or a system where the package does not
// poll one.
func (c Channel) InputWaiting() bool {
	h, ok := c.DriverHandle(Readable)
	return ok && inputWaiting(h)
}

// DriverThreadAction passes a thread action to the channel's driver.
func (c Channel) DriverThreadAction(action int) { b.DriverThreadAction(c.p, action) }

// DString is a Tcl_DString handed to a get-option procedure.
type DString struct{ p uintptr }

// Append appends raw text.
func (d DString) Append(s string) { b.DStringAppend(d.p, s) }

// AppendElement appends s as a list element.
func (d DString) AppendElement(s string) { b.DStringAppendElement(d.p, s) }

// Driver is a channel type implemented in Go. Methods are called on the
// channel's thread by Tcl, through the binding's trampolines. Errors are
// POSIX error numbers, as Tcl's driver interface wants them.
type Driver interface {
	// Timer is the layer's zero-delay timer firing (Channel.ArmTimer).
	Timer()
	// Close closes the layer: Tcl is done with the channel. interp may
	// be zero. Calls under way in the layer (see Layer) may still return
	// through the driver afterwards.
	Close(interp Interp) syscall.Errno
	// Release frees what the driver holds, once the layer is closed and
	// no call is under way in it.
	Release()
	// Input reads up to len(buf) bytes: n > 0, 0 at end of file, or -1
	// with an errno (EAGAIN when a non-blocking read would block).
	Input(buf []byte) (int, syscall.Errno)
	// Output writes buf: the count accepted, or -1 with an errno.
	Output(buf []byte) (int, syscall.Errno)
	// SetOption and GetOption implement driver-specific options and
	// return a Tcl result code.
	SetOption(interp Interp, name, value string) int
	GetOption(interp Interp, name string, ds DString) int
	// Watch says which events the layer above wants.
	Watch(mask int)
	// Handle returns the OS handle for a direction.
	Handle(direction int) (uintptr, bool)
	// BlockMode records the blocking mode (Tcl passes it down the stack).
	BlockMode(mode int) syscall.Errno
	// Handler sees events coming up from the layer below and returns the
	// events to pass further up.
	Handler(mask int) int
	// ThreadAction is told when the channel leaves or joins a thread.
	ThreadAction(action int)
}

// Stack puts a new layer driven by d on top of below and returns it. The
// layer keeps below's name. On failure the interpreter holds the message.
func Stack(interp Interp, d Driver, mask int, below Channel) (Channel, error) {
	h := cgo.NewHandle(d)
	ch := b.StackChannel(interp.p, uintptr(h), mask, below.p)
	if ch == 0 {
		h.Delete()
		return Channel{}, ErrResult
	}
	return Channel{ch}, nil
}

// Unstack removes the top layer c (its Close is called) and returns the
// interpreter's message on failure.
func Unstack(interp Interp, c Channel) error {
	if b.UnstackChannel(interp.p, c.p) != OK {
		return ErrResult
	}
	return nil
}

// SetChannelTypeName names the package's channel type (as fconfigure and
// chan info show it). Call it once, before stacking anything; it may run
// before a binding is installed, which then takes the name.
func SetChannelTypeName(name string) {
	typeName = name
	if b != nil {
		b.SetChannelTypeName(name)
	}
}

// SetError leaves a message that the next failing read, write or flush
// command on the channel reports instead of the bare POSIX error text,
// with the errorCode words code (Tcl's default NONE when there are none).
func (c Channel) SetError(msg string, code ...string) { b.SetChannelError(c.p, msg, code) }

// ChannelErrorObj builds, with bd, the list Tcl_SetChannelError takes: the
// return options of the error (-code, -level and, when code is not empty,
// -errorcode), then the message. Tcl applies them as a reflected channel's
// error, so that the failing command sets errorCode to code.
func ChannelErrorObj(bd Binding, msg string, code []string) uintptr {
	l := bd.NewListObj()
	add := func(elem uintptr) { bd.ListAppend(0, l, elem) }
	add(bd.NewStringObj("-code"))
	add(bd.NewWideIntObj(ERROR))
	add(bd.NewStringObj("-level"))
	add(bd.NewWideIntObj(0))
	if len(code) > 0 {
		words := bd.NewListObj()
		for _, w := range code {
			bd.ListAppend(0, words, bd.NewStringObj(w))
		}
		add(bd.NewStringObj("-errorcode"))
		add(words)
	}
	add(bd.NewStringObj(msg))
	return l
}

// FastBinding is a binding that can run a layer's steady-state data path
// in C (package stubs does; a binding without C does not, and the Go
// driver serves every call there). The driver decides when the layer is
// in its steady state and says so with SetPlan; while it is, the binding's
// input, output, watch and handler procedures move bytes through the
// layer's table (internal/fastpath/fastpath.h) and the channel below without
// calling the driver, and call it for everything else.
type FastBinding interface {
	// SetFastIO gives the layer ch its table and stream (0, 0: none).
	SetFastIO(ch, table, stream uintptr)
	// Below returns the channel below the layer ch as its C data path
	// reads and writes it: the address of a tlsgo_below
	// (internal/fastpath/fastpath.h), valid while a call is under way in
	// the layer. The driver's own reads and writes below go through the
	// same loops (ossl.Conn.Pull, Fill, Flush) with it.
	Below(ch uintptr) uintptr
	// SetPlan writes into the layer ch what its C path applies until
	// the driver's next entry.
	SetPlan(ch uintptr, p Plan)
	// ArmTimer arms the layer ch's one zero-delay timer for the driver,
	// unless it is armed for the driver already: when it fires, the
	// binding calls ChanTimer. CancelTimer disarms it, whoever armed it
	// (the C path arms the same timer for itself, see Plan.Report).
	ArmTimer(ch uintptr)
	CancelTimer(ch uintptr)
}

// fast returns the installed binding's fast path, or nil.
func fast() FastBinding {
	fb, _ := b.(FastBinding)
	return fb
}

// Plan is what a driver decides for its layer after each of its entries,
// and the binding applies until the next. For a binding's C data path
// (FastBinding): whether it may run (Fast), the interest of the layer
// above the driver last saw (Upper: a watch with that mask needs nothing
// from the driver), the events from below that pass up unchanged (Pass:
// any other goes to the driver), the events the path's timer reports
// while input waits inside the layer (Report: none, no timer), whether
// its reads return a short count only once the channel below has nothing
// more (Drain: ossl.Conn.Pull's drain). For every
// binding: after which starvations of an input (StarvedEmpty,
// StarvedShort) the binding gives Tcl's empty input buffer of the channel
// back at the next watch (Release).
type Plan struct {
	Fast    bool
	Drain   bool
	Upper   int
	Pass    int
	Report  int
	Release int
}

// How an input of a layer ran out of data (Plan.Release): it found none
// (only a non-blocking channel sees that), or it returned less than Tcl
// asked for. glue.c's STARVED_* have the same values.
const (
	StarvedEmpty = 1
	StarvedShort = 2
)

// Starved is how an input that returned n and e for a buffer of asked
// bytes ran out of data, or 0: what a binding records for Plan.Release.
func Starved(n int, e syscall.Errno, asked int) int {
	switch {
	case n < 0 && e == syscall.EAGAIN:
		return StarvedEmpty
	case n > 0 && n < asked:
		return StarvedShort
	}
	return 0
}

// SetFastIO gives a layer its C data path; a binding without one ignores
// it.
func (c Channel) SetFastIO(table, stream uintptr) {
	if fb := fast(); fb != nil {
		fb.SetFastIO(c.p, table, stream)
	}
}

// BelowC returns the channel below the layer c as the binding's C data
// path reads and writes it (FastBinding.Below), or 0 for a binding
// without C.
func (c Channel) BelowC() uintptr {
	if fb := fast(); fb != nil {
		return fb.Below(c.p)
	}
	return 0
}

// layerTimers holds the timer of each layer whose binding has no C data
// path (and so no timer of its own), by channel: see ArmTimer.
var layerTimers sync.Map

// ArmTimer arms the layer's one zero-delay timer for its driver, unless it
// is armed: when it fires, the driver's Timer runs. A binding with a C
// data path keeps the timer in the layer, and its path arms the same one
// for what it reports (Plan.Report); any other binding gets a Tcl timer.
func (c Channel) ArmTimer() {
	if fb := fast(); fb != nil {
		fb.ArmTimer(c.p)
		return
	}
	if _, armed := layerTimers.Load(c.p); armed {
		return
	}
	p := c.p
	layerTimers.Store(p, After(0, func() {
		layerTimers.Delete(p)
		if h, ok := b.InstanceHandle(p); ok {
			ChanTimer(h)
		}
	}))
}

// CancelTimer disarms the layer's timer, if armed.
func (c Channel) CancelTimer() {
	if fb := fast(); fb != nil {
		fb.CancelTimer(c.p)
		return
	}
	if t, armed := layerTimers.LoadAndDelete(c.p); armed {
		t.(*Timer).Cancel()
	}
}

// SetPlan writes the driver's plan into a layer (see Plan); a binding
// without plans ignores it.
func (c Channel) SetPlan(p Plan) {
	if pb, ok := b.(interface{ SetPlan(uintptr, Plan) }); ok {
		pb.SetPlan(c.p, p)
	}
}

// Layer is the binding's record of a layer stacked by Stack. Every call
// into the layer that may run a script (a procedure Tcl calls, an entry
// the driver starts itself: a command, a timer) is counted in it while it
// runs, and the record, and the driver's state with it (Driver.Release),
// is freed only when the layer is closed and the last call has left. It
// is the package's one rule of re-entrancy: a script run from inside the
// layer may close, unstack or re-enter it, and nothing is freed under a
// call that is still running.
type Layer struct{ p, handle uintptr }

// Layer returns the record of c, a layer stacked by Stack.
func (c Channel) Layer() Layer {
	h, _ := b.InstanceHandle(c.p)
	return Layer{b.LayerOf(c.p), h}
}

// Enter counts a call the driver starts itself (a command, a timer).
func (l Layer) Enter() { b.LayerEnter(l.p) }

// Leave ends what Enter began. When it was the last call out of a closed
// layer, the layer is released (Driver.Release) before it returns.
func (l Layer) Leave() {
	if b.LayerLeave(l.p) {
		ChanRelease(l.handle)
	}
}

// Depth returns the number of calls under way in the layer, the caller's
// own included.
func (l Layer) Depth() int { return b.LayerDepth(l.p) }

// Entries returns how many calls have entered the layer so far: a call
// that sees it change across a read or write below knows that a script
// the channel below ran entered the layer meanwhile.
func (l Layer) Entries() uint64 { return b.LayerEntries(l.p) }
