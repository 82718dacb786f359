package ossl

import (
	"strings"
	"testing"
)

func TestHooksServerForms(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx := mustContext(t, Config{Protocols: TLS1_2 | TLS1_3, SecurityLevel: -1, CAFile: p.ca})
	var got []string
	for _, tc := range []struct {
		name     string
		alpn     Decision
		clientA  []string
		wantALPN string
		fail     bool
	}{
		{"overlap", Accept, []string{"x", "h2"}, "h2", false},
		{"client first", Accept, []string{"x", "y"}, "x", false},
		{"continue", Continue, []string{"x"}, "", false},
		{"reject", Reject, []string{"x"}, "", true},
	} {
		got = got[:0]
		srv := mustConn(t, sctx, ConnConfig{Server: true, ALPN: []string{"h2", "http/1.1"}})
		srv.SetHooks(&Hooks{
			Hello: func(n string, _ []byte) Decision { got = append(got, "hello "+n); return Accept },
			SNI:   func(n string) Decision { got = append(got, "sni "+n); return Accept },
			ALPN: func(p string, m bool) Decision {
				got = append(got, "alpn "+p)
				return tc.alpn
			},
		})
		cli := mustConn(t, cctx, ConnConfig{ServerName: "localhost", ALPN: tc.clientA})
		cerr, serr := pump(cli, srv)
		if tc.fail {
			if serr == nil || !strings.Contains(serr.Error(), "no application protocol") {
				t.Errorf("%s: server error %v, want no application protocol", tc.name, serr)
			}
			continue
		}
		if cerr != nil || serr != nil {
			t.Fatalf("%s: handshake: %v / %v", tc.name, cerr, serr)
		}
		want := "hello localhost,sni localhost,alpn " + tc.wantALPN
		if tc.wantALPN == "" {
			want = "hello localhost,sni localhost,alpn x"
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: hooks saw %q, want %q", tc.name, got, want)
		}
		if cli.ALPN() != tc.wantALPN {
			t.Errorf("%s: ALPN %q, want %q", tc.name, cli.ALPN(), tc.wantALPN)
		}
	}
}

func TestHooksVerifyInfoSession(t *testing.T) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.selfCert, p.selfKey, nil)
	cctx := mustContext(t, Config{Protocols: TLS1_3, SecurityLevel: -1, CAFile: p.ca})
	for _, d := range []Decision{Accept, Continue, Reject} {
		var depths []int
		var infos, sessions, failed int
		cli := mustConn(t, cctx, ConnConfig{Request: true, Require: true})
		cli.SetHooks(&Hooks{
			Verify: func(ev VerifyEvent) Decision {
				if len(ev.DER) == 0 {
					t.Errorf("verify event at depth %d without a certificate", ev.Depth)
				}
				if !ev.OK {
					failed++
				}
				depths = append(depths, ev.Depth)
				return d
			},
			Info:       func(InfoEvent) { infos++ },
			NewSession: func(ev SessionEvent) { sessions++ },
		})
		srv := mustConn(t, sctx, ConnConfig{Server: true})
		cerr, _ := pump(cli, srv)
		if d == Reject {
			if cerr == nil {
				t.Error("Reject: handshake succeeded")
			}
			continue
		}
		if cerr != nil {
			t.Fatalf("decision %d: %v", d, cerr)
		}
		buf := make([]byte, 1)
		move(srv, cli)
		cli.Read(buf) // takes in the session tickets
		if len(depths) == 0 || failed == 0 || infos == 0 || sessions == 0 {
			t.Errorf("decision %d: depths %v, %d failed, %d info, %d sessions", d, depths, failed, infos, sessions)
		}
		if d == Continue && cli.VerifyResult() == "ok" {
			t.Error("Continue: verify result ok, want the failure recorded")
		}
	}
}

func TestServerNameOf(t *testing.T) {
	ext := func(list int, typ byte, n int, name string) []byte {
		return append([]byte{byte(list >> 8), byte(list), typ, byte(n >> 8), byte(n)}, name...)
	}
	cases := []struct {
		name string
		ext  []byte
		want string
	}{
		{"ok", ext(3+9, 0, 9, "localhost"), "localhost"},
		{"empty", nil, ""},
		{"short", []byte{0, 3, 0}, ""},
		{"list too long", ext(100, 0, 9, "localhost"), ""},
		{"name past list", ext(3+4, 0, 9, "localhost"), ""},
		{"not a host name", ext(3+9, 1, 9, "localhost"), ""},
		{"empty name", ext(3, 0, 0, ""), ""},
	}
	for _, tc := range cases {
		if got := serverNameOf(tc.ext); got != tc.want {
			t.Errorf("%s: serverNameOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func FuzzServerNameOf(f *testing.F) {
	f.Add([]byte{0, 12, 0, 0, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'})
	f.Add([]byte{0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, ext []byte) {
		if name := serverNameOf(ext); len(name) > 255 || len(name) > len(ext) {
			t.Fatalf("name of %d bytes from %d", len(name), len(ext))
		}
	})
}
