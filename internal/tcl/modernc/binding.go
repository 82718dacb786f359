// Package modernc binds package tcl to modernc.org/tcl, Tcl 8.6 translated
// to Go, so that Go programs embedding that interpreter get the same tls
// package as C Tcl hosts get from libtls.so (see package tlsembed).
//
// modernc.org/tcl keeps C's calling conventions in Go: pointers are
// uintptr addresses in modernc.org/libc's heap, function pointers are
// the addresses of Go func values, and every call takes the *libc.TLS of
// the calling Tcl thread (its errno, its thread-specific data: the
// notifier, the channel and timer lists). Package tcl's API has no
// thread argument, so the binding keeps the TLS of the Tcl thread that
// is running Go code: every trampoline (a command, a channel procedure,
// a timer) makes the TLS it was called with current for its duration,
// and Call does the same for code that starts outside Tcl. One Tcl
// thread at a time may therefore run the package: drive every
// interpreter from one goroutine, as modernc.org/tcl's own Interp
// expects (the translated Tcl has no Thread package).
package modernc

import (
	"errors"
	"sync"
	"syscall"
	"unsafe"

	"github.com/tclgo/tls/internal/tcl"
	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	lib "modernc.org/tcl/lib"
)

// Binding is the modernc.org/tcl binding; the package has one, installed
// by Install.
type Binding struct {
	cur      *libc.TLS // the Tcl thread running Go code, or nil
	chanType uintptr   // our Tcl_ChannelType, in libc memory

	// layers counts the calls under way in each layer, by driver handle
	// (the instance data): see tcl.Layer.
	layersMu sync.Mutex
	layers   map[uintptr]*layer
}

// layer is the record of tcl.Layer for one stacked layer, and what the
// binding applies of the driver's plan (tcl.Plan.Release).
type layer struct {
	depth   int    // calls under way
	entries uint64 // calls that have entered so far (tcl.Layer.Entries)
	closed  bool   // closed: forgotten (and released) when depth drops to 0

	self    uintptr // the layer's channel
	starved int     // how the last input ran out of data (tcl.Starved)
	release int     // the plan's Release
}

var binding = &Binding{}

// Install creates the binding's channel type and installs the binding
// into package tcl. It is safe to call more than once.
func Install() error {
	if binding.chanType == 0 {
		tls := libc.NewTLS()
		defer tls.Close()
		p := libc.Xcalloc(tls, 1, types.Size_t(unsafe.Sizeof(lib.Tcl_ChannelType{})))
		if p == 0 {
			return errors.New("tcl/modernc: out of memory")
		}
		ct := (*lib.Tcl_ChannelType)(cmem(p))
		ct.FtypeName = mustCString("tls")
		ct.Fversion = 5 // TCL_CHANNEL_VERSION_5
		ct.FcloseProc = funcAddr(closeProc)
		ct.FinputProc = funcAddr(inputProc)
		ct.FoutputProc = funcAddr(outputProc)
		ct.FsetOptionProc = funcAddr(setOptionProc)
		ct.FgetOptionProc = funcAddr(getOptionProc)
		ct.FwatchProc = funcAddr(watchProc)
		ct.FgetHandleProc = funcAddr(getHandleProc)
		ct.FblockModeProc = funcAddr(blockModeProc)
		ct.FhandlerProc = funcAddr(handlerProc)
		ct.FthreadActionProc = funcAddr(threadActionProc)
		binding.chanType = p
	}
	return tcl.Install(binding)
}

// Call runs fn with tls as the current Tcl thread: how code that starts
// outside Tcl (registering the package in a new interpreter, say) uses
// package tcl.
func Call(tls *libc.TLS, fn func() error) error {
	prev := binding.enter(tls)
	defer binding.leave(prev)
	return fn()
}

func (bd *Binding) enter(tls *libc.TLS) *libc.TLS {
	prev := bd.cur
	bd.cur = tls
	return prev
}

func (bd *Binding) leave(prev *libc.TLS) { bd.cur = prev }

