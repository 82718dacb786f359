package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// NameEntry is one attribute of a distinguished name: its OpenSSL field
// name (C, ST, L, O, OU, CN, emailAddress) and its value.
type NameEntry struct {
	Field, Value string
}

// SelfSignedRequest says what SelfSigned makes.
type SelfSignedRequest struct {
	Bits    int         // RSA key size, 512 to 16384
	Days    int         // validity from now, in days (negative: expired)
	Serial  int64       // serial number, 0 or more
	Subject []NameEntry // subject and issuer, in order
}

// SelfSigned makes a new RSA key and a version 3 certificate for it,
// signed by itself with SHA-256 (its issuer is its subject), and returns
// both in PEM: the key unencrypted (PKCS#8), then the certificate.
func SelfSigned(r SelfSignedRequest) (key, cert []byte, err error) {
	if initErr != nil {
		return nil, nil, initErr
	}
	if r.Bits < 512 || r.Bits > 16384 {
		return nil, nil, fmt.Errorf("bad key size %d: must be 512 to 16384 bits", r.Bits)
	}
	if r.Days < -100000 || r.Days > 100000 {
		return nil, nil, fmt.Errorf("bad validity %d days: must be -100000 to 100000", r.Days)
	}
	if r.Serial < 0 {
		return nil, nil, fmt.Errorf("bad serial number %d: must not be negative", r.Serial)
	}
	var names []byte
	for _, e := range r.Subject {
		for _, s := range []string{e.Field, e.Value} {
			names = binary.BigEndian.AppendUint32(names, uint32(len(s)))
			names = append(names, s...)
		}
	}
	var np *C.uchar
	if len(names) > 0 {
		cn := C.CBytes(names)
		defer C.free(cn)
		np = (*C.uchar)(cn)
	}
	var kb, cb C.tlsgo_bytes
	res := C.tlsgo_selfsigned(C.int(r.Bits), C.long(r.Days), C.int64_t(r.Serial), np,
		C.int(len(names)), &kb, &cb)
	if err := check("X509_sign", "unable to make the certificate", res); err != nil {
		return nil, nil, err
	}
	defer C.free(unsafe.Pointer(kb.p))
	defer C.free(unsafe.Pointer(cb.p))
	return C.GoBytes(unsafe.Pointer(kb.p), kb.n), C.GoBytes(unsafe.Pointer(cb.p), cb.n), nil
}
