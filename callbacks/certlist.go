package callbacks

import (
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// Fields appends ordered key/value fields (a certificate, a connection)
// to the list l and returns it: the one rendering of tls::status and
// tls::connection values, shared with the verify callback. A key that
// TclTLS 2.0.1 spells otherwise (a key of other: StatusSpellings or
// ConnectionSpellings) is followed by that spelling with the same value,
// so that scripts written for either read the key they know.
func Fields(l tcl.Obj, fields []ossl.Field, other map[string]string) tcl.Obj {
	for _, f := range fields {
		v := tcl.NewValue(f.Value)
		l.AppendPair(f.Key, v)
		if name, ok := other[f.Key]; ok {
			l.AppendPair(name, v)
		}
	}
	return l
}

// StatusSpellings maps keys of tls::status (certificate and connection
// keys, the 2023 manual's names), which the verify callback's certificate
// shares, to the names TclTLS 2.0.1 gives the same values.
var StatusSpellings = map[string]string{
	"verification":    "verifyResult",
	"signature_type":  "signatureType",
	"signatureDigest": "signingDigest",
	"self_signed":     "selfSigned",
	"num_extensions":  "extCount",
	"issuerUniqueID":  "issuerUniqueId",
	"subjectUniqueID": "subjectUniqueId",
	"ocsp":            "ocspResponders",
}

// ConnectionSpellings does the same for tls::connection. caList and
// caListCount, 2.0.1's tls::connection keys for what tls::status calls
// ca_names, are added by tls::connection itself.
var ConnectionSpellings = map[string]string{
	"renegotiation": "renegotiation_allowed",
	"securitylevel": "security_level",
	"bits":          "algorithm_bits",
	"id":            "cipher_id",
}

// CertList builds the key/value list that a verify callback receives as
// its cert argument: the certificate keys of tls::status, in the same
// order and formats. It is empty when der is not a certificate.
func CertList(der []byte) tcl.Obj {
	l := tcl.NewList()
	c, err := ossl.ParseCertificate(der)
	if err != nil {
		return l
	}
	return Fields(l, c.Fields(), StatusSpellings)
}
