package ossl

import (
	"crypto/rsa"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func mustPKCS1(t testing.TB, ck certKey) []byte {
	t.Helper()
	return x509.MarshalPKCS1PrivateKey(ck.key.(*rsa.PrivateKey))
}

func TestProtocolRange(t *testing.T) {
	for _, tc := range []struct {
		set      Protocols
		min, max int
		holes    bool
		err      string
	}{
		{set: 0, err: "no valid protocol selected"},
		{set: SSL2, err: "SSL2 protocol not supported"},
		{set: SSL3, err: "SSL3 protocol not supported"},
		{set: SSL2 | SSL3, err: "SSL2 protocol not supported"},
		{set: SSL2 | TLS1_2, min: 0x303, max: 0x303},
		{set: TLS1_3, min: 0x304, max: 0x304},
		{set: TLS1 | TLS1_1 | TLS1_2 | TLS1_3, min: 0x301, max: 0x304},
		{set: TLS1 | TLS1_3, min: 0x304, max: 0x304},
		{set: TLS1 | TLS1_1 | TLS1_3, min: 0x304, max: 0x304},
		{set: TLS1 | TLS1_2, min: 0x303, max: 0x303},
	} {
		lo, hi, no, err := protocolRange(tc.set)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%b: error %v, want %q", tc.set, err, tc.err)
			}
			continue
		}
		if err != nil || int(lo) != tc.min || int(hi) != tc.max || (no != 0) != tc.holes {
			t.Errorf("%b: got %x..%x no=%x err=%v", tc.set, lo, hi, no, err)
		}
	}
}

func TestProtocolHoles(t *testing.T) {
	// TLS 1.0 and 1.3 enabled, 1.1 and 1.2 not. OpenSSL can only offer a
	// contiguous range; the highest run is kept, so this client offers
	// TLS 1.3 only: a TLS 1.3 server accepts it, a TLS 1.2 one does not.
	p := writeFixtures(t)
	cctx := mustContext(t, Config{Protocols: TLS1 | TLS1_3, SecurityLevel: 0})
	for _, protos := range []Protocols{TLS1_2, TLS1_3} {
		sctx := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Protocols = protos })
		cli := mustConn(t, cctx, ConnConfig{})
		srv := mustConn(t, sctx, ConnConfig{Server: true})
		cerr, serr := pump(cli, srv)
		if protos == TLS1_3 {
			if cerr != nil || serr != nil {
				t.Fatalf("TLS 1.3 handshake: %v %v", cerr, serr)
			}
			continue
		}
		if cerr == nil || serr == nil {
			t.Fatalf("handshake over a disabled version: %v %v", cerr, serr)
		}
		if e := asError(t, serr); e.Reason != "unsupported protocol" {
			t.Errorf("server Reason = %q", e.Reason)
		}
	}
}

