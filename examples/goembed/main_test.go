package main_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// root is the module's root directory, two levels up from this one.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// readmeExample returns the Go program that README.md shows under its
// heading "## In Go programs": the first ```go block after it.
func readmeExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n## In Go programs")
	if i < 0 {
		t.Fatal(`README.md has no "## In Go programs" section`)
	}
	s = s[i:]
	const open, end = "\n```go\n", "\n```\n"
	j := strings.Index(s, open)
	if j < 0 {
		t.Fatal("README.md: no ```go block in the Go section")
	}
	s = s[j+len(open):]
	k := strings.Index(s, end)
	if k < 0 {
		t.Fatal("README.md: the ```go block is not closed")
	}
	return s[:k+1]
}

// TestREADMEExample checks that the README shows exactly this program.
func TestREADMEExample(t *testing.T) {
	want, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if got := readmeExample(t); got != string(want) {
		t.Fatalf("README.md's Go example differs from examples/goembed/main.go:\n%s", lineDiff(got, string(want)))
	}
}

// lineDiff names the first line where a and b differ.
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\nREADME:  %q\nmain.go: %q", i+1, x, y)
		}
	}
	return "(same lines)"
}

// TestFreshModule does what the README tells a Go user: the example
// program in a module of its own, requiring this one through a replace
// directive, built with plain go build and run with no environment
// variables but HOME, against a local HTTPS server. It stays offline
// (GOPROXY=off): every module comes from the module cache the build of
// this one filled, and go.mod and go.sum are what go get and go mod
// tidy would make of this module's.
func TestFreshModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program: not in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not on PATH")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not on PATH")
	}
	repo := root(t)
	mod := t.TempDir()
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// What go get and go mod tidy would write, offline: this module's
	// go version and requirements (modernc.org/tcl and what it needs),
	// then this module itself, from the clone.
	_, rest, ok := strings.Cut(string(ours), "\ngo ")
	if !ok {
		t.Fatal("go.mod has no go line")
	}
	gomod := fmt.Sprintf("module example.com/fetch\n\ngo %s\n"+
		"require github.com/tclgo/tls v0.0.0\n\n"+
		"replace github.com/tclgo/tls => %s\n", rest, repo)
	for name, data := range map[string][]byte{
		"go.mod": []byte(gomod), "go.sum": sum, "main.go": src,
	} {
		if err := os.WriteFile(filepath.Join(mod, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Build as a user would: none of this project's build settings.
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	bin := filepath.Join(mod, "fetch")
	build := exec.CommandContext(ctx, goBin, "build", "-o", bin, ".")
	build.Dir = mod
	build.Env = append(userEnv(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in a fresh module: %v\n%s", err, out)
	}

	cert, key := makeCert(t)
	kp, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello over %s", tls.VersionName(r.TLS.Version))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{kp}}
	// The refused handshake below makes Go's server log "bad record
	// MAC" (as any OpenSSL client's alert does): not a finding here.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	page := "https://localhost:" + u.Port() + "/"

	home := t.TempDir()
	run := func(env []string, args ...string) (string, string, error) {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append([]string{"HOME=" + home}, env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}

	// Verified fetch: the first run writes Tcl's script library into
	// $HOME/.cache, the second finds it there.
	for i := 1; i <= 2; i++ {
		out, errOut, err := run(nil, "-cafile", cert, page)
		if err != nil || out != "200 hello over TLS 1.3\n" {
			t.Fatalf("run %d: %v\nstdout: %q\nstderr: %s", i, err, out, errOut)
		}
	}
	libs, _ := filepath.Glob(filepath.Join(home, ".cache", "tclgo-tls", "tcl8.6*", "init.tcl"))
	if len(libs) != 1 {
		t.Fatalf("Tcl's script library under $HOME/.cache: %v", libs)
	}

	// An unverifiable server, an unusable library: the program fails
	// with Tcl's message.
	fails := func(what, want string, env []string, args ...string) {
		t.Helper()
		out, errOut, err := run(env, args...)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || out != "" ||
			!strings.Contains(errOut, want) || strings.Contains(errOut, "return code") {
			t.Fatalf("%s: %v\nstdout: %q\nstderr: %s", what, err, out, errOut)
		}
	}
	fails("without -cafile", "certificate verify failed", nil, page)
	// A TCL_LIBRARY set by the user is used as it is; Tcl says why it
	// cannot start from this one.
	fails("TCL_LIBRARY=/nonexistent", "Can't find a usable init.tcl",
		[]string{"TCL_LIBRARY=/nonexistent"}, "-cafile", cert, page)
}

// userEnv is the test's environment without what this project's build
// and test runs set (Tcl paths, cgo flags, Go flags).
func userEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TCL"), strings.HasPrefix(name, "CGO_"),
			name == "GOFLAGS", name == "GOPROXY", name == "GOWORK", name == "GOTOOLCHAIN":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// makeCert writes a self-signed certificate for localhost and its key.
func makeCert(t *testing.T) (cert, key string) {
	t.Helper()
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec",
		"-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
		"-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
		"-keyout", key, "-out", cert).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl req: %v\n%s", err, out)
	}
	return cert, key
}
