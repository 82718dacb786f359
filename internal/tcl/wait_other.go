//go:build !linux

package tcl

import "time"

// waitWritable does not wait on an OS handle outside Linux: the caller falls back
// to retrying (see Channel.WaitWritable).
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) { return false, false }
