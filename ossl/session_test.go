package ossl

import (
	"testing"
)

// field returns the value of key in fields, failing the test if absent.
func field(t testing.TB, fields []Field, key string) any {
	t.Helper()
	for _, f := range fields {
		if f.Key == key {
			return f.Value
		}
	}
	t.Fatalf("no key %q", key)
	return nil
}

// resumeOnce makes two client connections from cli to a server from srv
// with the same session key and reports whether each was resumed, as both
// ends see it.
func resumeOnce(t *testing.T, cli, srv *Context, clientCC, serverCC ConnConfig, key string) (first, second [2]bool) {
	t.Helper()
	for i := 0; i < 2; i++ {
		c := mustConn(t, cli, clientCC)
		s := mustConn(t, srv, serverCC)
		if err := c.SetSessionKey(key); err != nil {
			t.Fatal(err)
		}
		mustPump(t, c, s)
		// TLS 1.3 tickets come after the handshake: read some data.
		sendRecv(t, s, c, []byte("ping"))
		sendRecv(t, c, s, []byte("pong"))
		r := [2]bool{field(t, c.ConnectionFields(), "session_reused") == 1,
			field(t, s.ConnectionFields(), "session_reused") == 1}
		if i == 0 {
			first = r
		} else {
			second = r
		}
	}
	return first, second
}

func TestSessionResumption(t *testing.T) {
	p := writeFixtures(t)
	for _, tc := range []struct {
		name  string
		proto Protocols
		cert  bool
	}{
		{"tls1.2", TLS1_2, false},
		{"tls1.3", TLS1_3, false},
		{"tls1.2 client cert", TLS1_2, true},
		{"tls1.3 client cert", TLS1_3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serverContext(t, p.leafCert, p.leafKey, func(c *Config) {
				c.Protocols = tc.proto
				c.Server = true
				c.CAFile = p.ca
			})
			ccfg := baseConfig()
			ccfg.CAFile = p.ca
			if tc.cert {
				ccfg.CertFile, ccfg.KeyFile = p.leafCert, p.leafKey
			}
			cli := mustContext(t, ccfg)
			first, second := resumeOnce(t, cli, srv, ConnConfig{ServerName: "localhost", Request: true},
				ConnConfig{Server: true, Request: true}, "localhost")
			if first != [2]bool{false, false} || second != [2]bool{true, true} {
				t.Fatalf("session_reused (client, server): first %v, second %v; want false/false then true/true", first, second)
			}
		})
	}
}

func TestSessionCacheKeys(t *testing.T) {
	p := writeFixtures(t)
	srv := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Server = true })
	cli := mustContext(t, baseConfig())
	_, second := resumeOnce(t, cli, srv, ConnConfig{}, ConnConfig{Server: true}, "a")
	if !second[0] {
		t.Fatal("second connection with the same key not resumed")
	}
	c := mustConn(t, cli, ConnConfig{})
	s := mustConn(t, srv, ConnConfig{Server: true})
	if err := c.SetSessionKey("b"); err != nil {
		t.Fatal(err)
	}
	mustPump(t, c, s)
	if field(t, c.ConnectionFields(), "session_reused") != 0 {
		t.Fatal("a connection with another key was resumed")
	}
	before := cachedSessions()
	cli.Free()
	if after := cachedSessions(); after >= before {
		t.Fatalf("freeing the context left its sessions: %d before, %d after", before, after)
	}
}

func TestSessionCacheBound(t *testing.T) {
	p := writeFixtures(t)
	srv := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Server = true; c.Protocols = TLS1_2 })
	cli := mustContext(t, baseConfig())
	for i := 0; i < maxSessions+5; i++ {
		c := mustConn(t, cli, ConnConfig{})
		s := mustConn(t, srv, ConnConfig{Server: true})
		if err := c.SetSessionKey(string(rune('a'+i%26)) + string(rune(i))); err != nil {
			t.Fatal(err)
		}
		mustPump(t, c, s)
		c.Free()
		s.Free()
	}
	if n := cachedSessions(); n > maxSessions {
		t.Fatalf("cache holds %d sessions, bound is %d", n, maxSessions)
	}
}

// connectWith makes one connection from cli to srv, set up by prepare,
// exchanges data (TLS 1.3 tickets arrive after the handshake) and returns
// the client's session_reused and session_id.
func connectWith(t *testing.T, cli, srv *Context, prepare func(*Conn) error) (bool, []byte) {
	t.Helper()
	c := mustConn(t, cli, ConnConfig{})
	s := mustConn(t, srv, ConnConfig{Server: true})
	defer c.Free()
	defer s.Free()
	if err := prepare(c); err != nil {
		t.Fatal(err)
	}
	mustPump(t, c, s)
	sendRecv(t, s, c, []byte("ping"))
	sendRecv(t, c, s, []byte("pong"))
	f := c.ConnectionFields()
	// Closed properly: OpenSSL marks the session of a connection freed
	// without close_notify as not resumable.
	c.Shutdown()
	return field(t, f, "session_reused") == 1, field(t, f, "session_id").([]byte)
}

func TestResumeSessionByID(t *testing.T) {
	p := writeFixtures(t)
	for _, proto := range []Protocols{TLS1_2, TLS1_3} {
		srv := serverContext(t, p.leafCert, p.leafKey, func(c *Config) { c.Server = true; c.Protocols = proto })
		cli := mustContext(t, baseConfig())
		keep := func(c *Conn) error { return c.KeepSessions("k") }
		reused, id := connectWith(t, cli, srv, keep)
		if reused || len(id) == 0 {
			t.Fatalf("%b: first connection reused %v, id %x", proto, reused, id)
		}
		if reused, _ := connectWith(t, cli, srv, keep); reused {
			t.Fatalf("%b: KeepSessions offered a session", proto)
		}
		if reused, _ := connectWith(t, cli, srv, func(c *Conn) error { return c.ResumeSession("other", id) }); reused {
			t.Fatalf("%b: resumed under another key", proto)
		}
		if reused, _ := connectWith(t, cli, srv, func(c *Conn) error { return c.ResumeSession("k", []byte("unknown")) }); reused {
			t.Fatalf("%b: resumed an unknown id", proto)
		}
		if reused, _ := connectWith(t, cli, srv, func(c *Conn) error { return c.ResumeSession("k", id) }); !reused {
			t.Fatalf("%b: the session with id %x was not resumed", proto, id)
		}
		cli.Free()
		srv.Free()
	}
	sessions.Lock()
	n := len(sessions.byID)
	sessions.Unlock()
	if n != 0 {
		t.Fatalf("freed contexts left %d sessions in the id index", n)
	}
}

// A full cache drops the entry stored first.
func TestOldestIsLowestStamp(t *testing.T) {
	m := map[string]uint64{"b": 7, "a": 3, "c": 9}
	if got := oldest(m, func(s uint64) uint64 { return s }); got != "a" {
		t.Fatalf("oldest = %q, want \"a\"", got)
	}
	if got := oldest(map[string]uint64{}, func(s uint64) uint64 { return s }); got != "" {
		t.Fatalf("oldest of an empty map = %q", got)
	}
}
