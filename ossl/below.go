package ossl

// #include <stdint.h>
// uintptr_t tlsgo_go_below_new(uintptr_t handle);
// uintptr_t tlsgo_go_below_free(uintptr_t below);
import "C"

import (
	"runtime/cgo"
	"syscall"
	"unsafe"

	"github.com/tclgo/tls/internal/cgoentry"
)

// Below is the channel under a connection as the connection's C loops
// read and write it (Pull, Fill, Flush): the address of a tlsgo_below
// (internal/fastpath/fastpath.h). A binding with C channel code gives its
// own; NewBelow makes one over Go code.
type Below uintptr

// BelowIO is a channel below implemented in Go. ReadBelow and WriteBelow
// return what the host's raw channel calls return (the count, 0 for an
// end of file or nothing taken, or -1 and the errno) and whether a
// script the channel below ran entered the layer meanwhile.
type BelowIO interface {
	ReadBelow(p []byte) (n int, e syscall.Errno, entered bool)
	WriteBelow(p []byte) (n int, e syscall.Errno, entered bool)
}

// NewBelow returns a Below whose reads and writes call io; FreeBelow
// releases it. Like Go's own allocations, it does not return when the
// memory is exhausted.
func NewBelow(io BelowIO) Below {
	h := cgo.NewHandle(io)
	b := C.tlsgo_go_below_new(C.uintptr_t(h))
	if b == 0 {
		panic("ossl: out of memory")
	}
	return Below(b)
}

// FreeBelow releases a Below made by NewBelow.
func FreeBelow(b Below) {
	if b == 0 {
		return
	}
	cgo.Handle(C.tlsgo_go_below_free(C.uintptr_t(b))).Delete()
}

// belowCall is a read or write below of a Below made by NewBelow. A
// panic of the call is a failure of the channel below: it must not
// unwind through C.
func belowCall(handle C.uintptr_t, p *C.uchar, n C.size_t, err, entered *C.int,
	call func(BelowIO, []byte) (int, syscall.Errno, bool)) (got C.long) {
	cgoentry.Enter()
	defer func() {
		if recover() != nil {
			*err, got = C.int(syscall.EIO), -1
		}
	}()
	io := cgo.Handle(handle).Value().(BelowIO)
	m, e, in := call(io, unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	*err = C.int(e)
	if in {
		*entered = 1
	}
	return C.long(m)
}

//export tlsgoBelowRead
func tlsgoBelowRead(handle C.uintptr_t, p *C.uchar, n C.size_t, err, entered *C.int) C.long {
	return belowCall(handle, p, n, err, entered, BelowIO.ReadBelow)
}

//export tlsgoBelowWrite
func tlsgoBelowWrite(handle C.uintptr_t, p *C.uchar, n C.size_t, err, entered *C.int) C.long {
	return belowCall(handle, p, n, err, entered, BelowIO.WriteBelow)
}
