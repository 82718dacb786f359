package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net"
	"strconv"
	"unsafe"
)

// Field is one key of a description (a certificate, a connection) with its
// value: a string, an int, a []string or a []byte (binary data).
type Field struct {
	Key   string
	Value any
}

// Certificate is the description of an X.509 certificate that tls::status
// and the verify callback report: its fields in the order of the Tcl
// package, with the formats scripts parse.
type Certificate struct {
	fields []Field
}

// Fields returns the certificate's keys and values in order.
func (c *Certificate) Fields() []Field { return c.fields }

// Get returns the value of one key.
func (c *Certificate) Get(key string) (any, bool) {
	for _, f := range c.fields {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// ParseCertificate describes a DER-encoded certificate.
func ParseCertificate(der []byte) (*Certificate, error) {
	if len(der) == 0 || len(der) > 1<<30 {
		return nil, errors.New("invalid certificate: empty or too large")
	}
	x := C.tlsgo_x509_from_der((*C.uchar)(unsafe.Pointer(&der[0])), C.int(len(der)))
	if x == nil {
		return nil, errors.New("invalid certificate: cannot decode DER")
	}
	defer C.tlsgo_x509_free(x)
	return describeCertificate(x), nil
}

// describeCertificate reads every field of x; it does not take x.
func describeCertificate(x *C.X509) *Certificate {
	raw := func(f C.int) []byte {
		var b C.tlsgo_bytes
		if C.tlsgo_x509_field(x, f, &b) == 0 {
			return nil
		}
		defer C.free(unsafe.Pointer(b.p))
		return C.GoBytes(unsafe.Pointer(b.p), b.n)
	}
	str := func(f C.int) string { return string(raw(f)) }
	// Hex in lower case, as TclTLS 2.0.1 prints it, so that a fingerprint
	// pinned by string comparison matches.
	hexa := func(f C.int) string { return hex.EncodeToString(raw(f)) }
	num := func(f C.int) any {
		s := str(f)
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
		return s
	}
	list := func(f C.int) []string {
		items := splitItems(raw(f))
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = string(it)
		}
		return out
	}
	return &Certificate{fields: []Field{
		{"all", str(C.TLSGO_F_ALL)},
		{"version", num(C.TLSGO_F_VERSION)},
		{"signature", str(C.TLSGO_F_SIGNATURE)},
		{"sha1_hash", hexa(C.TLSGO_F_SHA1)},
		{"sha256_hash", hexa(C.TLSGO_F_SHA256)},
		{"subject", str(C.TLSGO_F_SUBJECT)},
		{"issuer", str(C.TLSGO_F_ISSUER)},
		{"notBefore", str(C.TLSGO_F_NOT_BEFORE)},
		{"notAfter", str(C.TLSGO_F_NOT_AFTER)},
		{"serialNumber", str(C.TLSGO_F_SERIAL)},
		{"certificate", str(C.TLSGO_F_PEM)},
		{"num_extensions", num(C.TLSGO_F_NUM_EXTENSIONS)},
		{"signatureDigest", str(C.TLSGO_F_SIG_DIGEST)},
		{"publicKeyAlgorithm", str(C.TLSGO_F_PKEY_ALGORITHM)},
		{"bits", num(C.TLSGO_F_SIG_BITS)},
		{"publicKey", hexa(C.TLSGO_F_PKEY)},
		{"self_signed", num(C.TLSGO_F_SELF_SIGNED)},
		{"issuerUniqueID", hexa(C.TLSGO_F_ISSUER_UID)},
		{"subjectUniqueID", hexa(C.TLSGO_F_SUBJECT_UID)},
		{"extensions", list(C.TLSGO_F_EXTENSIONS)},
		{"subjectAltName", altNames(splitItems(raw(C.TLSGO_F_SAN)))},
		{"subjectKeyIdentifier", hexa(C.TLSGO_F_SKI)},
		{"authorityKeyIdentifier", hexa(C.TLSGO_F_AKI)},
		{"ocsp", list(C.TLSGO_F_OCSP)},
		{"signatureAlgorithm", str(C.TLSGO_F_SIG_ALGORITHM)},
		{"signatureValue", hexa(C.TLSGO_F_SIG_VALUE)},
	}}
}

// altNames renders the subjectAltName entries the status reports: every
// DNS name as it stands in the certificate, and every IP address in its
// usual text form (dotted quad for IPv4; RFC 5952 for IPv6, e.g. "::1"),
// in certificate order, without type prefixes, so that a script can look
// a host name or an address up in the list directly. Other kinds of
// names (e-mail, URI, ...) are not part of the list.
func altNames(items [][]byte) []string {
	out := []string{}
	for _, it := range items {
		if len(it) == 0 {
			continue
		}
		switch it[0] {
		case 'D':
			out = append(out, string(it[1:]))
		case 'I':
			if ip := it[1:]; len(ip) == net.IPv4len || len(ip) == net.IPv6len {
				out = append(out, net.IP(ip).String())
			}
		}
	}
	return out
}

// splitItems decodes a list encoded by the C layer: items, each a 4-byte
// big-endian length followed by its bytes.
func splitItems(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 4 {
		n := int(binary.BigEndian.Uint32(b))
		b = b[4:]
		if n > len(b) {
			break
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// PeerCertificate describes the certificate the peer presented, nil when
// it sent none.
func (c *Conn) PeerCertificate() *Certificate { return c.certificate(false) }

// LocalCertificate describes our own certificate, nil when there is none.
func (c *Conn) LocalCertificate() *Certificate { return c.certificate(true) }

func (c *Conn) certificate(local bool) *Certificate {
	if c.ssl == nil {
		return nil
	}
	l := C.int(0)
	if local {
		l = 1
	}
	x := C.tlsgo_conn_cert(c.ssl, l)
	if x == nil {
		return nil
	}
	defer C.tlsgo_x509_free(x)
	return describeCertificate(x)
}
