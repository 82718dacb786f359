package ossl

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestOpenSSLVersion(t *testing.T) {
	v := Version()
	if !strings.HasPrefix(v, "OpenSSL 3.") {
		t.Fatalf("Version() = %q, want OpenSSL 3.x", v)
	}
}

func TestHandshakeAndData(t *testing.T) {
	for _, tc := range []struct {
		name    string
		protos  Protocols
		version string
	}{
		{"TLS1.2", TLS1_2, "TLSv1.2"},
		{"TLS1.3", TLS1_3, "TLSv1.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFixtures(t)
			f := fixtures(t)
			sctx := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Protocols = tc.protos })
			ccfg := baseConfig()
			ccfg.Protocols = tc.protos
			ccfg.CAFile = p.ca
			cctx := mustContext(t, ccfg)
			cli := mustConn(t, cctx, ConnConfig{ServerName: "localhost", Request: true, Require: true})
			srv := mustConn(t, sctx, ConnConfig{Server: true})
			if cli.HandshakeDone() || srv.HandshakeDone() {
				t.Fatal("HandshakeDone before the handshake")
			}
			mustPump(t, cli, srv)
			if !cli.HandshakeDone() || !srv.HandshakeDone() {
				t.Fatal("HandshakeDone false after the handshake")
			}
			if err := cli.Handshake(); err != nil {
				t.Fatalf("Handshake again: %v", err)
			}
			for _, c := range []*Conn{cli, srv} {
				if got := c.Version(); got != tc.version {
					t.Errorf("Version() = %q, want %q", got, tc.version)
				}
				if c.Cipher() == "" || c.SecretBits() < 128 {
					t.Errorf("Cipher() = %q, SecretBits() = %d", c.Cipher(), c.SecretBits())
				}
			}
			if cli.IsServer() || !srv.IsServer() {
				t.Error("IsServer wrong")
			}
			if !bytes.Equal(cli.PeerCertificateDER(), f.leaf.der) {
				t.Error("client's PeerCertificateDER is not the server's certificate")
			}
			if srv.PeerCertificateDER() != nil {
				t.Error("server sees a peer certificate the client never sent")
			}
			if got := cli.VerifyResult(); got != "ok" {
				t.Errorf("VerifyResult() = %q, want ok", got)
			}
			up := randomBytes(t, 300<<10)
			down := randomBytes(t, 400<<10+17)
			sendRecv(t, cli, srv, up)
			sendRecv(t, srv, cli, down)
			sendRecv(t, cli, srv, []byte("x"))
		})
	}
}

func TestVerifyWithCAFileAndIP(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafBoth, "", nil) // key taken from CertFile
	cfg := baseConfig()
	cfg.CAFile = p.ca
	cctx := mustContext(t, cfg)
	for _, name := range []string{"localhost", "LOCALHOST", "127.0.0.1"} {
		cli := mustConn(t, cctx, ConnConfig{ServerName: name, Request: true, Require: true})
		srv := mustConn(t, sctx, ConnConfig{Server: true})
		mustPump(t, cli, srv)
		if got := cli.VerifyResult(); got != "ok" {
			t.Errorf("%s: VerifyResult() = %q", name, got)
		}
	}
}