// t returns the current Tcl thread.
func (bd *Binding) t() *libc.TLS {
	if bd.cur == nil {
		panic("tcl/modernc: package tcl used outside a Tcl callback (see modernc.Call)")
	}
	return bd.cur
}

// cmem turns an address in libc's heap, which Go's garbage collector
// does not manage, into a pointer.
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// funcAddr is the C function pointer of a Go function, as
// modernc.org/tcl stores and calls them: the address of its func value.
func funcAddr[F any](f F) uintptr { return *(*uintptr)(unsafe.Pointer(&f)) }

// Go memory is never handed to the translated C as an address: C code
// turns such addresses back into pointers and does arithmetic on them,
// which the garbage collector does not see and checkptr (go test -race)
// rejects, and pinning does not change that. Bytes that cross in either
// direction are copied through a libc buffer instead. The buffers are
// reused, so the data path costs a memcpy, not an allocation.

// cbuf is a buffer in libc memory.
type cbuf struct {
	p uintptr
	n int
}

// scratch keeps a few released buffers for reuse. A call may re-enter
// the binding (a channel below may run a script) while it holds one, so
// a buffer is taken out of the list for the duration of its use.
var scratch struct {
	sync.Mutex
	free []cbuf
}

const (
	scratchMin  = 4096    // smallest buffer allocated
	scratchKeep = 4       // released buffers kept
	scratchMax  = 1 << 20 // larger buffers are freed at once
)

// getBuf returns a libc buffer of at least n bytes.
func (bd *Binding) getBuf(n int) cbuf {
	scratch.Lock()
	for i, b := range scratch.free {
		if b.n >= n {
			last := len(scratch.free) - 1
			scratch.free[i] = scratch.free[last]
			scratch.free = scratch.free[:last]
			scratch.Unlock()
			return b
		}
	}
	scratch.Unlock()
	size := max(n, scratchMin)
	p := libc.Xmalloc(bd.t(), types.Size_t(size))
	if p == 0 {
		panic("tcl/modernc: out of memory")
	}
	return cbuf{p, size}
}

// putBuf releases a buffer from getBuf.
func (bd *Binding) putBuf(b cbuf) {
	scratch.Lock()
	if b.n <= scratchMax && len(scratch.free) < scratchKeep {
		scratch.free = append(scratch.free, b)
		b.p = 0
	}
	scratch.Unlock()
	if b.p != 0 {
		libc.Xfree(bd.t(), b.p)
	}
}

// bytes views the first n bytes of the buffer.
func (b cbuf) bytes(n int) []byte { return unsafe.Slice((*byte)(cmem(b.p)), n) }

// withCopy runs fn with a libc copy of data (address 0 when empty).
func withCopy[T any](bd *Binding, data []byte, fn func(p uintptr) T) T {
	if len(data) == 0 {
		return fn(0)
	}
	b := bd.getBuf(len(data))
	defer bd.putBuf(b)
	copy(b.bytes(len(data)), data)
	return fn(b.p)
}

// withStringCopy is withCopy for a string.
func withStringCopy[T any](bd *Binding, s string, fn func(p uintptr) T) T {
	if len(s) == 0 {
		return fn(0)
	}
	b := bd.getBuf(len(s))
	defer bd.putBuf(b)
	copy(b.bytes(len(s)), s)
	return fn(b.p)
}

// mustCString copies s into libc memory, kept for the process's life.
func mustCString(s string) uintptr {
	p, err := libc.CString(s)
	if err != nil {
		panic(err)
	}
	return p
}

// cstring is a NUL-terminated copy of s in libc memory, freed with free.
func (bd *Binding) cstring(s string) uintptr { return mustCString(s) }

func (bd *Binding) free(p uintptr) { libc.Xfree(bd.t(), p) }

// goString reads a NUL-terminated C string (empty for NULL).
func goString(p uintptr) string {
	if p == 0 {
		return ""
	}
	return libc.GoString(p)
}

// bytesAt views n bytes of libc memory as a slice (nil when empty).
func bytesAt(p uintptr, n int32) []byte {
	if n <= 0 || p == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(cmem(p)), int(n))
}

