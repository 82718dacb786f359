package tcl

import (
	"errors"
	"testing"
)

// TestCheckBytes covers the byte-array check on Tcl's internal UTF-8,
// including its spelling of NUL and Tcl 8.6's surrogate pairs.
func TestCheckBytes(t *testing.T) {
	for _, c := range []struct {
		in    string
		index int
		char  rune // 0: no error
	}{
		{"", 0, 0},
		{"plain ASCII", 0, 0},
		{"\xC0\x80 NUL as Tcl spells it", 0, 0},
		{"\u00e9\u00ff latin-1", 0, 0},
		{"ab\u0100", 2, 0x100},
		{"\u00e9\u20ac", 1, 0x20AC},
		{"x\U0001F600", 1, 0x1F600},               // Tcl 9: four bytes
		{"x\xED\xA0\xBD\xED\xB8\x80", 1, 0x1F600}, // Tcl 8.6: a surrogate pair
		{"x\xED\xB8\x80", 1, 0xDE00},              // a lone low surrogate
		{"\xC0\x80\xFF", 1, 0xFFFD},               // not UTF-8 at all
	} {
		err := checkBytes(c.in)
		var nb *NotBytesError
		switch {
		case c.char == 0 && err != nil:
			t.Errorf("%q: unexpected error %v", c.in, err)
		case c.char != 0 && !errors.As(err, &nb):
			t.Errorf("%q: got %v, want a NotBytesError", c.in, err)
		case c.char != 0 && (nb.Index != c.index || nb.Char != c.char):
			t.Errorf("%q: got character %d U+%04X, want %d U+%04X",
				c.in, nb.Index, nb.Char, c.index, c.char)
		}
	}
}