func TestVerifyFailures(t *testing.T) {
	p := writeFixtures(t)
	cases := []struct {
		name, cert, key, serverName, verify string
	}{
		{"self-signed", p.selfCert, p.selfKey, "localhost", "self-signed certificate"},
		{"expired", p.expiredCert, p.expiredKy, "localhost", "certificate has expired"},
		{"hostname", p.leafCert, p.leafKey, "example.com", "hostname mismatch"},
		{"ip", p.leafCert, p.leafKey, "127.0.0.2", "IP address mismatch"},
	}
	for _, protos := range []Protocols{TLS1_2, TLS1_3} {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				sctx := serverContext(t, tc.cert, tc.key, func(c *Config) { c.Protocols = protos })
				cfg := baseConfig()
				cfg.CAFile = p.ca

				// Under Require the handshake fails.
				cli := mustConn(t, mustContext(t, cfg), ConnConfig{ServerName: tc.serverName, Request: true, Require: true})
				srv := mustConn(t, sctx, ConnConfig{Server: true})
				cerr, serr := pump(cli, srv)
				e := asError(t, cerr)
				if e.Reason != "certificate verify failed" {
					t.Errorf("Reason = %q, want certificate verify failed", e.Reason)
				}
				if e.VerifyResult != tc.verify {
					t.Errorf("VerifyResult = %q, want %q", e.VerifyResult, tc.verify)
				}
				if !strings.Contains(e.Error(), "certificate verify failed") || len(e.Errors) == 0 {
					t.Errorf("Error() = %q, Errors = %q", e.Error(), e.Errors)
				}
				if serr == nil || isWant(serr) {
					t.Errorf("server error = %v, want the client's alert", serr)
				}
				if again := cli.Handshake(); again != cerr {
					t.Errorf("handshake error not sticky: %v", again)
				}
				if _, err := cli.Read(make([]byte, 10)); err != cerr {
					t.Errorf("Read after failed handshake = %v", err)
				}
				before := cli.Outgoing()
				cli.Shutdown()
				if cli.Outgoing() != before {
					t.Error("Shutdown after a failed handshake queued data")
				}

				// Without Require it succeeds and reports what was wrong.
				for _, cc := range []ConnConfig{
					{ServerName: tc.serverName, Request: true},
					{ServerName: tc.serverName},
				} {
					cli := mustConn(t, mustContext(t, cfg), cc)
					srv := mustConn(t, sctx, ConnConfig{Server: true})
					mustPump(t, cli, srv)
					if got := cli.VerifyResult(); got != tc.verify {
						t.Errorf("%+v: VerifyResult() = %q, want %q", cc, got, tc.verify)
					}
					sendRecv(t, srv, cli, []byte("still usable"))
				}
			})
		}
	}
}

func TestSNI(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx := mustContext(t, baseConfig())
	cli := mustConn(t, cctx, ConnConfig{ServerName: "localhost"})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)
	if got := srv.ServerName(); got != "localhost" {
		t.Errorf("server ServerName() = %q, want localhost", got)
	}
	if got := cli.ServerName(); got != "localhost" {
		t.Errorf("client ServerName() = %q, want localhost", got)
	}

	_, srv = shake(t, cctx, sctx)
	if got := srv.ServerName(); got != "" {
		t.Errorf("server ServerName() without SNI = %q", got)
	}

	long := strings.Repeat("a", 300)
	if _, err := cctx.NewConn(&ConnConfig{ServerName: long, Request: true, Require: true}); err == nil ||
		err.Error() != "setting TLS host name extension failed" {
		t.Errorf("long SNI under Require: %v", err)
	}
}

