package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"fmt"
	"unsafe"
)

// ProtocolNames lists the protocol names of tls::ciphers, in order, with
// the Protocols value of each.
var ProtocolNames = []struct {
	Name string
	P    Protocols
}{
	{"ssl2", SSL2}, {"ssl3", SSL3}, {"tls1", TLS1},
	{"tls1.1", TLS1_1}, {"tls1.2", TLS1_2}, {"tls1.3", TLS1_3},
}

// Supported reports whether this OpenSSL build can negotiate the single
// protocol p.
func Supported(p Protocols) bool {
	for _, pi := range protocolTable {
		if pi.p == p {
			return pi.supported()
		}
	}
	return false
}

// SupportedProtocols returns the names (as in ProtocolNames) of the
// versions this OpenSSL build can negotiate, lowest first.
func SupportedProtocols() []string {
	var out []string
	for _, pn := range ProtocolNames {
		if Supported(pn.P) {
			out = append(out, pn.Name)
		}
	}
	return out
}

// Ciphers returns the ciphers of a context limited to the single protocol
// p (every protocol this OpenSSL can use when p is 0) under OpenSSL's
// default configuration: the whole default list
// (SSL_get_ciphers, TLS 1.3 suites included whatever p is) or, with
// supported, those a client would offer for p (SSL_get1_supported_ciphers).
// With verbose each entry is OpenSSL's one-line description, ending in a
// newline, instead of the name.
func Ciphers(p Protocols, supported, verbose bool) ([]string, error) {
	var version C.int // 0: no bound, as SSL_CTX_set_min_proto_version has it
	for _, pi := range protocolTable {
		if pi.p == p && pi.supported() {
			version = pi.version
		}
	}
	if version == 0 && p != 0 {
		return nil, fmt.Errorf("protocol not supported")
	}
	var b C.tlsgo_bytes
	r := C.tlsgo_cipher_catalogue(version, C.int(boolInt(supported)), C.int(boolInt(verbose)), &b)
	if err := check("SSL_get_ciphers", "unable to list ciphers", r); err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(b.p))
	items := splitItems(C.GoBytes(unsafe.Pointer(b.p), b.n))
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out, nil
}
