// Package crossings counts calls from C into Go, the costly direction of
// cgo, so that the benchmark can report them per MiB moved. Counting is
// off unless the environment variable TLS_COUNT_CROSSINGS is set (to
// anything but "" or "0") when the library loads; off, Count is one load
// of a constant flag and a branch.
package crossings

import (
	"os"
	"sync/atomic"
)

var (
	on = enabled(os.Getenv("TLS_COUNT_CROSSINGS"))
	n  atomic.Uint64
)

func enabled(v string) bool { return v != "" && v != "0" }

// Count records one call from C into Go. Every function exported to C
// calls it first.
func Count() {
	if on {
		n.Add(1)
	}
}

// Enabled reports whether calls are being counted.
func Enabled() bool { return on }

// Total returns the calls counted since the library loaded.
func Total() uint64 { return n.Load() }