func TestClientCertificate(t *testing.T) {
	p := writeFixtures(t)
	f := fixtures(t)
	for _, protos := range []Protocols{TLS1_2, TLS1_3} {
		sctx := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.CAFile = p.ca; c.Protocols = protos })
		// Present and trusted.
		ccfg := baseConfig()
		ccfg.CertFile, ccfg.KeyFile = p.leafCert, p.otherKey
		if _, err := NewContext(&ccfg); err == nil ||
			err.Error() != "private key does not match the certificate public key: key file "+p.otherKey+", certificate file "+p.leafCert {
			t.Fatalf("mismatched key: %v", err)
		}
		ccfg.KeyFile = p.leafKey
		cli := mustConn(t, mustContext(t, ccfg), ConnConfig{})
		srv := mustConn(t, sctx, ConnConfig{Server: true, Request: true, Require: true})
		mustPump(t, cli, srv)
		if !bytes.Equal(srv.PeerCertificateDER(), f.leaf.der) {
			t.Error("server did not get the client certificate")
		}
		if got := srv.VerifyResult(); got != "ok" {
			t.Errorf("server VerifyResult() = %q", got)
		}
		sendRecv(t, cli, srv, []byte("hello"))

		// Missing: the server fails the handshake. A TLS 1.3 client learns
		// it on its first read.
		cli = mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
		srv = mustConn(t, sctx, ConnConfig{Server: true, Request: true, Require: true})
		cerr, serr := pump(cli, srv)
		e := asError(t, serr)
		if e.Reason != "peer did not return a certificate" {
			t.Errorf("server Reason = %q", e.Reason)
		}
		if protos == TLS1_3 && cerr == nil {
			_, cerr = cli.Read(make([]byte, 10))
		}
		if ce := asError(t, cerr); !strings.Contains(ce.Reason, "alert") {
			t.Errorf("client Reason = %q, want an alert", ce.Reason)
		}

		// Requested but not required: missing is fine.
		cli = mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
		srv = mustConn(t, sctx, ConnConfig{Server: true, Request: true})
		mustPump(t, cli, srv)
		if srv.PeerCertificateDER() != nil {
			t.Error("unexpected client certificate")
		}

		// Untrusted client certificate, requested only: accepted, recorded.
		ccfg = baseConfig()
		ccfg.CertFile, ccfg.KeyFile = p.selfCert, p.selfKey
		cli = mustConn(t, mustContext(t, ccfg), ConnConfig{PostHandshake: true})
		srv = mustConn(t, sctx, ConnConfig{Server: true, Request: true})
		mustPump(t, cli, srv)
		if got := srv.VerifyResult(); got != "self-signed certificate" {
			t.Errorf("server VerifyResult() = %q", got)
		}

		// With PostHandshake a TLS 1.3 server defers the request to after
		// the handshake, so none is made during it, and Require fails
		// the handshake rather than let the client in without one.
		ccfg.CertFile, ccfg.KeyFile = p.leafCert, p.leafKey
		cli = mustConn(t, mustContext(t, ccfg), ConnConfig{PostHandshake: true})
		srv = mustConn(t, sctx, ConnConfig{Server: true, Request: true, Require: true, PostHandshake: true})
		_, serr = pump(cli, srv)
		if protos == TLS1_2 {
			if serr != nil || srv.PeerCertificateDER() == nil {
				t.Errorf("TLS 1.2 with post-handshake auth: %v, no client certificate", serr)
			}
		} else if serr == nil || serr.Error() != "peer did not return a certificate" {
			t.Errorf("TLS 1.3 with post-handshake auth and Require: %v", serr)
		}
	}
}

func TestCloseNotify(t *testing.T) {
	p := writeFixtures(t)
	for _, protos := range []Protocols{TLS1_2, TLS1_3} {
		sctx := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Protocols = protos })
		cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
		srv := mustConn(t, sctx, ConnConfig{Server: true})
		mustPump(t, cli, srv)
		if _, err := srv.Write([]byte("bye")); err != nil {
			t.Fatal(err)
		}
		srv.Shutdown()
		n := srv.Outgoing()
		srv.Shutdown() // only once
		if srv.Outgoing() != n {
			t.Error("second Shutdown queued more data")
		}
		move(srv, cli)
		buf := make([]byte, 100)
		got, err := cli.Read(buf)
		if string(buf[:got]) != "bye" {
			t.Fatalf("Read = %q, %v", buf[:got], err)
		}
		if err == nil {
			got, err = cli.Read(buf)
		}
		if got != 0 || err != io.EOF {
			t.Fatalf("Read after close_notify = %d, %v; want io.EOF", got, err)
		}
		if _, err := cli.Read(buf); err != io.EOF {
			t.Fatalf("EOF not sticky: %v", err)
		}
		if _, err := srv.Write([]byte("more")); err == nil {
			t.Error("Write after Shutdown succeeded")
		}
	}
}

