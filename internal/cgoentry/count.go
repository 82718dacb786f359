//go:build tlstest

package cgoentry

import (
	"os"
	"sync/atomic"
)

// Counting is on when the environment variable TLS_COUNT_CROSSINGS is
// set (to anything but "" or "0") as the library loads.
var (
	on = enabled(os.Getenv("TLS_COUNT_CROSSINGS"))
	n  atomic.Uint64
)

func enabled(v string) bool { return v != "" && v != "0" }

// count adds one call, when counting.
func count() {
	if on {
		n.Add(1)
	}
}

// Enabled reports whether calls are being counted.
func Enabled() bool { return on }

// Total returns the calls counted since the library loaded.
func Total() uint64 { return n.Load() }
