//go:build !unix

package tcl

import "time"

// waitWritable cannot wait on an OS handle here: the caller falls back
// to retrying (see Channel.WaitWritable).
func waitWritable(fd uintptr, timeout time.Duration) (ready, ok bool) { return false, false }