func TestFeedEOF(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx := mustContext(t, baseConfig())

	// After the handshake: data, then a clean EOF without close_notify.
	cli, srv := shake(t, cctx, sctx)
	if _, err := srv.Write([]byte("tail")); err != nil {
		t.Fatal(err)
	}
	move(srv, cli)
	cli.FeedEOF()
	if cli.Pending() == 0 {
		t.Error("Pending() = 0 with unread ciphertext")
	}
	buf := make([]byte, 100)
	var got []byte
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		var n int
		n, err = cli.Read(buf)
		got = append(got, buf[:n]...)
	}
	if string(got) != "tail" || err != io.EOF {
		t.Fatalf("Read = %q, %v; want tail, io.EOF", got, err)
	}
	if _, err := cli.Read(buf); err != io.EOF {
		t.Fatalf("EOF not sticky: %v", err)
	}

	// During the handshake: an error naming the EOF.
	cli = mustConn(t, cctx, ConnConfig{})
	if err := cli.Handshake(); err != ErrWantRead {
		t.Fatalf("first Handshake = %v", err)
	}
	cli.FeedEOF()
	err = cli.Handshake()
	if e := asError(t, err); !strings.Contains(e.Error(), "eof") {
		t.Fatalf("Handshake after EOF = %q", e.Error())
	}
}

func TestPending(t *testing.T) {
	cli, srv := openPair(t)
	if cli.Pending() != 0 {
		t.Fatalf("Pending() = %d on an idle connection", cli.Pending())
	}
	if _, err := srv.Write(bytes.Repeat([]byte("a"), 1000)); err != nil {
		t.Fatal(err)
	}
	move(srv, cli)
	one := make([]byte, 1)
	if n, err := cli.Read(one); n != 1 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	if got := cli.Pending(); got != 999 {
		t.Errorf("Pending() = %d, want 999", got)
	}
}

func TestDERCertAndKey(t *testing.T) {
	f := fixtures(t)
	for _, tc := range []struct {
		name string
		ck   certKey
		key  []byte
	}{
		{"ecdsa-pkcs8", f.leaf, f.leaf.keyDER(t)},
		{"rsa-pkcs8", f.rsaLeaf, f.rsaLeaf.keyDER(t)},
		{"rsa-pkcs1", f.rsaLeaf, mustPKCS1(t, f.rsaLeaf)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Cert, cfg.Key = tc.ck.der, tc.key
			sctx := mustContext(t, cfg)
			cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
			srv := mustConn(t, sctx, ConnConfig{Server: true})
			mustPump(t, cli, srv)
			if !bytes.Equal(cli.PeerCertificateDER(), tc.ck.der) {
				t.Error("wrong peer certificate")
			}
		})
	}
}

func TestEncryptedKey(t *testing.T) {
	p := writeFixtures(t)
	cfg := baseConfig()
	cfg.CertFile, cfg.KeyFile = p.rsaCert, p.rsaEncKey
	calls := 0
	cfg.Password = func(int, int) (string, error) { calls++; return testPassword, nil }
	sctx := mustContext(t, cfg)
	if calls != 1 {
		t.Errorf("password asked %d times", calls)
	}
	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)

	prefix := "unable to set private key file " + p.rsaEncKey + ": "
	for _, tc := range []struct {
		name   string
		pw     func(int, int) (string, error)
		reason string // "" = any OpenSSL reason
	}{
		{"wrong", func(int, int) (string, error) { return "wrong", nil }, ""},
		{"error", func(int, int) (string, error) { return "", errors.New("no pass phrase today") }, "no pass phrase today"},
		{"too long", func(int, int) (string, error) { return strings.Repeat("x", 5000), nil }, "password longer than"},
		{"panic", func(int, int) (string, error) { panic("boom") }, "password callback failed: boom"},
		{"none", nil, ""},
	} {
		cfg.Password = tc.pw
		_, err := NewContext(&cfg)
		if err == nil {
			t.Errorf("%s: NewContext succeeded", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, prefix) || len(msg) == len(prefix) || !strings.Contains(msg, tc.reason) {
			t.Errorf("%s: error %q, want %q + %q", tc.name, msg, prefix, tc.reason)
		}
	}
}

