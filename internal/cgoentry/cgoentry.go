// Package cgoentry is the first thing every call from C into Go does.
//
// It counts those calls, the costly direction of cgo, so that the
// benchmark can report them per MiB moved. Counting is off unless the
// environment variable TLS_COUNT_CROSSINGS is set (to anything but "" or
// "0") when the library loads.
//
// It also keeps the Go scheduler from fighting the threads that call in.
// A Tcl thread runs C (Tcl, OpenSSL) almost all the time and enters Go
// only through these calls, so the Go scheduler never switches
// goroutines on the processor (P) that thread holds. Go's monitor
// thread takes any P whose goroutine has not changed for 10 ms (as it
// would preempt a goroutine that runs too long), and once that is so it
// takes the P back at every tick in which the thread is in C: each time
// the monitor wakes up, hands the P to a freshly woken thread that finds
// nothing to do, and the calling thread must win a P back on its next
// call. On a busy server that is several thread wake-ups per
// connection. A yield (runtime.Gosched) on a calling thread at most
// every few milliseconds counts as a switch, which is all the monitor
// looks at; it costs two wake-ups per interval instead of several per
// connection.
package cgoentry

import (
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// yieldEvery is the longest time between yields: well inside the
// monitor's 10 ms, which it measures from when it last saw a switch.
const yieldEvery = 5 * time.Millisecond

var (
	// epoch anchors the monotonic clock that lastYield is read on.
	epoch = time.Now()
	// lastYield is when a calling thread last yielded, since epoch.
	lastYield atomic.Int64
)

var (
	on = enabled(os.Getenv("TLS_COUNT_CROSSINGS"))
	n  atomic.Uint64
)

func enabled(v string) bool { return v != "" && v != "0" }

// Enter records one call from C into Go, and yields to the Go scheduler
// when no call has done so for yieldEvery (see the package comment).
// Every function exported to C calls it first, before it takes any lock.
func Enter() {
	if now := int64(time.Since(epoch)); now-lastYield.Load() >= int64(yieldEvery) {
		lastYield.Store(now)
		runtime.Gosched()
	}
	if on {
		n.Add(1)
	}
}

// Enabled reports whether calls are being counted.
func Enabled() bool { return on }

// Total returns the calls counted since the library loaded.
func Total() uint64 { return n.Load() }
