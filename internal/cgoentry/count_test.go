//go:build tlstest

package cgoentry

import "testing"

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
