package ossl

import (
	"errors"
	"testing"
)

// FuzzHandshakeInput feeds arbitrary bytes to a server connection: the
// handshake must fail cleanly or ask for more input, never crash.
func FuzzHandshakeInput(f *testing.F) {
	p := writeFixtures(f)
	cfg := baseConfig()
	cfg.CertFile, cfg.KeyFile = p.leafCert, p.leafKey
	fuzzCtx := mustContext(f, cfg)
	// A real ClientHello as a seed, plus the files in testdata/fuzz.
	cctx := mustContext(f, baseConfig())
	cli := mustConn(f, cctx, ConnConfig{ServerName: "localhost", ALPN: []string{"h2"}})
	cli.Handshake()
	hello := make([]byte, cli.Outgoing())
	f.Add(hello[:cli.TakeOutgoing(hello)])
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		srv, err := fuzzCtx.NewConn(&ConnConfig{Server: true, Request: true})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Free()
		srv.Feed(data)
		err = srv.Handshake()
		var e *Error
		if err == nil || !(errors.Is(err, ErrWantRead) || errors.As(err, &e)) {
			t.Fatalf("Handshake = %v", err)
		}
		if e != nil && srv.Handshake() != err {
			t.Fatal("handshake error not sticky")
		}
		srv.FeedEOF()
		if err := srv.Handshake(); err == nil || errors.Is(err, ErrWantRead) {
			t.Fatalf("Handshake after EOF = %v", err)
		}
		srv.Shutdown()
		srv.TakeOutgoing(make([]byte, 1024))
	})
}