// InterpDeleted implements tcl.Binding.
func (bd *Binding) InterpDeleted(interp uintptr) bool {
	return lib.XTcl_InterpDeleted(bd.t(), interp) != 0
}

// Preserve implements tcl.Binding.
func (bd *Binding) Preserve(p uintptr) { lib.XTcl_Preserve(bd.t(), p) }

// Release implements tcl.Binding.
func (bd *Binding) Release(p uintptr) { lib.XTcl_Release(bd.t(), p) }

// PkgProvide implements tcl.Binding.
func (bd *Binding) PkgProvide(interp uintptr, name, version string) int {
	cn, cv := bd.cstring(name), bd.cstring(version)
	defer bd.free(cn)
	defer bd.free(cv)
	return int(lib.XTcl_PkgProvide(bd.t(), interp, cn, cv))
}

// CreateCommand implements tcl.Binding.
func (bd *Binding) CreateCommand(interp uintptr, name string, handle uintptr) {
	cs := bd.cstring(name)
	defer bd.free(cs)
	lib.XTcl_CreateObjCommand(bd.t(), interp, cs, funcAddr(objCmd), handle, funcAddr(cmdDelete))
}

// SetObjResult implements tcl.Binding.
func (bd *Binding) SetObjResult(interp, obj uintptr) { lib.XTcl_SetObjResult(bd.t(), interp, obj) }

// GetObjResult implements tcl.Binding.
func (bd *Binding) GetObjResult(interp uintptr) uintptr {
	return lib.XTcl_GetObjResult(bd.t(), interp)
}

// ResetResult implements tcl.Binding.
func (bd *Binding) ResetResult(interp uintptr) { lib.XTcl_ResetResult(bd.t(), interp) }

// EvalEx implements tcl.Binding.
func (bd *Binding) EvalEx(interp uintptr, script string, flags int) int {
	// Tcl reads the script while it runs, so it gets its own copy.
	cs := bd.cstring(script)
	defer bd.free(cs)
	return int(lib.XTcl_EvalEx(bd.t(), interp, cs, int32(len(script)), int32(flags)))
}

// EvalObjEx implements tcl.Binding.
func (bd *Binding) EvalObjEx(interp, obj uintptr, flags int) int {
	return int(lib.XTcl_EvalObjEx(bd.t(), interp, obj, int32(flags)))
}

// SetObjErrorCode implements tcl.Binding.
func (bd *Binding) SetObjErrorCode(interp, obj uintptr) {
	lib.XTcl_SetObjErrorCode(bd.t(), interp, obj)
}

// AddErrorInfo implements tcl.Binding.
func (bd *Binding) AddErrorInfo(interp uintptr, msg string) {
	cs := bd.cstring(msg)
	defer bd.free(cs)
	lib.XTcl_AddErrorInfo(bd.t(), interp, cs)
}

// BackgroundException implements tcl.Binding.
func (bd *Binding) BackgroundException(interp uintptr, code int) {
	lib.XTcl_BackgroundException(bd.t(), interp, int32(code))
}

// SaveInterpState implements tcl.Binding.
func (bd *Binding) SaveInterpState(interp uintptr, code int) uintptr {
	return lib.XTcl_SaveInterpState(bd.t(), interp, int32(code))
}

// RestoreInterpState implements tcl.Binding.
func (bd *Binding) RestoreInterpState(interp, state uintptr) int {
	return int(lib.XTcl_RestoreInterpState(bd.t(), interp, state))
}

// GetVar implements tcl.Binding.
func (bd *Binding) GetVar(interp uintptr, name string, flags int) uintptr {
	cs := bd.cstring(name)
	defer bd.free(cs)
	return lib.XTcl_GetVar2Ex(bd.t(), interp, cs, 0, int32(flags))
}

// SetVar implements tcl.Binding.
func (bd *Binding) SetVar(interp uintptr, name string, value uintptr, flags int) uintptr {
	cs := bd.cstring(name)
	defer bd.free(cs)
	return lib.XTcl_SetVar2Ex(bd.t(), interp, cs, 0, value, int32(flags))
}

