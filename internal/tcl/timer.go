package tcl

import "runtime/cgo"

// Timer is a pending Tcl timer handler.
type Timer struct {
	token uintptr
	h     cgo.Handle
}

// After runs fn once from the event loop after ms milliseconds (0: at the
// next pass of the event loop). It must be called on a Tcl thread.
func After(ms int, fn func()) *Timer {
	t := &Timer{}
	t.h = cgo.NewHandle(func() {
		t.h = 0
		fn()
	})
	t.token = b.CreateTimer(ms, uintptr(t.h))
	return t
}

// Cancel stops a timer that has not fired. Cancelling nil, or a timer
// that fired already, does nothing.
func (t *Timer) Cancel() {
	if t == nil || t.h == 0 {
		return
	}
	b.DeleteTimer(t.token)
	t.h.Delete()
	t.h = 0
}
