package tcl

import "testing"

// TestListString checks the errorCode lists a channel error carries: what
// Tcl's list parser would read back as the same words.
func TestListString(t *testing.T) {
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{nil, ""},
		{[]string{"TLS", "HANDSHAKE", "FAILED"}, "TLS HANDSHAKE FAILED"},
		{[]string{"TLS", "VERIFY", "self-signed certificate"}, "TLS VERIFY {self-signed certificate}"},
		{[]string{"", "#x", "a$b"}, "{} {#x} {a$b}"},
		{[]string{"a{b", `c\d e`}, `a\{b c\\d\ e`},
		{[]string{"x\ny"}, "{x\ny}"},
	} {
		if got := listString(tc.words); got != tc.want {
			t.Errorf("listString(%q) = %q, want %q", tc.words, got, tc.want)
		}
	}
}