// NewStringObj implements tcl.Binding.
func (bd *Binding) NewStringObj(s string) uintptr {
	return withStringCopy(bd, s, func(p uintptr) uintptr {
		return lib.XTcl_NewStringObj(bd.t(), p, int32(len(s)))
	})
}

// NewWideIntObj implements tcl.Binding.
func (bd *Binding) NewWideIntObj(v int64) uintptr { return lib.XTcl_NewWideIntObj(bd.t(), v) }

// NewByteArrayObj implements tcl.Binding.
func (bd *Binding) NewByteArrayObj(p []byte) uintptr {
	return withCopy(bd, p, func(a uintptr) uintptr {
		return lib.XTcl_NewByteArrayObj(bd.t(), a, int32(len(p)))
	})
}

// NewListObj implements tcl.Binding.
func (bd *Binding) NewListObj() uintptr { return lib.XTcl_NewListObj(bd.t(), 0, 0) }

// ListAppend implements tcl.Binding.
func (bd *Binding) ListAppend(interp, list, elem uintptr) int {
	return int(lib.XTcl_ListObjAppendElement(bd.t(), interp, list, elem))
}

// ListElements implements tcl.Binding.
func (bd *Binding) ListElements(interp, list uintptr) ([]uintptr, bool) {
	tls := bd.t()
	bp := tls.Alloc(16) // int objc; Tcl_Obj **objv
	defer tls.Free(16)
	if lib.XTcl_ListObjGetElements(tls, interp, list, bp, bp+8) != tcl.OK {
		return nil, false
	}
	n := *(*int32)(cmem(bp))
	v := *(*uintptr)(cmem(bp + 8))
	if n == 0 {
		return nil, true
	}
	return unsafe.Slice((*uintptr)(cmem(v)), int(n)), true
}

// GetString implements tcl.Binding.
func (bd *Binding) GetString(obj uintptr) string {
	tls := bd.t()
	bp := tls.Alloc(8)
	defer tls.Free(8)
	s := lib.XTcl_GetStringFromObj(tls, obj, bp)
	return string(bytesAt(s, *(*int32)(cmem(bp))))
}

// GetByteArray implements tcl.Binding.
func (bd *Binding) GetByteArray(obj uintptr) []byte {
	tls := bd.t()
	bp := tls.Alloc(8)
	defer tls.Free(8)
	p := lib.XTcl_GetByteArrayFromObj(tls, obj, bp)
	b := bytesAt(p, *(*int32)(cmem(bp)))
	out := make([]byte, len(b))
	copy(out, b)
	return out
}

// GetWideInt implements tcl.Binding.
func (bd *Binding) GetWideInt(interp, obj uintptr) (int64, bool) {
	tls := bd.t()
	bp := tls.Alloc(8)
	defer tls.Free(8)
	ok := lib.XTcl_GetWideIntFromObj(tls, interp, obj, bp) == tcl.OK
	return *(*int64)(cmem(bp)), ok
}

// GetBoolean implements tcl.Binding.
func (bd *Binding) GetBoolean(interp, obj uintptr) (bool, bool) {
	tls := bd.t()
	bp := tls.Alloc(8)
	defer tls.Free(8)
	*(*int32)(cmem(bp)) = 0
	ok := lib.XTcl_GetBooleanFromObj(tls, interp, obj, bp) == tcl.OK
	return *(*int32)(cmem(bp)) != 0, ok
}

// IncrRefCount implements tcl.Binding (Tcl_IncrRefCount is a macro).
func (bd *Binding) IncrRefCount(obj uintptr) { (*lib.Tcl_Obj)(cmem(obj)).FrefCount++ }

// DecrRefCount implements tcl.Binding (Tcl_DecrRefCount is a macro).
func (bd *Binding) DecrRefCount(obj uintptr) {
	o := (*lib.Tcl_Obj)(cmem(obj))
	o.FrefCount--
	if o.FrefCount <= 0 {
		lib.XTclFreeObj(bd.t(), obj)
	}
}

// GetChannel implements tcl.Binding.
func (bd *Binding) GetChannel(interp uintptr, name string) uintptr {
	cs := bd.cstring(name)
	defer bd.free(cs)
	return lib.XTcl_GetChannel(bd.t(), interp, cs, 0)
}

