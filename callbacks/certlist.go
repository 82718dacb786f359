package callbacks

import (
	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// Fields appends ordered key/value fields (a certificate, a connection)
// to the list l and returns it: the one rendering of tls::status and
// tls::connection values, shared with the verify callback.
func Fields(l tcl.Obj, fields []ossl.Field) tcl.Obj {
	for _, f := range fields {
		l.AppendPair(f.Key, tcl.NewValue(f.Value))
	}
	return l
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
	return Fields(l, c.Fields())
}
