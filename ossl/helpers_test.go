package ossl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// certKey is one generated certificate with its key.
type certKey struct {
	der []byte
	key crypto.Signer
}

// keyDER returns the private key as PKCS#8 DER.
func (ck certKey) keyDER(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(ck.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// fixtureSet holds every certificate the tests use, generated once.
type fixtureSet struct {
	ca, leaf, self, expired, rsaLeaf, other certKey
}

var (
	fixturesOnce sync.Once
	fixturesVal  *fixtureSet
	fixturesErr  error
)

func newSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n.Add(n, big.NewInt(1))
}

func makeCert(tmpl *x509.Certificate, parent *certKey, key crypto.Signer) (certKey, error) {
	signer := key
	parentCert := tmpl
	if parent != nil {
		signer = parent.key
		pc, err := x509.ParseCertificate(parent.der)
		if err != nil {
			return certKey{}, err
		}
		parentCert = pc
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		return certKey{}, err
	}
	return certKey{der: der, key: key}, nil
}

func ecKey() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func leafTemplate(cn string, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: newSerial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
}

func buildFixtures() (*fixtureSet, error) {
	now := time.Now()
	f := &fixtureSet{}
	caKey, err := ecKey()
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          newSerial(),
		Subject:               pkix.Name{CommonName: "ossl test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if f.ca, err = makeCert(caTmpl, nil, caKey); err != nil {
		return nil, err
	}
	mk := func(dst *certKey, tmpl *x509.Certificate, parent *certKey, key crypto.Signer) {
		if err != nil {
			return
		}
		if key == nil {
			if key, err = ecKey(); err != nil {
				return
			}
		}
		*dst, err = makeCert(tmpl, parent, key)
	}
	mk(&f.leaf, leafTemplate("localhost", now.Add(-time.Hour), now.Add(24*time.Hour)), &f.ca, nil)
	mk(&f.self, leafTemplate("localhost", now.Add(-time.Hour), now.Add(24*time.Hour)), nil, nil)
	mk(&f.expired, leafTemplate("localhost", now.Add(-48*time.Hour), now.Add(-24*time.Hour)), &f.ca, nil)
	mk(&f.other, leafTemplate("localhost", now.Add(-time.Hour), now.Add(24*time.Hour)), &f.ca, nil)
	if err != nil {
		return nil, err
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	mk(&f.rsaLeaf, leafTemplate("localhost", now.Add(-time.Hour), now.Add(24*time.Hour)), &f.ca, rsaKey)
	return f, err
}

// fixtures returns the shared certificates, generating them on first use.
func fixtures(t testing.TB) *fixtureSet {
	t.Helper()
	fixturesOnce.Do(func() { fixturesVal, fixturesErr = buildFixtures() })
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixturesVal
}

// paths are the PEM files written for one test.
type paths struct {
	dir                    string
	ca                     string
	leafCert, leafKey      string
	leafBoth               string // certificate followed by key
	selfCert, selfKey      string
	expiredCert, expiredKy string
	otherKey               string
	rsaCert, rsaEncKey     string
}

const testPassword = "correct horse"

func writePEM(t testing.TB, path string, blocks ...*pem.Block) string {
	t.Helper()
	var out []byte
	for _, b := range blocks {
		out = append(out, pem.EncodeToMemory(b)...)
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func certBlock(ck certKey) *pem.Block { return &pem.Block{Type: "CERTIFICATE", Bytes: ck.der} }

func keyBlock(t testing.TB, ck certKey) *pem.Block {
	return &pem.Block{Type: "PRIVATE KEY", Bytes: ck.keyDER(t)}
}

// writeFixtures writes the certificates as PEM files into t.TempDir().
func writeFixtures(t testing.TB) *paths {
	t.Helper()
	f := fixtures(t)
	d := t.TempDir()
	p := &paths{dir: d}
	j := func(n string) string { return filepath.Join(d, n) }
	p.ca = writePEM(t, j("ca.pem"), certBlock(f.ca))
	p.leafCert = writePEM(t, j("leaf.pem"), certBlock(f.leaf))
	p.leafKey = writePEM(t, j("leaf.key"), keyBlock(t, f.leaf))
	p.leafBoth = writePEM(t, j("leaf-both.pem"), certBlock(f.leaf), keyBlock(t, f.leaf))
	p.selfCert = writePEM(t, j("self.pem"), certBlock(f.self))
	p.selfKey = writePEM(t, j("self.key"), keyBlock(t, f.self))
	p.expiredCert = writePEM(t, j("expired.pem"), certBlock(f.expired))
	p.expiredKy = writePEM(t, j("expired.key"), keyBlock(t, f.expired))
	p.otherKey = writePEM(t, j("other.key"), keyBlock(t, f.other))
	p.rsaCert = writePEM(t, j("rsa.pem"), certBlock(f.rsaLeaf))
	pkcs1 := x509.MarshalPKCS1PrivateKey(f.rsaLeaf.key.(*rsa.PrivateKey))
	//lint:ignore SA1019 legacy PEM encryption is what OpenSSL's traditional format reads.
	enc, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", pkcs1, []byte(testPassword), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		t.Fatal(err)
	}
	p.rsaEncKey = writePEM(t, j("rsa-enc.key"), enc)
	return p
}

// baseConfig returns a context configuration with OpenSSL's default
// security level and TLS 1.2 and 1.3 enabled.
func baseConfig() Config {
	return Config{Protocols: TLS1_2 | TLS1_3, SecurityLevel: -1}
}

func mustContext(t testing.TB, cfg Config) *Context {
	t.Helper()
	ctx, err := NewContext(&cfg)
	if err != nil {
		t.Fatalf("NewContext: %v", err)
	}
	t.Cleanup(ctx.Free)
	return ctx
}

func mustConn(t testing.TB, ctx *Context, cc ConnConfig) *Conn {
	t.Helper()
	c, err := ctx.NewConn(&cc)
	if err != nil {
		t.Fatalf("NewConn: %v", err)
	}
	t.Cleanup(c.Free)
	return c
}

// serverContext returns a server context presenting certFile/keyFile.
func serverContext(t testing.TB, certFile, keyFile string, mod func(*Config)) *Context {
	t.Helper()
	cfg := baseConfig()
	cfg.CertFile, cfg.KeyFile = certFile, keyFile
	if mod != nil {
		mod(&cfg)
	}
	return mustContext(t, cfg)
}

// move transfers all waiting ciphertext from one Conn to the other.
func move(from, to *Conn) int {
	var buf [16 << 10]byte
	total := 0
	for from.Outgoing() > 0 {
		n := from.TakeOutgoing(buf[:])
		if n == 0 {
			break
		}
		to.Feed(buf[:n])
		total += n
	}
	return total
}

func isWant(err error) bool { return errors.Is(err, ErrWantRead) || errors.Is(err, ErrWantWrite) }

// pump drives both handshakes in memory until neither wants more input or
// nothing moves any more.
func pump(cli, srv *Conn) (cerr, serr error) {
	for i := 0; i < 100; i++ {
		cerr = cli.Handshake()
		moved := move(cli, srv)
		serr = srv.Handshake()
		moved += move(srv, cli)
		if !isWant(cerr) && !isWant(serr) {
			break
		}
		if moved == 0 {
			break
		}
	}
	return cerr, serr
}

// mustPump pumps and fails the test unless both handshakes succeed.
func mustPump(t testing.TB, cli, srv *Conn) {
	t.Helper()
	cerr, serr := pump(cli, srv)
	if cerr != nil || serr != nil {
		t.Fatalf("handshake failed: client %v, server %v", cerr, serr)
	}
}

// sendRecv writes data on w, pumps it to r and reads it back completely.
func sendRecv(t testing.TB, w, r *Conn, data []byte) {
	t.Helper()
	n, err := w.Write(data)
	if err != nil || n != len(data) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(data))
	}
	got := make([]byte, 0, len(data))
	buf := make([]byte, 7000) // odd size: reads cross record boundaries
	for idle := 0; len(got) < len(data); {
		moved := move(w, r)
		progress := moved > 0
		for {
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if n > 0 {
				progress = true
			}
			if errors.Is(err, ErrWantRead) {
				break
			}
			if err != nil {
				t.Fatalf("Read after %d bytes: %v", len(got), err)
			}
		}
		move(r, w) // anything the reader produced (tickets, key updates)
		if !progress {
			if idle++; idle > 3 {
				t.Fatalf("no progress after %d of %d bytes", len(got), len(data))
			}
		}
	}
	if string(got) != string(data) {
		t.Fatalf("received data differs from what was sent (%d bytes)", len(data))
	}
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// asError unwraps an *Error or fails the test.
func asError(t testing.TB, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e
}

// openPair returns a client and a server connection with the handshake
// done and the server's session tickets read: open and idle.
func openPair(t testing.TB) (cli, srv *Conn) {
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cli, srv = shake(t, mustContext(t, baseConfig()), sctx)
	sendRecv(t, srv, cli, []byte("drain tickets"))
	return cli, srv
}

// shake returns a client of cctx and a server of sctx with the handshake
// between them done.
func shake(t testing.TB, cctx, sctx *Context) (cli, srv *Conn) {
	t.Helper()
	cli = mustConn(t, cctx, ConnConfig{})
	srv = mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)
	return cli, srv
}
