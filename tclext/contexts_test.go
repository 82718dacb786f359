package tclext

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tclgo/tls/ossl"
)

func TestContextKeyHidesKeyMaterial(t *testing.T) {
	secret := bytes.Repeat([]byte("private-key-bytes"), 8)
	cfg := ossl.Config{Protocols: ossl.TLS1_2 | ossl.TLS1_3, SecurityLevel: -1, Key: secret, Cert: []byte("cert")}
	k := contextKey(&cfg)
	if len(k) != 32 {
		t.Fatalf("key is %d bytes, want a 32-byte digest", len(k))
	}
	if bytes.Contains([]byte(k), secret[:16]) {
		t.Fatal("the key contains the private key")
	}
	other := cfg
	other.Key = append([]byte(nil), secret...)
	other.Key[0] ^= 1
	if contextKey(&other) == k {
		t.Fatal("different private keys give the same context key")
	}
	// Values cannot run into each other.
	a := ossl.Config{CipherList: "a|", CipherSuites: "b"}
	b := ossl.Config{CipherList: "a", CipherSuites: "|b"}
	if contextKey(&a) == contextKey(&b) {
		t.Fatal("ambiguous key for different cipher settings")
	}
}

func TestContextKeyFollowsFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := ossl.Config{CertFile: path, KeyFile: path}
	k := contextKey(&cfg)
	if contextKey(&cfg) != k {
		t.Fatal("the key of unchanged settings changed")
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if contextKey(&cfg) == k {
		t.Fatal("a replaced file gives the same key")
	}
}
