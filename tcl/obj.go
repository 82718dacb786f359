package tcl

// Obj is a Tcl value. Reference counts follow Tcl's rules: a new Obj has
// count zero and belongs to whoever takes it (a result, a list); hold one
// beyond that with IncrRef and let go with DecrRef.
type Obj struct{ p uintptr }

// MakeObj wraps a binding's object handle.
func MakeObj(p uintptr) Obj { return Obj{p} }

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

// Bytes returns the object's value as a byte array (a copy).
func (o Obj) Bytes() []byte { return b.GetByteArray(o.p) }

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
