package cgoentry

import (
	"testing"
	"time"
)

// TestEnterYields checks that Enter yields when no call has for
// yieldEvery, and only then.
func TestEnterYields(t *testing.T) {
	lastYield.Store(int64(time.Since(epoch)) - int64(time.Hour))
	Enter()
	first := lastYield.Load()
	if since := int64(time.Since(epoch)) - first; since < 0 || since > int64(time.Minute) {
		t.Fatalf("Count did not yield after an hour without: last yield %v ago", time.Duration(since))
	}
	Enter()
	if lastYield.Load() != first && int64(time.Since(epoch))-first < int64(yieldEvery) {
		t.Fatal("Enter yielded again within yieldEvery")
	}
}