// ChannelName implements tcl.Binding.
func (bd *Binding) ChannelName(ch uintptr) string {
	return goString(lib.XTcl_GetChannelName(bd.t(), ch))
}

// ChannelTypeName implements tcl.Binding.
func (bd *Binding) ChannelTypeName(ch uintptr) string {
	ct := lib.XTcl_GetChannelType(bd.t(), ch)
	return goString((*lib.Tcl_ChannelType)(cmem(ct)).FtypeName)
}

// InstanceHandle implements tcl.Binding.
func (bd *Binding) InstanceHandle(ch uintptr) (uintptr, bool) {
	tls := bd.t()
	if lib.XTcl_GetChannelType(tls, ch) != bd.chanType {
		return 0, false
	}
	return lib.XTcl_GetChannelInstanceData(tls, ch), true
}

// StackedChannel implements tcl.Binding.
func (bd *Binding) StackedChannel(ch uintptr) uintptr {
	return lib.XTcl_GetStackedChannel(bd.t(), ch)
}

// TopChannel implements tcl.Binding.
func (bd *Binding) TopChannel(ch uintptr) uintptr { return lib.XTcl_GetTopChannel(bd.t(), ch) }

// ChannelMode implements tcl.Binding.
func (bd *Binding) ChannelMode(ch uintptr) int { return int(lib.XTcl_GetChannelMode(bd.t(), ch)) }

// ReadRaw implements tcl.Binding. Tcl reads into a libc buffer, copied
// to p afterwards. A stacked channel is held while it reads, as the C
// binding's ReadRaw says why (glue.c): a script's close then runs when
// the hold is dropped, after the read.
func (bd *Binding) ReadRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	tls := bd.t()
	b := bd.getBuf(len(p))
	defer bd.putBuf(b)
	if lib.XTcl_GetStackedChannel(tls, ch) != 0 {
		lib.XTcl_RegisterChannel(tls, 0, ch)
		defer lib.XTcl_UnregisterChannel(tls, 0, ch) // closes it if a script did
	}
	lib.XTcl_SetErrno(tls, 0)
	n := lib.XTcl_ReadRaw(tls, ch, b.p, int32(len(p)))
	if n <= 0 { // errno with an end of file: a reset (see tcl.Channel.ReadRaw)
		return int(n), syscall.Errno(lib.XTcl_GetErrno(tls))
	}
	copy(p, b.bytes(int(n)))
	return int(n), 0
}

// WriteRaw implements tcl.Binding.
func (bd *Binding) WriteRaw(ch uintptr, p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	tls := bd.t()
	n := withCopy(bd, p, func(a uintptr) int32 {
		lib.XTcl_SetErrno(tls, 0)
		return lib.XTcl_WriteRaw(tls, ch, a, int32(len(p)))
	})
	if n < 0 {
		return int(n), syscall.Errno(lib.XTcl_GetErrno(tls))
	}
	return int(n), 0
}

// InputBuffered implements tcl.Binding.
func (bd *Binding) InputBuffered(ch uintptr) int {
	return int(lib.XTcl_InputBuffered(bd.t(), ch))
}

// NotifyChannel implements tcl.Binding.
func (bd *Binding) NotifyChannel(ch uintptr, mask int) {
	lib.XTcl_NotifyChannel(bd.t(), ch, int32(mask))
}

// newDString allocates and initialises a Tcl_DString in libc memory.
func (bd *Binding) newDString() uintptr {
	tls := bd.t()
	ds := libc.Xmalloc(tls, types.Size_t(unsafe.Sizeof(lib.Tcl_DString{})))
	if ds == 0 {
		panic("tcl/modernc: out of memory")
	}
	lib.XTcl_DStringInit(tls, ds)
	return ds
}

func (bd *Binding) freeDString(ds uintptr) {
	lib.XTcl_DStringFree(bd.t(), ds)
	libc.Xfree(bd.t(), ds)
}

