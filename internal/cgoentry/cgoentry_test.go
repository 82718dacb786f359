package cgoentry

import (
	"testing"
	"time"
)

func TestEnabled(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "1": true, "yes": true} {
		if got := enabled(v); got != want {
			t.Errorf("enabled(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestEnter(t *testing.T) {
	saved := on
	defer func() { on = saved }()
	on = false
	before := Total()
	Enter()
	if Total() != before {
		t.Fatal("counted while off")
	}
	on = true
	Enter()
	Enter()
	if Total() != before+2 {
		t.Fatalf("Total = %d, want %d", Total(), before+2)
	}
}

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
