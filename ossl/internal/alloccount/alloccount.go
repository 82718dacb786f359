// Package alloccount counts OpenSSL's memory in a test binary started
// with the environment variable TLSGO_COUNT_ALLOCS set (alloccount.c
// replaces OpenSSL's allocation functions then). Only tests import it,
// so the library itself never carries the replacement.
package alloccount

// #cgo pkg-config: libcrypto
// unsigned long long tlsgo_alloc_count(void);
// long long tlsgo_alloc_live(long long *records);
import "C"

// Large returns how many allocations of 4 KiB or more OpenSSL has made,
// when the process started with TLSGO_COUNT_ALLOCS set; 0 otherwise.
func Large() uint64 { return uint64(C.tlsgo_alloc_count()) }

// Held returns the bytes OpenSSL holds and how many of the blocks it
// holds are 16 KiB or more (the size of a record buffer), when the
// process started with TLSGO_COUNT_ALLOCS set; zeros otherwise.
func Held() (bytes, records int64) {
	var r C.longlong
	b := C.tlsgo_alloc_live(&r)
	return int64(b), int64(r)
}