// GetChannelOption implements tcl.Binding.
func (bd *Binding) GetChannelOption(interp, ch uintptr, name string) (string, bool) {
	cs := bd.cstring(name)
	defer bd.free(cs)
	ds := bd.newDString()
	defer bd.freeDString(ds)
	if lib.XTcl_GetChannelOption(bd.t(), interp, ch, cs, ds) != tcl.OK {
		return "", false
	}
	d := (*lib.Tcl_DString)(cmem(ds))
	return string(bytesAt(d.Fstring, d.Flength)), true
}

// SetChannelOption implements tcl.Binding.
func (bd *Binding) SetChannelOption(interp, ch uintptr, name, value string) int {
	cn, cv := bd.cstring(name), bd.cstring(value)
	defer bd.free(cn)
	defer bd.free(cv)
	return int(lib.XTcl_SetChannelOption(bd.t(), interp, ch, cn, cv))
}

// BadChannelOption leaves Tcl's standard "bad option" message in interp.
func (bd *Binding) BadChannelOption(interp uintptr, name, options string) int {
	cn, co := bd.cstring(name), bd.cstring(options)
	defer bd.free(cn)
	defer bd.free(co)
	return int(lib.XTcl_BadChannelOption(bd.t(), interp, cn, co))
}

// StackChannel implements tcl.Binding.
func (bd *Binding) StackChannel(interp, handle uintptr, mask int, below uintptr) uintptr {
	bd.layersMu.Lock()
	if bd.layers == nil {
		bd.layers = map[uintptr]*layer{}
	}
	l := &layer{}
	bd.layers[handle] = l
	bd.layersMu.Unlock()
	ch := lib.XTcl_StackChannel(bd.t(), interp, bd.chanType, handle, int32(mask), below)
	if ch == 0 {
		bd.forget(handle)
	}
	l.self = ch
	return ch
}

// SetPlan implements the plan's part that applies without a C data
// path: Release (tcl.Plan).
func (bd *Binding) SetPlan(ch uintptr, p tcl.Plan) {
	if l := bd.layer(bd.LayerOf(ch)); l != nil {
		l.release = p.Release
	}
}

// inputEnded records how an input of the layer ran out of data, for the
// watch that follows it (releaseInputBuffer).
func (bd *Binding) inputEnded(handle uintptr, n int, e syscall.Errno, asked int) {
	if l := bd.layer(handle); l != nil {
		l.starved = tcl.Starved(n, e, asked)
	}
}

// releaseInputBuffer is the watch procedure's first step: it gives back
// the empty input buffer Tcl keeps for the channel when the last input
// ran out of data as the plan says it should. Tcl frees its empty input
// buffers when the buffer size changes, so the size is changed and put
// back: only from a watch that is the one call in the layer (between
// channel operations) and only when the layer is on top, so that no read
// of Tcl's is filling the buffer; buffers holding data are not touched.
// glue.c's ReleaseInputBuffer is the same for the C host.
func (bd *Binding) releaseInputBuffer(handle uintptr) {
	l := bd.layer(handle)
	if l == nil || l.starved == 0 || l.depth != 1 {
		return
	}
	why := l.starved
	l.starved = 0
	tls := bd.t()
	if why&l.release == 0 || l.closed || lib.XTcl_GetTopChannel(tls, l.self) != l.self {
		return
	}
	size := lib.XTcl_GetChannelBufferSize(tls, l.self)
	other := size - 1
	if size <= 1 {
		other = size + 1
	}
	lib.XTcl_SetChannelBufferSize(tls, l.self, other)
	lib.XTcl_SetChannelBufferSize(tls, l.self, size)
}

func (bd *Binding) layer(handle uintptr) *layer {
	bd.layersMu.Lock()
	defer bd.layersMu.Unlock()
	return bd.layers[handle]
}

// forget drops the record of a layer that is gone.
func (bd *Binding) forget(handle uintptr) {
	bd.layersMu.Lock()
	delete(bd.layers, handle)
	bd.layersMu.Unlock()
}

// LayerOf implements tcl.Binding: a layer's record is found by its
// driver handle.
func (bd *Binding) LayerOf(ch uintptr) uintptr {
	return lib.XTcl_GetChannelInstanceData(bd.t(), ch)
}

