package ossl

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCertificateInput feeds arbitrary bytes to every context setting that
// parses certificates, keys or parameters: DER certificate and key, and
// PEM files used as certificate, key, CA file and DH parameters. Each must
// give an error or a context, never a crash.
func FuzzCertificateInput(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), []byte{0x30, 0x82, 0x01})
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00}, []byte("-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		base := Config{Protocols: TLS1_2 | TLS1_3, SecurityLevel: -1}

		der := base
		der.Cert, der.Key = a, b
		tryContext(t, &der)

		fa, fb := filepath.Join(dir, "a.pem"), filepath.Join(dir, "b.pem")
		if err := os.WriteFile(fa, a, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fb, b, 0o600); err != nil {
			t.Fatal(err)
		}
		files := base
		files.CertFile, files.KeyFile = fa, fb
		tryContext(t, &files)

		trust := base
		trust.CAFile, trust.DHParams = fa, fb
		tryContext(t, &trust)
	})
}

func tryContext(t *testing.T, cfg *Config) {
	ctx, err := NewContext(cfg)
	if err == nil {
		ctx.Free()
	} else if err.Error() == "" {
		t.Fatalf("empty error message for %+v", cfg)
	}
}
