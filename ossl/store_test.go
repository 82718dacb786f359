package ossl

import (
	"os"
	"testing"
)

// verifyWith runs a verifying client built from cfg against a server
// presenting the CA-signed leaf and reports the client's error.
func verifyWith(t *testing.T, p *paths, cfg Config) error {
	t.Helper()
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cli := mustConn(t, mustContext(t, cfg), ConnConfig{ServerName: "localhost", Request: true, Require: true})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	cerr, _ := pump(cli, srv)
	return cerr
}

func TestDefaultStoreParsedOnce(t *testing.T) {
	p := writeFixtures(t)
	cfg := baseConfig()
	cfg.DefaultCA = true
	mustContext(t, cfg)
	before := DefaultStoreBuilds()
	if before < 1 {
		t.Fatalf("default store built %d times after a context with DefaultCA", before)
	}
	for i := 0; i < 5; i++ {
		mustContext(t, cfg)
		withCA := cfg
		withCA.CAFile = p.ca
		mustContext(t, withCA)
		withDir := cfg
		withDir.CADir = p.dir
		mustContext(t, withDir)
	}
	if n := DefaultStoreBuilds(); n != before {
		t.Errorf("default store parsed again: %d builds, want %d", n, before)
	}
}

func TestDefaultStorePlusCAFile(t *testing.T) {
	p := writeFixtures(t)
	cfg := baseConfig()
	cfg.DefaultCA = true
	if err := verifyWith(t, p, cfg); err == nil {
		t.Fatal("the system store alone verified the test CA's leaf")
	}
	cfg.CAFile = p.ca
	if err := verifyWith(t, p, cfg); err != nil {
		t.Fatalf("default store plus CA file: %v", err)
	}
	// The shared store was not changed by the CA file.
	cfg.CAFile = ""
	if err := verifyWith(t, p, cfg); err == nil {
		t.Fatal("the CA file leaked into the shared default store")
	}
}

func TestDefaultStoreFromEnvironment(t *testing.T) {
	p := writeFixtures(t)
	old, had := os.LookupEnv("SSL_CERT_FILE")
	t.Cleanup(func() {
		if had {
			os.Setenv("SSL_CERT_FILE", old)
		} else {
			os.Unsetenv("SSL_CERT_FILE")
		}
	})
	os.Setenv("SSL_CERT_FILE", p.ca)
	if file, _ := DefaultCALocations(); file != p.ca {
		t.Fatalf("DefaultCALocations file = %q, want %q", file, p.ca)
	}
	before := DefaultStoreBuilds()
	cfg := baseConfig()
	cfg.DefaultCA = true
	if err := verifyWith(t, p, cfg); err != nil {
		t.Fatalf("SSL_CERT_FILE as the default store: %v", err)
	}
	if DefaultStoreBuilds() != before+1 {
		t.Errorf("a new SSL_CERT_FILE did not rebuild the default store")
	}
}

func TestConnContextShared(t *testing.T) {
	p := writeFixtures(t)
	sctx, err := NewContext(&Config{Protocols: TLS1_2 | TLS1_3, SecurityLevel: -1,
		CertFile: p.leafCert, KeyFile: p.leafKey})
	if err != nil {
		t.Fatal(err)
	}
	first := mustConn(t, sctx, ConnConfig{Server: true})
	sctx.Free()
	shared, err := first.Context()
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Free()
	// A connection from the shared context presents the same certificate.
	cli := mustConn(t, mustContext(t, Config{Protocols: TLS1_2 | TLS1_3, SecurityLevel: -1, CAFile: p.ca}),
		ConnConfig{ServerName: "localhost", Request: true, Require: true})
	srv := mustConn(t, shared, ConnConfig{Server: true})
	mustPump(t, cli, srv)
}

// The two benchmarks compare a context that trusts the system store plus
// a CA file (the store parsed once, then copied) with one that parses the
// system bundle itself, as a context per connection would.

func BenchmarkContextSharedDefaultStore(b *testing.B) {
	p := writeFixtures(b)
	cfg := baseConfig()
	cfg.DefaultCA, cfg.CAFile = true, p.ca
	benchContexts(b, cfg)
}

func BenchmarkContextParseBundle(b *testing.B) {
	file, _ := DefaultCALocations()
	if _, err := os.Stat(file); err != nil {
		b.Skip("no system CA bundle")
	}
	cfg := baseConfig()
	cfg.CAFile = file
	benchContexts(b, cfg)
}

func benchContexts(b *testing.B, cfg Config) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ctx, err := NewContext(&cfg)
		if err != nil {
			b.Fatal(err)
		}
		ctx.Free()
	}
}