func TestContextErrors(t *testing.T) {
	p := writeFixtures(t)
	f := fixtures(t)
	missing := filepath.Join(p.dir, "missing.pem")
	garbage := filepath.Join(p.dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a PEM file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string // exact text, or prefix when it ends in ": "
	}{
		{"protocols empty", func(c *Config) { c.Protocols = 0 }, "no valid protocol selected"},
		{"ssl2 only", func(c *Config) { c.Protocols = SSL2 }, "SSL2 protocol not supported"},
		{"ssl3 only", func(c *Config) { c.Protocols = SSL3 }, "SSL3 protocol not supported"},
		{"cipher list", func(c *Config) { c.CipherList = "NO-SUCH-CIPHER" }, "Set ciphers failed: No valid ciphers in -cipher \"NO-SUCH-CIPHER\""},
		{"cipher suites", func(c *Config) { c.CipherSuites = "TLS_NO_SUCH" }, "Set cipher suites failed: No valid ciphers in -ciphersuites \"TLS_NO_SUCH\""},
		{"security level", func(c *Config) { c.SecurityLevel = 6 }, "invalid security level 6: must be 0..5"},
		{"cert file missing", func(c *Config) { c.CertFile = missing }, "unable to set certificate file " + missing + ": "},
		{"cert file garbage", func(c *Config) { c.CertFile = garbage }, "unable to set certificate file " + garbage + ": "},
		{"key file missing", func(c *Config) { c.CertFile, c.KeyFile = p.leafCert, missing }, "unable to set private key file " + missing + ": "},
		{"key from cert file", func(c *Config) { c.CertFile = p.leafCert }, "unable to set private key file " + p.leafCert + ": "},
		{"key mismatch", func(c *Config) { c.CertFile, c.KeyFile = p.leafCert, p.selfKey }, "private key does not match the certificate public key: key file " + p.selfKey + ", certificate file " + p.leafCert},
		{"key without cert", func(c *Config) { c.KeyFile = p.leafKey }, "unable to set private key: -keyfile or -key given without -certfile or -cert"},
		{"DER cert is PEM", func(c *Config) { c.Cert = []byte("-----BEGIN CERTIFICATE-----\n") }, "unable to set certificate: "},
		{"DER key garbage", func(c *Config) { c.Cert, c.Key = f.leaf.der, []byte{1, 2, 3} }, "unable to set private key: "},
		{"DER cert without key", func(c *Config) { c.Cert = f.leaf.der }, "no private key given for the certificate from -cert: use -key or -keyfile"},
		{"DER key mismatch", func(c *Config) { c.Cert, c.Key = f.leaf.der, f.other.keyDER(t) }, "private key does not match the certificate public key: key from -key, certificate from -cert"},
		{"CA file missing", func(c *Config) { c.CAFile = missing }, "unable to load CA file " + missing + ": "},
		{"CA file garbage", func(c *Config) { c.CAFile = garbage }, "unable to load CA file " + garbage + ": "},
		{"CA dir missing", func(c *Config) { c.CADir = missing }, "unable to load CA directory " + missing + ": no such file or directory"},
		{"CA dir is file", func(c *Config) { c.CADir = p.ca }, "unable to load CA directory " + p.ca + ": not a directory"},
		{"CA file is dir", func(c *Config) { c.CAFile = p.dir }, "unable to load CA file " + p.dir + ": is a directory"},
		{"DH missing", func(c *Config) { c.DHParams = missing }, "could not read DH parameters from file " + missing + ": "},
		{"DH garbage", func(c *Config) { c.DHParams = garbage }, "could not read DH parameters from file " + garbage + ": "},
	} {
		cfg := baseConfig()
		tc.mod(&cfg)
		ctx, err := NewContext(&cfg)
		if err == nil {
			ctx.Free()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		msg := err.Error()
		if strings.HasSuffix(tc.want, ": ") {
			if !strings.HasPrefix(msg, tc.want) || len(msg) == len(tc.want) {
				t.Errorf("%s: %q, want %q<reason>", tc.name, msg, tc.want)
			}
		} else if msg != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, msg, tc.want)
		}
	}
}

func TestContextOptions(t *testing.T) {
	p := writeFixtures(t)
	cfg := baseConfig()
	cfg.CipherList = "ECDHE-ECDSA-AES128-GCM-SHA256"
	cfg.CipherSuites = "TLS_CHACHA20_POLY1305_SHA256"
	cfg.SecurityLevel = 1
	cfg.CADir = p.dir
	cfg.DefaultCA = true
	for _, protos := range []struct {
		p      Protocols
		cipher string
	}{{TLS1_2, "ECDHE-ECDSA-AES128-GCM-SHA256"}, {TLS1_3, "TLS_CHACHA20_POLY1305_SHA256"}} {
		cfg.Protocols = protos.p
		cctx := mustContext(t, cfg)
		sctx := serverContext(t, p.leafCert, p.leafKey, nil)
		cli, _ := shake(t, cctx, sctx)
		if cli.Cipher() != protos.cipher {
			t.Errorf("Cipher() = %q, want %q", cli.Cipher(), protos.cipher)
		}
	}
	if ctx, err := NewContext(nil); err != nil {
		t.Errorf("NewContext(nil): %v", err)
	} else {
		ctx.Free()
	}
}

func TestDHParams(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl command not found")
	}
	p := writeFixtures(t)
	dh := filepath.Join(p.dir, "dh.pem")
	out, err := exec.Command(openssl, "genpkey", "-genparam", "-algorithm", "DH",
		"-pkeyopt", "group:ffdhe2048", "-out", dh).CombinedOutput()
	if err != nil {
		t.Skipf("openssl genpkey: %v: %s", err, out)
	}
	cfg := baseConfig()
	cfg.CertFile = p.rsaCert
	key := filepath.Join(p.dir, "rsa.key")
	writePEM(t, key, keyBlock(t, fixtures(t).rsaLeaf))
	cfg.KeyFile = key
	cfg.Protocols = TLS1_2
	cfg.CipherList = "DHE-RSA-AES128-GCM-SHA256"
	cfg.DHParams = dh
	sctx := mustContext(t, cfg)
	ccfg := baseConfig()
	ccfg.Protocols = TLS1_2
	ccfg.CipherList = "DHE-RSA-AES128-GCM-SHA256"
	cli := mustConn(t, mustContext(t, ccfg), ConnConfig{})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)
	if cli.Cipher() != "DHE-RSA-AES128-GCM-SHA256" {
		t.Errorf("Cipher() = %q", cli.Cipher())
	}
	// A PEM file that is not DH parameters.
	cfg.DHParams = p.ca
	if _, err := NewContext(&cfg); err == nil || !strings.HasPrefix(err.Error(), "could not read DH parameters from file "+p.ca+": ") {
		t.Errorf("CA file as DH params: %v", err)
	}
}