func TestALPN(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx := mustContext(t, baseConfig())
	cli := mustConn(t, cctx, ConnConfig{ALPN: []string{"h2", "http/1.1"}})
	srv := mustConn(t, sctx, ConnConfig{Server: true, ALPN: []string{"h2"}})
	if err := cli.Handshake(); err != ErrWantRead {
		t.Fatalf("Handshake = %v", err)
	}
	hello := make([]byte, cli.Outgoing())
	hello = hello[:cli.TakeOutgoing(hello)]
	if !bytes.Contains(hello, []byte("\x02h2\x08http/1.1")) {
		t.Error("ClientHello does not carry the ALPN list")
	}
	srv.Feed(hello)
	mustPump(t, cli, srv)
	if cli.ALPN() != "h2" || srv.ALPN() != "h2" {
		t.Errorf("ALPN selected %q %q, want the overlap h2", cli.ALPN(), srv.ALPN())
	}

	for _, tc := range []struct {
		list []string
		msg  string
	}{
		{[]string{"h2", ""}, "failed to set ALPN protocols"},
		{[]string{strings.Repeat("p", 256)}, "ALPN protocol name too long"},
	} {
		if _, err := cctx.NewConn(&ConnConfig{ALPN: tc.list}); err == nil || err.Error() != tc.msg {
			t.Errorf("ALPN %q: %v, want %q", tc.list, err, tc.msg)
		}
	}
	if c, err := cctx.NewConn(&ConnConfig{ALPN: []string{strings.Repeat("p", 255)}}); err != nil {
		t.Errorf("255-byte ALPN name: %v", err)
	} else {
		c.Free()
	}
}

func TestSessionIDContext(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	if _, err := sctx.NewConn(&ConnConfig{Server: true, SessionIDContext: make([]byte, 33)}); err == nil {
		t.Error("33-byte session id context accepted")
	}
	srv := mustConn(t, sctx, ConnConfig{Server: true, SessionIDContext: []byte("tls-test")})
	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	mustPump(t, cli, srv)
}

func TestProtocolMismatch(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Protocols = TLS1_2 })
	cfg := baseConfig()
	cfg.Protocols = TLS1_3
	cli := mustConn(t, mustContext(t, cfg), ConnConfig{})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	cerr, serr := pump(cli, srv)
	if e := asError(t, serr); e.Reason != "unsupported protocol" {
		t.Errorf("server Reason = %q", e.Reason)
	}
	if e := asError(t, cerr); !strings.Contains(e.Reason, "protocol version") {
		t.Errorf("client Reason = %q", e.Reason)
	}
}

func TestGarbageInput(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	srv.Feed([]byte("GET / HTTP/1.0\r\n\r\n"))
	err := srv.Handshake()
	e := asError(t, err)
	if e.Reason != "http request" || e.Op != "SSL_do_handshake" || e.Code == 0 {
		t.Errorf("got %+v", e)
	}

	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	cli.Handshake()
	cli.Feed([]byte("SSH-2.0-OpenSSH_9.2p1 Debian\r\n"))
	if e := asError(t, cli.Handshake()); e.Reason != "wrong version number" {
		t.Errorf("client Reason = %q", e.Reason)
	}
}

func TestKeyLogFile(t *testing.T) {
	p := writeFixtures(t)
	log := p.dir + "/keys.log"
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cfg := baseConfig()
	cfg.KeyLogFile = log
	cctx := mustContext(t, cfg)
	shake(t, cctx, sctx)
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("CLIENT_HANDSHAKE_TRAFFIC_SECRET ")) || !bytes.HasSuffix(data, []byte("\n")) {
		t.Errorf("key log:\n%s", data)
	}
}