// LayerEnter implements tcl.Binding.
func (bd *Binding) LayerEnter(handle uintptr) {
	l := bd.layer(handle)
	l.depth++
	l.entries++
}

// LayerLeave implements tcl.Binding.
func (bd *Binding) LayerLeave(handle uintptr) bool {
	l := bd.layer(handle)
	if l.depth--; l.depth > 0 || !l.closed {
		return false
	}
	bd.forget(handle)
	return true
}

// LayerDepth implements tcl.Binding.
func (bd *Binding) LayerDepth(handle uintptr) int { return bd.layer(handle).depth }

// LayerEntries implements tcl.Binding.
func (bd *Binding) LayerEntries(handle uintptr) uint64 { return bd.layer(handle).entries }

// enterProc and leaveProc bracket a procedure of the channel type as
// LayerEnter and LayerLeave do, and release a closed layer after the
// last call out of it.
func (bd *Binding) enterProc(handle uintptr) uintptr {
	bd.LayerEnter(handle)
	return handle
}

func (bd *Binding) leaveProc(handle uintptr) {
	if bd.LayerLeave(handle) {
		tcl.ChanRelease(handle)
	}
}

// closeLayer is the close procedure: the layer is marked closed, and
// released when the last call leaves it (this one, when no other is
// under way).
func (bd *Binding) closeLayer(handle, interp uintptr) int {
	defer bd.leaveProc(bd.enterProc(handle))
	bd.layer(handle).closed = true
	return tcl.ChanClose(handle, interp, false)
}

// UnstackChannel implements tcl.Binding.
func (bd *Binding) UnstackChannel(interp, ch uintptr) int {
	return int(lib.XTcl_UnstackChannel(bd.t(), interp, ch))
}

// SetChannelTypeName implements tcl.Binding.
func (bd *Binding) SetChannelTypeName(name string) {
	(*lib.Tcl_ChannelType)(cmem(bd.chanType)).FtypeName = mustCString(name)
}

// SetChannelError implements tcl.Binding.
func (bd *Binding) SetChannelError(ch uintptr, msg string, code []string) {
	lib.XTcl_SetChannelError(bd.t(), ch, tcl.ChannelErrorObj(bd, msg, code))
}

// driverProc returns the instance data and a procedure of a channel's
// type, read with one of Tcl's Tcl_Channel*Proc accessors.
func (bd *Binding) driverProc(ch uintptr, get func(*libc.TLS, uintptr) uintptr) (data, proc uintptr) {
	tls := bd.t()
	return lib.XTcl_GetChannelInstanceData(tls, ch), get(tls, lib.XTcl_GetChannelType(tls, ch))
}

// DriverWatch implements tcl.Binding.
func (bd *Binding) DriverWatch(ch uintptr, mask int) {
	data, proc := bd.driverProc(ch, lib.XTcl_ChannelWatchProc)
	if proc != 0 {
		(*(*func(*libc.TLS, uintptr, int32))(unsafe.Pointer(&proc)))(bd.t(), data, int32(mask))
	}
}

// DriverBlockMode implements tcl.Binding.
func (bd *Binding) DriverBlockMode(ch uintptr, mode int) syscall.Errno {
	data, proc := bd.driverProc(ch, lib.XTcl_ChannelBlockModeProc)
	if proc == 0 {
		return 0
	}
	return syscall.Errno((*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&proc)))(bd.t(), data, int32(mode)))
}

// DriverGetOption implements tcl.Binding.
func (bd *Binding) DriverGetOption(ch, interp uintptr, name string, ds uintptr) int {
	var cs uintptr
	if name != "" {
		cs = bd.cstring(name)
		defer bd.free(cs)
	}
	data, proc := bd.driverProc(ch, lib.XTcl_ChannelGetOptionProc)
	if proc == 0 {
		if name == "" {
			return tcl.OK
		}
		empty := bd.cstring("")
		defer bd.free(empty)
		return int(lib.XTcl_BadChannelOption(bd.t(), interp, cs, empty))
	}
	return int((*(*func(*libc.TLS, uintptr, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&proc)))(bd.t(), data, interp, cs, ds))
}

