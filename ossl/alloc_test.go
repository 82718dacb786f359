package ossl

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/tclgo/tls/ossl/internal/alloccount"
)

// A busy connection keeps its record buffers: moving 64 KiB at a time
// (four full records) from one Conn to the other costs OpenSSL no large
// allocation on either side, as long as a full record's worth of input
// arrives each time the receiver's input runs out (what a blocking bulk
// receiver sees: one read that runs dry per read from the network). An
// idle receiver, whose input runs dry with nothing new arrived, releases
// its read buffer, which the next write then allocates again. With
// SSL_MODE_RELEASE_BUFFERS it was one allocation per record and one per
// write. Counting needs OpenSSL's allocation functions replaced at
// start-up, so the test runs itself again in a child process with
// TLSGO_COUNT_ALLOCS set.
func TestNoAllocationPerRecord(t *testing.T) {
	if os.Getenv("TLSGO_COUNT_ALLOCS") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNoAllocationPerRecord$", "-test.v")
		cmd.Env = append(os.Environ(), "TLSGO_COUNT_ALLOCS=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("counting run failed: %v\n%s", err, out)
		}
		if !bytes.Contains(out, []byte("large allocations per record")) {
			t.Fatalf("counting run did not count:\n%s", out)
		}
		t.Logf("%s", out)
		return
	}
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	before := alloccount.Large()
	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)
	if alloccount.Large() == before {
		t.Fatal("OpenSSL's allocations are not being counted (a handshake makes some)")
	}
	sendRecv(t, srv, cli, []byte("drain tickets"))
	msg := bytes.Repeat([]byte("r"), 64<<10)
	plain := make([]byte, 64<<10)
	round := func(idle bool) {
		if n, err := cli.Write(msg); n != len(msg) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		move(cli, srv)
		got := 0
		for got < len(msg) {
			n, err := srv.Read(plain)
			if err != nil {
				t.Fatalf("Read after %d bytes: %v", got, err)
			}
			got += n
		}
		reads := 1
		if idle {
			reads = 2
		}
		for i := 0; i < reads; i++ {
			if n, err := srv.Read(plain); n != 0 || !isWant(err) {
				t.Fatalf("Read of nothing = %d, %v", n, err)
			}
		}
	}
	round(false)
	const rounds = 50
	start := alloccount.Large()
	for i := 0; i < rounds; i++ {
		round(false)
	}
	perRecord := float64(alloccount.Large()-start) / (rounds * 4)
	t.Logf("%.2f large allocations per record", perRecord)
	if perRecord > 0.02 {
		t.Errorf("%.2f large OpenSSL allocations per 16 KiB record, want none", perRecord)
	}
	start = alloccount.Large()
	for i := 0; i < rounds; i++ {
		round(true)
	}
	perRound := float64(alloccount.Large()-start) / rounds
	t.Logf("%.2f large allocations per round with an idle read", perRound)
	if perRound < 0.9 {
		t.Errorf("%.2f large OpenSSL allocations per round with an idle read, want 1: an idle connection keeps its read buffer", perRound)
	}
}

// countInChild runs the test named name again in a child process with
// OpenSSL's allocations counted (TLSGO_COUNT_ALLOCS), since counting
// needs OpenSSL's allocation functions replaced at start-up; it reports
// whether this is the child, which does the work. The parent checks that
// the child ran and printed marker.
func countInChild(t *testing.T, name, marker string) bool {
	t.Helper()
	if os.Getenv("TLSGO_COUNT_ALLOCS") != "" {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(os.Environ(), "TLSGO_COUNT_ALLOCS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("counting run failed: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte(marker)) {
		t.Fatalf("counting run did not count:\n%s", out)
	}
	t.Logf("%s", out)
	return false
}

// An idle connection holds no record buffer, in OpenSSL or in its
// buffer BIOs, and little else: after the handshake, and again after
// traffic both ways, a read that finds nothing leaves a client and a
// server Conn holding no large block of OpenSSL's and a bounded number of
// bytes. The buffers are taken again for the traffic in between.
func TestIdleConnectionHoldsNoRecordBuffers(t *testing.T) {
	if !countInChild(t, t.Name(), "held per idle connection") {
		return
	}
	// OpenSSL keeps some state per thread (its error queue): one thread
	// throughout, so that none of it is taken in the middle.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p := writeFixtures(t)
	sctx := serverContext(t, p.leafCert, p.leafKey, nil)
	cctx := mustContext(t, baseConfig())
	// A first pair, freed again, leaves what the contexts keep of the
	// first handshakes (CA certificates looked up, say) out of the count.
	warmCli, warmSrv := shake(t, cctx, sctx)
	sendRecv(t, warmSrv, warmCli, []byte("drain tickets"))
	warmCli.Free()
	warmSrv.Free()
	bytes0, records0 := alloccount.Held()
	if bytes0 == 0 {
		t.Skip("the C library cannot tell the size of a block")
	}
	cli, srv := shake(t, cctx, sctx)
	sendRecv(t, srv, cli, []byte("drain tickets"))

	plain := make([]byte, 1024)
	idle := func(when string) (perConn int64) {
		t.Helper()
		for _, c := range []*Conn{cli, srv} {
			if n, err := c.Read(plain); n != 0 || !isWant(err) {
				t.Fatalf("%s: Read of nothing = %d, %v", when, n, err)
			}
			for _, q := range []*bufBIO{{c.in}, {c.out}} {
				if q.cap() != 0 {
					t.Errorf("%s: a buffer BIO holds %d bytes of buffer", when, q.cap())
				}
			}
		}
		held, records := alloccount.Held()
		if records != records0 {
			t.Errorf("%s: OpenSSL holds %d blocks of 16 KiB or more for two idle connections, want none",
				when, records-records0)
		}
		return held - bytes0
	}
	pairHandshake := idle("after the handshake")
	if big := alloccount.Large(); big == 0 {
		t.Fatal("OpenSSL's allocations are not being counted")
	}
	before := alloccount.Large()
	sendRecv(t, cli, srv, bytes.Repeat([]byte("c"), 64<<10))
	sendRecv(t, srv, cli, bytes.Repeat([]byte("s"), 64<<10))
	if alloccount.Large() == before {
		t.Error("traffic took no record buffer: the counting or the test is broken")
	}
	pairTraffic := idle("after traffic")
	held, _ := alloccount.Held()
	srv.Free()
	freed, _ := alloccount.Held()
	server, client := held-freed, pairTraffic-(held-freed)
	t.Logf("OpenSSL bytes held per idle connection: server %d, client %d (both %d after the handshake)",
		server, client, pairHandshake)
	// The SSL object alone is about 8 KiB; its two record buffers would
	// add 33 KiB. The client also holds the server's certificate and its
	// session.
	if server > 16<<10 || client > 24<<10 {
		t.Errorf("OpenSSL bytes held per idle connection: server %d, client %d; want at most 16 and 24 KiB",
			server, client)
	}
	if pairTraffic > pairHandshake+512 {
		t.Errorf("traffic left %d more bytes held by the two idle connections", pairTraffic-pairHandshake)
	}
}
