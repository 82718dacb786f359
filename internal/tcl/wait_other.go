//go:build !linux

package tcl

import "time"

// waitWritable does not wait on an OS handle outside Linux: the caller falls back
// to retrying (see Channel.WaitWritable).
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) { return false, false }

// inputWaiting cannot tell outside Linux (see Channel.InputWaiting).
func inputWaiting(fd uintptr) bool { return false }