// DriverSetOption implements tcl.Binding.
func (bd *Binding) DriverSetOption(ch, interp uintptr, name, value string) int {
	data, proc := bd.driverProc(ch, lib.XTcl_ChannelSetOptionProc)
	if proc == 0 {
		return bd.BadChannelOption(interp, name, "")
	}
	cn, cv := bd.cstring(name), bd.cstring(value)
	defer bd.free(cn)
	defer bd.free(cv)
	return int((*(*func(*libc.TLS, uintptr, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&proc)))(bd.t(), data, interp, cn, cv))
}

// DriverGetHandle implements tcl.Binding.
func (bd *Binding) DriverGetHandle(ch uintptr, direction int) (uintptr, bool) {
	tls := bd.t()
	// Tcl_GetChannelHandle leaves a channel error behind when the bottom
	// of the stack has no handles (reflected channels): check first.
	bottom := ch
	for below := lib.XTcl_GetStackedChannel(tls, bottom); below != 0; below = lib.XTcl_GetStackedChannel(tls, bottom) {
		bottom = below
	}
	if lib.XTcl_ChannelGetHandleProc(tls, lib.XTcl_GetChannelType(tls, bottom)) == 0 {
		return 0, false
	}
	bp := tls.Alloc(8)
	defer tls.Free(8)
	if lib.XTcl_GetChannelHandle(tls, ch, int32(direction), bp) != tcl.OK {
		return 0, false
	}
	return *(*uintptr)(cmem(bp)), true
}

// DriverThreadAction implements tcl.Binding.
func (bd *Binding) DriverThreadAction(ch uintptr, action int) {
	data, proc := bd.driverProc(ch, lib.XTcl_ChannelThreadActionProc)
	if proc != 0 {
		(*(*func(*libc.TLS, uintptr, int32))(unsafe.Pointer(&proc)))(bd.t(), data, int32(action))
	}
}

// DStringAppend implements tcl.Binding.
func (bd *Binding) DStringAppend(ds uintptr, s string) {
	withStringCopy(bd, s, func(p uintptr) uintptr {
		return lib.XTcl_DStringAppend(bd.t(), ds, p, int32(len(s)))
	})
}

// DStringAppendElement implements tcl.Binding.
func (bd *Binding) DStringAppendElement(ds uintptr, s string) {
	cs := bd.cstring(s)
	defer bd.free(cs)
	lib.XTcl_DStringAppendElement(bd.t(), ds, cs)
}

// CreateTimer implements tcl.Binding.
func (bd *Binding) CreateTimer(ms int, handle uintptr) uintptr {
	return lib.XTcl_CreateTimerHandler(bd.t(), int32(ms), funcAddr(timerProc), handle)
}

// DeleteTimer implements tcl.Binding.
func (bd *Binding) DeleteTimer(token uintptr) { lib.XTcl_DeleteTimerHandler(bd.t(), token) }

// HoldChannel implements tcl.Binding.
func (bd *Binding) HoldChannel(ch uintptr) { lib.XTcl_RegisterChannel(bd.t(), 0, ch) }

// ReleaseChannel implements tcl.Binding.
func (bd *Binding) ReleaseChannel(ch uintptr) { lib.XTcl_UnregisterChannel(bd.t(), 0, ch) }

// IsChannelShared implements tcl.Binding.
func (bd *Binding) IsChannelShared(ch uintptr) bool {
	return lib.XTcl_IsChannelShared(bd.t(), ch) != 0
}

// CallWhenDeleted implements tcl.Binding.
func (bd *Binding) CallWhenDeleted(interp, handle uintptr) {
	lib.XTcl_CallWhenDeleted(bd.t(), interp, funcAddr(interpDeleted), handle)
}

// DontCallWhenDeleted implements tcl.Binding.
func (bd *Binding) DontCallWhenDeleted(interp, handle uintptr) {
	lib.XTcl_DontCallWhenDeleted(bd.t(), interp, funcAddr(interpDeleted), handle)
}

// String names the binding in messages.
func (bd *Binding) String() string { return "modernc.org/tcl binding" }
