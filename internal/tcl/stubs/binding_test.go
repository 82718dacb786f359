package stubs

import (
	"testing"

	"github.com/tclgo/tls/internal/tcl"
)

// TestConstants checks package tcl's copies of tcl.h's values against
// the header this binding compiles with.
func TestConstants(t *testing.T) {
	want := []struct {
		name string
		v    int
	}{
		{"TCL_EVAL_GLOBAL", tcl.EvalGlobal}, {"TCL_GLOBAL_ONLY", tcl.GlobalOnly},
		{"TCL_LEAVE_ERR_MSG", tcl.LeaveErrMsg}, {"TCL_READABLE", tcl.Readable},
		{"TCL_WRITABLE", tcl.Writable}, {"TCL_EXCEPTION", tcl.Exception},
		{"TCL_MODE_BLOCKING", tcl.ModeBlocking}, {"TCL_MODE_NONBLOCKING", tcl.ModeNonblocking},
		{"TCL_CHANNEL_THREAD_INSERT", tcl.ChannelThreadInsert},
		{"TCL_CHANNEL_THREAD_REMOVE", tcl.ChannelThreadRemove},
		{"TCL_OK", tcl.OK}, {"TCL_ERROR", tcl.ERROR}, {"TCL_RETURN", tcl.RETURN},
		{"TCL_BREAK", tcl.BREAK}, {"TCL_CONTINUE", tcl.CONTINUE},
	}
	for k, w := range want {
		if got := constant(k); got != w.v {
			t.Errorf("%s: tcl.h has %d, package tcl %d", w.name, got, w.v)
		}
	}
}
