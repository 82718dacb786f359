// Package tclhost creates Tcl interpreters inside a Go program, loading
// the Tcl shared library at run time. It lets Go tests and fuzz targets
// drive the package's commands and channels through a real interpreter,
// the same way tclsh does, without a separate process.
//
// An interpreter belongs to the OS thread that created it: call
// runtime.LockOSThread before New and keep the goroutine on that thread
// until Delete.
package tclhost

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

typedef void (*tclhostFindExecutable)(const char *);
typedef void *(*tclhostCreateInterp)(void);
typedef int (*tclhostInit)(void *);
typedef void (*tclhostDeleteInterp)(void *);

static void *
tclhostOpen(const char *name)
{
    return dlopen(name, RTLD_NOW | RTLD_GLOBAL);
}

static const char *
tclhostError(void)
{
    return dlerror();
}

static void *
tclhostCreate(void *lib, int *initCode)
{
    tclhostFindExecutable findExecutable =
	    (tclhostFindExecutable) dlsym(lib, "Tcl_FindExecutable");
    tclhostCreateInterp createInterp =
	    (tclhostCreateInterp) dlsym(lib, "Tcl_CreateInterp");
    tclhostInit init = (tclhostInit) dlsym(lib, "Tcl_Init");
    void *interp;

    if (findExecutable == NULL || createInterp == NULL || init == NULL) {
	return NULL;
    }
    findExecutable(NULL);
    interp = createInterp();
    *initCode = init(interp);
    return interp;
}

#ifdef __GLIBC__
#include <malloc.h>
#endif

static unsigned long long
tclhostMallocInUse(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 mi = mallinfo2();

    return (unsigned long long) (mi.uordblks + mi.hblkhd);
#else
    return 0;
#endif
}

static void
tclhostDelete(void *lib, void *interp)
{
    tclhostDeleteInterp del = (tclhostDeleteInterp) dlsym(lib, "Tcl_DeleteInterp");

    if (del != NULL) {
	del(interp);
    }
}
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/internal/tcl/stubs"
)

// libraryNames are tried in order; TCLHOST_LIBRARY names another.
var libraryNames = []string{"libtcl8.6.so", "libtcl8.6.so.0", "libtcl.so"}

var lib struct {
	sync.Once
	handle unsafe.Pointer
	err    error
}

func open() (unsafe.Pointer, error) {
	lib.Do(func() {
		names := libraryNames
		if n := os.Getenv("TCLHOST_LIBRARY"); n != "" {
			names = []string{n}
		}
		var msgs []string
		for _, n := range names {
			cn := C.CString(n)
			h := C.tclhostOpen(cn)
			C.free(unsafe.Pointer(cn))
			if h != nil {
				lib.handle = h
				return
			}
			msgs = append(msgs, C.GoString(C.tclhostError()))
		}
		lib.err = fmt.Errorf("tclhost: cannot load the Tcl library: %v", msgs)
	})
	return lib.handle, lib.err
}

// Interp is an interpreter created by New.
type Interp struct {
	tcl.Interp
	p unsafe.Pointer
}

// New creates an interpreter with Tcl's script library initialised (so
// that package require works) and the stubs binding of package tcl installed
// for it.
func New() (*Interp, error) {
	h, err := open()
	if err != nil {
		return nil, err
	}
	var code C.int
	p := C.tclhostCreate(h, &code)
	if p == nil {
		return nil, errors.New("tclhost: the Tcl library lacks Tcl_CreateInterp")
	}
	ip, err := stubs.InitStubs(p)
	if err != nil {
		C.tclhostDelete(h, p)
		return nil, err
	}
	if code != tcl.OK {
		msg := ip.Result().String()
		C.tclhostDelete(h, p)
		return nil, fmt.Errorf("tclhost: Tcl_Init failed: %s", msg)
	}
	return &Interp{Interp: ip, p: p}, nil
}

// Eval evaluates a script at global level and returns its result, or an
// error holding the error message.
func (i *Interp) Eval(script string) (string, error) {
	code := i.Interp.Eval(script, tcl.EvalGlobal)
	res := i.Result().String()
	if code != tcl.OK {
		return res, errors.New(res)
	}
	return res, nil
}

// Delete deletes the interpreter.
func (i *Interp) Delete() {
	if i.p != nil {
		C.tclhostDelete(lib.handle, i.p)
		i.p = nil
	}
}

// MallocInUse returns the bytes the C heap (malloc) has handed out and
// not taken back, in this process: Tcl's and OpenSSL's memory, not Go's.
// It is 0 where the C library cannot tell (glibc before 2.33, other
// systems), so that a test of memory use can skip.
func MallocInUse() uint64 { return uint64(C.tclhostMallocInUse()) }
