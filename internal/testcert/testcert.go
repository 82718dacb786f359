// Package testcert is test support: one self-signed identity for
// localhost and 127.0.0.1, made once per test binary, for tests that need
// a server certificate and do not care which.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	once      sync.Once
	cert, key []byte
	err       error
)

// DER returns the certificate and its PKCS #8 ECDSA key, in DER. The
// certificate is its own CA (it can be given as -cafile) and is valid
// from an hour ago for a day.
func DER(t testing.TB) (certDER, keyDER []byte) {
	t.Helper()
	once.Do(func() { cert, key, err = generate() })
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// Write writes the identity as cert.pem and key.pem into dir and returns
// their paths.
func Write(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	c, k := DER(t)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for path, block := range map[string]*pem.Block{
		certFile: {Type: "CERTIFICATE", Bytes: c},
		keyFile:  {Type: "PRIVATE KEY", Bytes: k},
	} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}

func generate() (certDER, keyDER []byte, err error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	certDER, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err = x509.MarshalPKCS8PrivateKey(k)
	return certDER, keyDER, err
}