func TestFreeOrder(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx, err := NewContext(&Config{Protocols: TLS1_3, SecurityLevel: -1})
	if err != nil {
		t.Fatal(err)
	}
	cli, err := cctx.NewConn(nil)
	if err != nil {
		t.Fatal(err)
	}
	cctx.Free()
	cctx.Free()
	if _, err := cctx.NewConn(nil); err == nil {
		t.Error("NewConn on a freed Context succeeded")
	}
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv) // the SSL keeps its SSL_CTX alive
	sendRecv(t, cli, srv, []byte("after free"))
	cli.Free()
	cli.Free()
	if err := cli.Handshake(); err == nil {
		t.Error("Handshake on a freed Conn succeeded")
	}
	if _, err := cli.Read(make([]byte, 1)); err == nil {
		t.Error("Read on a freed Conn succeeded")
	}
	cli.Feed([]byte("x"))
	cli.FeedEOF()
	cli.Shutdown()
	if cli.Outgoing() != 0 || cli.Pending() != 0 || cli.Version() != "" || cli.PeerCertificateDER() != nil {
		t.Error("freed Conn reports state")
	}
}

func TestHotPathAllocations(t *testing.T) {
	cli, srv := openPair(t)
	msg := bytes.Repeat([]byte("m"), 4000)
	wire := make([]byte, 32<<10)
	plain := make([]byte, 8<<10)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := cli.Write(msg); err != nil {
			t.Fatal(err)
		}
		for cli.Outgoing() > 0 {
			n := cli.TakeOutgoing(wire)
			srv.Feed(wire[:n])
		}
		_ = srv.Pending()
		if n, err := srv.Read(plain); n != len(msg) || err != nil {
			t.Fatalf("Read = %d, %v", n, err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per Write/TakeOutgoing/Feed/Read round", allocs)
	}
}

// The first error is kept once per direction: a failed handshake is the
// error of both, which every later Read, Write and Handshake returns.
func TestHandshakeFailureIsTheErrorOfBothDirections(t *testing.T) {
	p := writeFixtures(t)
	srv := mustConn(t, serverContext(t, p.leafCert, p.leafKey, nil), ConnConfig{Server: true})
	srv.Feed([]byte("GET / HTTP/1.0\r\n\r\n"))
	err := srv.Handshake()
	asError(t, err)
	if srv.ReadErr() != err || srv.WriteErr() != err {
		t.Fatalf("ReadErr %v, WriteErr %v, want the handshake's %v", srv.ReadErr(), srv.WriteErr(), err)
	}
	buf := make([]byte, 10)
	if _, e := srv.Read(buf); e != err {
		t.Errorf("Read: %v, want %v", e, err)
	}
	if _, e := srv.Write([]byte("x")); e != err {
		t.Errorf("Write: %v, want %v", e, err)
	}
	if e := srv.Handshake(); e != err {
		t.Errorf("Handshake again: %v, want %v", e, err)
	}
}

// A read failure is the read direction's error only: Read returns it
// again, and a write meets a failure of its own (OpenSSL refuses to write
// on a connection that failed), which becomes the write direction's.
func TestReadFailureIsTheReadDirectionsError(t *testing.T) {
	cli, _ := openPair(t)
	cli.Feed([]byte("\x17\x03\x03\x00\x10garbage-garbage!"))
	buf := make([]byte, 100)
	_, err := cli.Read(buf)
	asError(t, err)
	if _, again := cli.Read(buf); again != err || cli.ReadErr() != err {
		t.Fatalf("Read again: %v, ReadErr %v, want %v", again, cli.ReadErr(), err)
	}
	if cli.WriteErr() != nil {
		t.Fatalf("WriteErr %v after a read failure", cli.WriteErr())
	}
	_, werr := cli.Write([]byte("x"))
	asError(t, werr)
	if cli.WriteErr() != werr || cli.ReadErr() != err {
		t.Fatalf("WriteErr %v, ReadErr %v, want %v and %v", cli.WriteErr(), cli.ReadErr(), werr, err)
	}
	if _, again := cli.Write([]byte("x")); again != werr {
		t.Fatalf("Write again: %v, want %v", again, werr)
	}
}
