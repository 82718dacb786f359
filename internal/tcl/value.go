package tcl

import "fmt"

// NewValue makes an object from a Go value: a string, an int or int64,
// a bool (0 or 1), a []byte (byte array), a []string (list of strings) or
// an Obj. Any other value is rendered with fmt.
func NewValue(v any) Obj {
	switch x := v.(type) {
	case Obj:
		return x
	case string:
		return NewString(x)
	case int:
		return NewInt(int64(x))
	case int64:
		return NewInt(x)
	case bool:
		return NewBool(x)
	case []byte:
		return NewBytes(x)
	case []string:
		return NewStringList(x)
	case nil:
		return NewString("")
	}
	return NewString(fmt.Sprint(v))
}
