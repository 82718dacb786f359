// Package cgoentry is the first thing every call from C into Go does.
//
// It keeps the Go scheduler from fighting the threads that call in.
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
//
// In a test build of the library (build tag tlstest) it also counts
// those calls, the costly direction of cgo, so that the tests and the
// benchmark can see how many a transfer makes (count.go); the library
// users get has no counter.
package cgoentry

import (
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

// Enter records one call from C into Go (in a test build), and yields to the Go scheduler
// when no call has done so for yieldEvery (see the package comment).
// Every function exported to C calls it first, before it takes any lock.
func Enter() {
	if now := int64(time.Since(epoch)); now-lastYield.Load() >= int64(yieldEvery) {
		lastYield.Store(now)
		runtime.Gosched()
	}
	count()
}
