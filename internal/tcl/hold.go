package tcl

import "runtime/cgo"

// Hold adds a reference to the channel that no interpreter owns, as
// Tcl_RegisterChannel(NULL, chan) does: a `close` of the channel in every
// interpreter then leaves it open until Release.
func (c Channel) Hold() { b.HoldChannel(c.p) }

// Release drops a reference taken by Hold. When it was the last one the
// channel is closed at once, so call it only where the channel's driver
// may run.
func (c Channel) Release() { b.ReleaseChannel(c.p) }

// Shared reports whether more than one reference to the channel is held.
// After Hold, false means that every interpreter has closed it.
func (c Channel) Shared() bool { return b.IsChannelShared(c.p) }

// DeleteNotice is a function registered with OnDelete.
type DeleteNotice struct {
	interp Interp
	h      cgo.Handle
}

// OnDelete arranges for fn to run when the interpreter is deleted (from
// Tcl_CallWhenDeleted), so that whoever keeps the interpreter in a
// structure that may outlive it can forget it in time. Cancel undoes it.
func (i Interp) OnDelete(fn func()) *DeleteNotice {
	n := &DeleteNotice{interp: i}
	n.h = cgo.NewHandle(func() {
		n.h = 0
		fn()
	})
	b.CallWhenDeleted(i.p, uintptr(n.h))
	return n
}

// Cancel stops a notice that has not run yet. Cancelling nil, or a notice
// that ran already, does nothing.
func (n *DeleteNotice) Cancel() {
	if n == nil || n.h == 0 {
		return
	}
	b.DontCallWhenDeleted(n.interp.p, uintptr(n.h))
	n.h.Delete()
	n.h = 0
}
