package callbacks

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/tclgo/tls/tcl"
)

// CertList builds the key/value list that a verify callback receives as
// its cert argument from a DER certificate. It uses the key names and
// value formats of tls::status; the status builder may replace it so that
// both always agree.
var CertList = basicCertList

// signatureNames maps Go's names of signature algorithms to OpenSSL's
// long names.
var signatureNames = map[x509.SignatureAlgorithm]string{
	x509.SHA1WithRSA:      "sha1WithRSAEncryption",
	x509.SHA256WithRSA:    "sha256WithRSAEncryption",
	x509.SHA384WithRSA:    "sha384WithRSAEncryption",
	x509.SHA512WithRSA:    "sha512WithRSAEncryption",
	x509.SHA256WithRSAPSS: "rsassaPss",
	x509.SHA384WithRSAPSS: "rsassaPss",
	x509.SHA512WithRSAPSS: "rsassaPss",
	x509.ECDSAWithSHA256:  "ecdsa-with-SHA256",
	x509.ECDSAWithSHA384:  "ecdsa-with-SHA384",
	x509.ECDSAWithSHA512:  "ecdsa-with-SHA512",
	x509.PureEd25519:      "ED25519",
}

// basicCertList is the certificate part of tls::status for der: an empty
// list when der is not a certificate.
func basicCertList(der []byte) tcl.Obj {
	l := tcl.NewList()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return l
	}
	str := func(k, v string) { l.AppendPair(k, tcl.NewString(v)) }
	sig, ok := signatureNames[c.SignatureAlgorithm]
	if !ok {
		sig = c.SignatureAlgorithm.String()
	}
	const date = "Jan _2 15:04:05 2006 GMT"
	serial := fmt.Sprintf("%X", c.SerialNumber.Bytes())
	if c.SerialNumber.Sign() < 0 {
		serial = "-" + serial
	} else if serial == "" {
		serial = "00"
	}
	l.AppendPair("version", tcl.NewInt(int64(c.Version)))
	str("signature", sig)
	str("sha1_hash", fmt.Sprintf("%X", sha1.Sum(der)))
	str("sha256_hash", fmt.Sprintf("%X", sha256.Sum256(der)))
	str("subject", c.Subject.String())
	str("issuer", c.Issuer.String())
	str("notBefore", c.NotBefore.UTC().Format(date))
	str("notAfter", c.NotAfter.UTC().Format(date))
	str("serialNumber", serial)
	str("certificate", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	l.AppendPair("num_extensions", tcl.NewInt(int64(len(c.Extensions))))
	selfSigned := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil &&
		string(c.RawSubject) == string(c.RawIssuer)
	l.AppendPair("self_signed", tcl.NewBool(selfSigned))
	l.AppendPair("subjectAltName", tcl.NewStringList(c.DNSNames))
	str("signatureAlgorithm", sig)
	return l
}
