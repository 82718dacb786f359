package ossl

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCertificateFields checks the description of a certificate against
// what crypto/x509 reads from the same DER.
func TestCertificateFields(t *testing.T) {
	f := fixtures(t)
	key, err := ecKey()
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetUint64(0x8A00000000000001),
		Subject:      pkix.Name{CommonName: "Grüße, host", Organization: []string{"Org"}, Country: []string{"DE"}},
		NotBefore:    time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC),
		NotAfter:     time.Date(2055, 11, 23, 16, 18, 42, 0, time.UTC),
		DNSNames:     []string{"localhost", "*.example.org"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		OCSPServer:   []string{"http://ocsp.example.org/"},
		SubjectKeyId: []byte{1, 2, 3, 4},
	}
	ck, err := makeCert(tmpl, &f.ca, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(ck.der)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ParseCertificate(ck.der)
	if err != nil {
		t.Fatal(err)
	}
	// Hex is in lower case (as TclTLS 2.0.1 prints it); the serial
	// number is OpenSSL's own upper-case rendering.
	lower := func(b []byte) string { return hex.EncodeToString(b) }
	s1, s256 := sha1.Sum(ck.der), sha256.Sum256(ck.der)
	want := map[string]any{
		"version":                3,
		"serialNumber":           "8A00000000000001",
		"sha1_hash":              lower(s1[:]),
		"sha256_hash":            lower(s256[:]),
		"subject":                "CN=Grüße\\, host,O=Org,C=DE",
		"issuer":                 parsed.Issuer.String(),
		"notBefore":              "Mar  5 07:08:09 2024 GMT",
		"notAfter":               "Nov 23 16:18:42 2055 GMT",
		"subjectAltName":         []string{"localhost", "*.example.org", "127.0.0.1", "::1"},
		"ocsp":                   []string{"http://ocsp.example.org/"},
		"subjectKeyIdentifier":   "01020304",
		"authorityKeyIdentifier": lower(parsed.AuthorityKeyId),
		"publicKey":              lower(publicKeyBits(t, parsed)),
		"publicKeyAlgorithm":     "id-ecPublicKey",
		"signatureValue":         lower(parsed.Signature),
		"signatureAlgorithm":     "ecdsa-with-SHA256",
		"signatureDigest":        "sha256",
		"self_signed":            0,
		"num_extensions":         len(parsed.Extensions),
		"issuerUniqueID":         "",
	}
	for k, v := range want {
		got, ok := cert.Get(k)
		if !ok {
			t.Errorf("%s: missing", k)
			continue
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
	pem, _ := cert.Get("certificate")
	if !strings.HasPrefix(pem.(string), "-----BEGIN CERTIFICATE-----\n") || !strings.HasSuffix(pem.(string), "-----END CERTIFICATE-----\n") {
		t.Errorf("certificate is not PEM: %q", pem)
	}
	all, _ := cert.Get("all")
	if !strings.Contains(all.(string), "Subject: CN=Grüße\\, host") {
		t.Errorf("all lacks the subject: %s", all)
	}
	exts, _ := cert.Get("extensions")
	if len(exts.([]string)) != len(parsed.Extensions) {
		t.Errorf("extensions = %v, want %d names", exts, len(parsed.Extensions))
	}
	var keys []string
	for _, fl := range cert.Fields() {
		keys = append(keys, fl.Key)
	}
	wantKeys := "all version signature sha1_hash sha256_hash subject issuer notBefore notAfter serialNumber certificate " +
		"num_extensions signatureDigest publicKeyAlgorithm bits publicKey self_signed issuerUniqueID subjectUniqueID " +
		"extensions subjectAltName subjectKeyIdentifier authorityKeyIdentifier ocsp signatureAlgorithm signatureValue"
	if strings.Join(keys, " ") != wantKeys {
		t.Errorf("keys = %s", strings.Join(keys, " "))
	}
	if _, err := ParseCertificate([]byte("junk")); err == nil {
		t.Error("ParseCertificate accepted junk")
	}
	if _, err := ParseCertificate(nil); err == nil {
		t.Error("ParseCertificate accepted nothing")
	}
}

// publicKeyBits extracts the SubjectPublicKeyInfo BIT STRING contents.
func publicKeyBits(t *testing.T, c *x509.Certificate) []byte {
	t.Helper()
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1BitString
	}
	if err := unmarshalASN1(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		t.Fatal(err)
	}
	return spki.Key.Bytes
}

func TestSerialFormats(t *testing.T) {
	f := fixtures(t)
	for _, tc := range []struct {
		n    *big.Int
		want string
	}{
		{big.NewInt(1), "01"},
		{big.NewInt(0x7F), "7F"},
		{big.NewInt(0x80), "80"},
		{new(big.Int).Lsh(big.NewInt(1), 100), fmt.Sprintf("1%s", strings.Repeat("0", 25))},
	} {
		key, _ := ecKey()
		tmpl := leafTemplate("serial", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
		tmpl.SerialNumber = tc.n
		ck, err := makeCert(tmpl, &f.ca, key)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := ParseCertificate(ck.der)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := cert.Get("serialNumber"); got != tc.want {
			t.Errorf("serial %v: got %v, want %v", tc.n, got, tc.want)
		}
	}
}

type asn1BitString = asn1.BitString

func unmarshalASN1(b []byte, v any) error {
	_, err := asn1.Unmarshal(b, v)
	return err
}
