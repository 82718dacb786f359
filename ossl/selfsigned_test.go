package ossl

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

// TestSelfSigned checks the key and certificate tls::misc makes: a key of
// the size asked, a certificate for that key, issued by its own subject
// and signed by its key, with the serial and validity asked.
func TestSelfSigned(t *testing.T) {
	key, cert, err := SelfSigned(SelfSignedRequest{Bits: 2048, Days: 30, Serial: 77,
		Subject: []NameEntry{{"C", "DE"}, {"O", "Grüße"}, {"CN", "host.example"}, {"emailAddress", "a@b.example"}}})
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := pem.Decode(key)
	cb, _ := pem.Decode(cert)
	if kb == nil || kb.Type != "PRIVATE KEY" || cb == nil || cb.Type != "CERTIFICATE" {
		t.Fatalf("not PEM key and certificate:\n%s\n%s", key, cert)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok || rk.N.BitLen() != 2048 || !rk.PublicKey.Equal(c.PublicKey) {
		t.Fatalf("key %T does not match the certificate", k)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		t.Fatalf("not signed by itself: %v", err)
	}
	if got := c.Subject.String(); c.Issuer.String() != got || !strings.Contains(got, "CN=host.example") ||
		!strings.Contains(got, "O=Grüße") {
		t.Fatalf("subject %q, issuer %q", got, c.Issuer.String())
	}
	if c.Version != 3 || c.SerialNumber.Int64() != 77 || c.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Fatalf("version %d, serial %v, signature %v", c.Version, c.SerialNumber, c.SignatureAlgorithm)
	}
	if d := c.NotAfter.Sub(c.NotBefore); d != 30*24*time.Hour {
		t.Fatalf("valid for %v", d)
	}
	for _, bad := range []SelfSignedRequest{{Bits: 256, Days: 1}, {Bits: 1 << 20, Days: 1},
		{Bits: 2048, Days: 1, Serial: -1}, {Bits: 2048, Days: 1, Subject: []NameEntry{{"nonsense", "x"}}}} {
		if _, _, err := SelfSigned(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
