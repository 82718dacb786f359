package ossl

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
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
	before := opensslAllocs()
	cli := mustConn(t, mustContext(t, baseConfig()), ConnConfig{})
	srv := mustConn(t, sctx, ConnConfig{Server: true})
	mustPump(t, cli, srv)
	if opensslAllocs() == before {
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
	start := opensslAllocs()
	for i := 0; i < rounds; i++ {
		round(false)
	}
	perRecord := float64(opensslAllocs()-start) / (rounds * 4)
	t.Logf("%.2f large allocations per record", perRecord)
	if perRecord > 0.02 {
		t.Errorf("%.2f large OpenSSL allocations per 16 KiB record, want none", perRecord)
	}
	start = opensslAllocs()
	for i := 0; i < rounds; i++ {
		round(true)
	}
	perRound := float64(opensslAllocs()-start) / rounds
	t.Logf("%.2f large allocations per round with an idle read", perRound)
	if perRound < 0.9 {
		t.Errorf("%.2f large OpenSSL allocations per round with an idle read, want 1: an idle connection keeps its read buffer", perRound)
	}
}
