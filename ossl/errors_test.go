package ossl

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

// A key that is not the certificate's is recognised by its reason code,
// whatever the text.
func TestErrorCodeKeyMismatch(t *testing.T) {
	p := writeFixtures(t)
	cfg := baseConfig()
	cfg.CertFile, cfg.KeyFile = p.leafCert, p.otherKey
	_, err := NewContext(&cfg)
	if err == nil {
		t.Fatal("mismatched key accepted")
	}
	if !errors.Is(err, ErrKeyValuesMismatch) && !errors.Is(err, ErrKeyTypeMismatch) {
		t.Fatalf("error %v (codes %v) matches neither key mismatch code", err, asError(t, err).Codes)
	}
	if errors.Is(err, ErrCertificateVerifyFailed) {
		t.Fatal("key mismatch matches an unrelated code")
	}
}

// A file that cannot be opened carries the errno as a value.
func TestErrorErrno(t *testing.T) {
	cfg := baseConfig()
	cfg.CertFile = filepath.Join(t.TempDir(), "missing.pem")
	_, err := NewContext(&cfg)
	if err == nil {
		t.Fatal("missing certificate file accepted")
	}
	if !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("error %v does not match ENOENT (errno %d, codes %v)", err, asError(t, err).Errno, asError(t, err).Codes)
	}
	if e := asError(t, err); e.Errno != syscall.ENOENT {
		t.Errorf("Errno = %v, want ENOENT", e.Errno)
	}
}

// A refused certificate gives the verify code and OpenSSL's reason code.
func TestErrorVerifyCode(t *testing.T) {
	p := writeFixtures(t)
	cases := []struct {
		name, cert, key string
		code            int // X509_V_ERR_*
	}{
		{"expired", p.expiredCert, p.expiredKy, 10}, // X509_V_ERR_CERT_HAS_EXPIRED
		{"self-signed", p.selfCert, p.selfKey, 18},  // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
		{"hostname", p.leafCert, p.leafKey, 62},     // X509_V_ERR_HOSTNAME_MISMATCH
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sctx := serverContext(t, tc.cert, tc.key, nil)
			cfg := baseConfig()
			cfg.CAFile = p.ca
			name := "localhost"
			if tc.name == "hostname" {
				name = "example.com"
			}
			cli := mustConn(t, mustContext(t, cfg), ConnConfig{ServerName: name, Request: true, Require: true})
			srv := mustConn(t, sctx, ConnConfig{Server: true})
			cerr, _ := pump(cli, srv)
			e := asError(t, cerr)
			if e.VerifyCode != tc.code {
				t.Errorf("VerifyCode = %d (%q), want %d", e.VerifyCode, e.VerifyResult, tc.code)
			}
			if !errors.Is(cerr, ErrCertificateVerifyFailed) {
				t.Errorf("codes %v do not include certificate verify failed", e.Codes)
			}
			if ErrCertificateVerifyFailed.Error() != "certificate verify failed" {
				t.Errorf("ErrCertificateVerifyFailed text %q", ErrCertificateVerifyFailed.Error())
			}
		})
	}
}

// A handshake cut by the end of input is ErrUnexpectedEOF by value.
func TestErrorUnexpectedEOF(t *testing.T) {
	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	if err := cli.Handshake(); !isWant(err) {
		t.Fatalf("first handshake step: %v", err)
	}
	cli.FeedEOF()
	err := cli.Handshake()
	if !errors.Is(err, ErrUnexpectedEOF) {
		t.Fatalf("handshake at EOF: %v, codes %v", err, asError(t, err).Codes)
	}
}

func TestReasonPart(t *testing.T) {
	for line, want := range map[string]string{
		"error:0A000086:SSL routines::certificate verify failed": "certificate verify failed",
		"error:8000000D:system library::Permission denied":       "Permission denied",
		"no colons": "no colons",
	} {
		if got := reasonPart(line); got != want {
			t.Errorf("reasonPart(%q) = %q, want %q", line, got, want)
		}
	}
}
