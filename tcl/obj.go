package tcl

/*
#include "glue.h"
*/
import "C"

import "unsafe"

// Obj is a Tcl value. Reference counts follow Tcl's rules: a new Obj has
// count zero and belongs to whoever takes it (a result, a list); hold one
// beyond that with IncrRef and let go with DecrRef.
type Obj struct{ p *C.Tcl_Obj }

// IsZero reports whether o is no object.
func (o Obj) IsZero() bool { return o.p == nil }

// NewString makes a string object.
func NewString(s string) Obj {
	if len(s) == 0 {
		return Obj{C.tclgo_NewStringObj(nil, 0)}
	}
	p := unsafe.Pointer(unsafe.StringData(s))
	return Obj{C.tclgo_NewStringObj((*C.char)(p), C.int(len(s)))}
}

// NewInt makes an integer object.
func NewInt(v int64) Obj { return Obj{C.tclgo_NewWideIntObj(C.Tcl_WideInt(v))} }

// NewBool makes the integer 0 or 1, as Tcl commands report booleans.
func NewBool(b bool) Obj {
	if b {
		return NewInt(1)
	}
	return NewInt(0)
}

// NewBytes makes a byte array object.
func NewBytes(b []byte) Obj {
	if len(b) == 0 {
		return Obj{C.tclgo_NewByteArrayObj(nil, 0)}
	}
	return Obj{C.tclgo_NewByteArrayObj((*C.uchar)(unsafe.Pointer(&b[0])), C.int(len(b)))}
}

// NewList makes a list of the given elements.
func NewList(elems ...Obj) Obj {
	l := Obj{C.tclgo_NewListObj()}
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
func (o Obj) Append(e Obj) { C.tclgo_ListAppend(nil, o.p, e.p) }

// AppendPair adds a key and its value to an unshared list.
func (o Obj) AppendPair(key string, value Obj) {
	o.Append(NewString(key))
	o.Append(value)
}

// String returns the object's string representation.
func (o Obj) String() string {
	var n C.int
	s := C.tclgo_GetString(o.p, &n)
	return C.GoStringN(s, n)
}

// Bytes returns the object's value as a byte array (a copy).
func (o Obj) Bytes() []byte {
	var n C.int
	b := C.tclgo_GetByteArray(o.p, &n)
	return C.GoBytes(unsafe.Pointer(b), n)
}

// Int reads the object as an integer, leaving Tcl's message in interp on
// failure.
func (o Obj) Int(interp Interp) (int64, error) {
	var v C.Tcl_WideInt
	if C.tclgo_GetWideInt(interp.p, o.p, &v) != OK {
		return 0, ErrResult
	}
	return int64(v), nil
}

// Bool reads the object as a Tcl boolean.
func (o Obj) Bool(interp Interp) (bool, error) {
	var v C.int
	if C.tclgo_GetBoolean(interp.p, o.p, &v) != OK {
		return false, ErrResult
	}
	return v != 0, nil
}

// List returns the elements of a list.
func (o Obj) List(interp Interp) ([]Obj, error) {
	var n C.int
	var v **C.Tcl_Obj
	if C.tclgo_ListElements(interp.p, o.p, &n, &v) != OK {
		return nil, ErrResult
	}
	ps := unsafe.Slice(v, int(n))
	out := make([]Obj, len(ps))
	for k, p := range ps {
		out[k] = Obj{p}
	}
	return out, nil
}

// IncrRef adds a reference.
func (o Obj) IncrRef() { C.tclgo_IncrRefCount(o.p) }

// DecrRef drops a reference, freeing the object at zero.
func (o Obj) DecrRef() { C.tclgo_DecrRefCount(o.p) }

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
