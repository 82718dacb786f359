package tcl

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Obj is a Tcl value. Reference counts follow Tcl's rules: a new Obj has
// count zero and belongs to whoever takes it (a result, a list); hold one
// beyond that with IncrRef and let go with DecrRef.
type Obj struct{ p uintptr }

// Handle returns the binding's handle of the object.
func (o Obj) Handle() uintptr { return o.p }

// IsZero reports whether o is no object.
func (o Obj) IsZero() bool { return o.p == 0 }

// NewString makes a string object.
func NewString(s string) Obj { return Obj{b.NewStringObj(s)} }

// NewInt makes an integer object.
func NewInt(v int64) Obj { return Obj{b.NewWideIntObj(v)} }

// NewBool makes the integer 0 or 1, as Tcl commands report booleans.
func NewBool(v bool) Obj {
	if v {
		return NewInt(1)
	}
	return NewInt(0)
}

// NewBytes makes a byte array object (Tcl copies b).
func NewBytes(p []byte) Obj { return Obj{b.NewByteArrayObj(p)} }

// NewList makes a list of the given elements.
func NewList(elems ...Obj) Obj {
	l := Obj{b.NewListObj()}
	for _, e := range elems {
		l.Append(e)
	}
	return l
}

// NewStringList makes a list of strings.
func NewStringList(elems []string) Obj {
	l := NewList()
	for _, e := range elems {
		l.Append(NewString(e))
	}
	return l
}

// Append adds an element to an unshared list.
func (o Obj) Append(e Obj) { b.ListAppend(0, o.p, e.p) }

// AppendPair adds a key and its value to an unshared list.
func (o Obj) AppendPair(key string, value Obj) {
	o.Append(NewString(key))
	o.Append(value)
}

// String returns the object's string representation.
func (o Obj) String() string { return b.GetString(o.p) }

// Bytes returns the object's value as a byte array (a copy). Every
// character of the value must be U+0000 to U+00FF, one byte each; a value
// holding a character above U+00FF is a *NotBytesError, in every host.
// (Tcl 9's Tcl_GetByteArrayFromObj gives no bytes at all for such a
// value, Tcl 8.6's keeps the low byte of each character: both would pass
// something other than the script's data on without a word.)
func (o Obj) Bytes() ([]byte, error) {
	if err := checkBytes(o.String()); err != nil {
		return nil, err
	}
	return b.GetByteArray(o.p), nil
}

// NotBytesError reports a value that is not binary data: the character
// at Index (counted in characters) is Char, above U+00FF.
type NotBytesError struct {
	Index int
	Char  rune
}

func (e *NotBytesError) Error() string {
	return fmt.Sprintf("expected binary data but character %d is U+%04X, "+
		"above U+00FF", e.Index, e.Char)
}

// checkBytes walks a value's string representation, Tcl's internal
// UTF-8: NUL is the pair C0 80, and Tcl 8.6 spells characters above
// U+FFFF as two encoded surrogates.
func checkBytes(s string) error {
	for i, k := 0, 0; i < len(s); k++ {
		c := s[i]
		if c < 0x80 {
			i++
			continue
		}
		if c == 0xC0 && i+1 < len(s) && s[i+1] == 0x80 {
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			r = surrogateAt(s[i:])
		}
		if r > 0xFF || r == utf8.RuneError {
			return &NotBytesError{Index: k, Char: r}
		}
		i += n
	}
	return nil
}

// surrogateAt decodes an encoded surrogate (or a pair of them, as one
// character) at the start of s, for the error message; anything else is
// utf8.RuneError.
func surrogateAt(s string) rune {
	at := func(s string) rune {
		if len(s) < 3 || s[0] != 0xED || s[1]&0xC0 != 0x80 || s[2]&0xC0 != 0x80 {
			return -1
		}
		return rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
	}
	hi := at(s)
	if hi < 0 {
		return utf8.RuneError
	}
	if lo := at(s[3:]); hi < 0xDC00 && lo >= 0xDC00 {
		return utf16.DecodeRune(hi, lo)
	}
	return hi
}

// Int reads the object as an integer, leaving Tcl's message in interp on
// failure.
func (o Obj) Int(interp Interp) (int64, error) {
	v, ok := b.GetWideInt(interp.p, o.p)
	if !ok {
		return 0, ErrResult
	}
	return v, nil
}

// Bool reads the object as a Tcl boolean.
func (o Obj) Bool(interp Interp) (bool, error) {
	v, ok := b.GetBoolean(interp.p, o.p)
	if !ok {
		return false, ErrResult
	}
	return v, nil
}

// List returns the elements of a list.
func (o Obj) List(interp Interp) ([]Obj, error) {
	ps, ok := b.ListElements(interp.p, o.p)
	if !ok {
		return nil, ErrResult
	}
	return objs(ps), nil
}

// objs copies handles out of Tcl's memory into Objs.
func objs(ps []uintptr) []Obj {
	out := make([]Obj, len(ps))
	for k, p := range ps {
		out[k] = Obj{p}
	}
	return out
}

// IncrRef adds a reference.
func (o Obj) IncrRef() { b.IncrRefCount(o.p) }

// DecrRef drops a reference, freeing the object at zero.
func (o Obj) DecrRef() { b.DecrRefCount(o.p) }

// WithArgs returns a new unshared list of o's elements followed by args:
// a command prefix with its arguments appended, ready to evaluate.
func (o Obj) WithArgs(interp Interp, args ...Obj) (Obj, error) {
	elems, err := o.List(interp)
	if err != nil {
		return Obj{}, err
	}
	l := NewList(elems...)
	for _, a := range args {
		l.Append(a)
	}
	return l, nil
}
