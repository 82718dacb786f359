//go:build !tlstest

package cgoentry

// count does nothing outside a test build: the library users get counts
// nothing.
func count() {}
