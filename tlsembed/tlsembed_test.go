package tlsembed_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tclgo/tls/tlsembed"
	mtcl "modernc.org/tcl"
)

// newInterp returns an interpreter made by NewInterp, deleted at the
// end of the test.
func newInterp(t *testing.T) *tlsembed.Interp {
	t.Helper()
	in, err := tlsembed.NewInterp()
	if err != nil {
		t.Fatalf("NewInterp: %v", err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

func eval(t *testing.T, in *tlsembed.Interp, script string) string {
	t.Helper()
	s, err := in.Eval(script)
	if err != nil {
		var e *tlsembed.Error
		errors.As(err, &e)
		t.Fatalf("%s\n=> %v (%+v)", script, err, e)
	}
	return s
}

func TestRegister(t *testing.T) {
	in := newInterp(t)
	if v := eval(t, in, "package require tls"); v != tlsembed.Version {
		t.Fatalf("package require tls = %q", v)
	}
	if v := eval(t, in, "tls::version"); !strings.Contains(v, "OpenSSL") {
		t.Fatalf("tls::version = %q", v)
	}
	if _, err := in.Eval("tls::import"); err == nil {
		t.Fatal("tls::import without arguments succeeded")
	}
	// Registering twice (a second interpreter, say) is fine.
	if err := tlsembed.Register(in.Interp); err != nil {
		t.Fatal(err)
	}
}

// TestHandshake runs a TLS server and client on loopback inside one
// interpreter, so both are non-blocking and driven by the event loop: a
// full handshake, data both ways, and status.
func TestHandshake(t *testing.T) {
	dir := t.TempDir()
	key, cert := filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec",
		"-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
		"-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
		"-keyout", key, "-out", cert).CombinedOutput()
	if err != nil {
		t.Skipf("openssl: %v\n%s", err, out)
	}
	in := newInterp(t)
	in.MustEval("set cert " + cert + "; set key " + key)
	got := eval(t, in, `
		proc accept {chan addr port} {
			fconfigure $chan -buffering line
			fileevent $chan readable [list echo $chan]
		}
		proc echo {chan} {
			if {[gets $chan line] < 0} {
				if {[eof $chan]} { close $chan }
				return
			}
			puts $chan "echo: $line"
		}
		set srv [tls::socket -server accept -certfile $cert -keyfile $key 0]
		set port [lindex [fconfigure $srv -sockname] 2]
		set timeout [after 10000 {set ::reply timeout}]
		set c [tls::socket -cafile $cert -servername localhost localhost $port]
		fconfigure $c -buffering line -blocking 0
		puts $c hello
		fileevent $c readable {if {[gets $c line] >= 0} {set ::reply $line}}
		vwait ::reply
		after cancel $timeout
		set st [tls::status $c]
		close $c
		close $srv
		list $::reply [dict get $st protocol]
	`)
	if !strings.HasPrefix(got, "{echo: hello} TLSv1.") {
		t.Fatalf("got %q", got)
	}
}

// TestScriptLibrary checks what the issue with modernc.org/tcl's own
// library file system broke: `encoding names` lists the encodings, and
// Tcl's http package loads.
func TestScriptLibrary(t *testing.T) {
	in := newInterp(t)
	if n := eval(t, in, "llength [encoding names]"); n == "0" || n == "1" {
		t.Fatalf("encoding names lists %s encodings", n)
	}
	if v := eval(t, in, "package require http"); !strings.HasPrefix(v, "2.") {
		t.Fatalf("package require http = %q", v)
	}
	dir, err := tlsembed.Setup()
	if err != nil {
		t.Fatal(err)
	}
	if got := eval(t, in, "info library"); got != dir {
		t.Fatalf("info library = %q, Setup gave %q", got, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "init.tcl")); err != nil {
		t.Fatal(err)
	}
	if got := eval(t, in, "file tail [info nameofexecutable]"); got != filepath.Base(os.Args[0]) {
		t.Fatalf("info nameofexecutable ends in %q, want %q", got, filepath.Base(os.Args[0]))
	}
}

// TestErrors checks that a failed script returns Tcl's message, stack
// trace and error code, never modernc.org/tcl's bare "return code: 1".
func TestErrors(t *testing.T) {
	in := newInterp(t)
	_, err := in.Eval(`proc p {} {error "no such peer" "" {TLS PEER}}; p`)
	var e *tlsembed.Error
	if !errors.As(err, &e) {
		t.Fatalf("Eval error = %#v, want *tlsembed.Error", err)
	}
	if e.Error() != "no such peer" || e.Code != 1 || e.ErrorCode != "TLS PEER" ||
		!strings.Contains(e.ErrorInfo, `(procedure "p" line 1)`) {
		t.Fatalf("error = %+v", e)
	}
	if _, err := in.Eval("tls::socket -bogus 1 localhost 1"); err == nil ||
		!strings.Contains(err.Error(), "-bogus") {
		t.Fatalf("tls::socket -bogus: %v", err)
	}
	if _, err := in.Eval("break"); err == nil || err.Error() != `invoked "break" outside of a loop` {
		t.Fatalf("break: %v", err)
	}
	if s, err := in.Eval("return done"); err != nil || s != "done" {
		t.Fatalf("return done = %q, %v", s, err)
	}
	func() {
		defer func() {
			r := recover()
			if pe, ok := r.(*tlsembed.Error); !ok || pe.Message != `invalid command name "nosuch"` {
				t.Fatalf("MustEval panicked with %#v", r)
			}
		}()
		in.MustEval("nosuch")
	}()
}

// TestCall checks that Call passes each word as it is.
func TestCall(t *testing.T) {
	in := newInterp(t)
	word := `[exit 3] $nosuch {unbalanced "quote`
	if got, err := in.Call("set", "v", word); err != nil || got != word {
		t.Fatalf("Call set = %q, %v", got, err)
	}
	if got := eval(t, in, "string length $v"); got != strconv.Itoa(len(word)) {
		t.Fatalf("length %s", got)
	}
	if _, err := in.Call(); err == nil {
		t.Fatal("Call with no words succeeded")
	}
	if _, err := in.Call("error", "from call"); err == nil || err.Error() != "from call" {
		t.Fatalf("Call error: %v", err)
	}
}

// TestChildInterpreter checks that interpreters a script creates can
// load the package too (the static package and its index).
func TestChildInterpreter(t *testing.T) {
	in := newInterp(t)
	got := eval(t, in, `
		set c [interp create]
		set v [$c eval {package require tls}]
		set cmds [$c eval {info commands ::tls::socket}]
		interp delete $c
		list $v $cmds`)
	if got != tlsembed.Version+" ::tls::socket" {
		t.Fatalf("child interpreter: %q", got)
	}
}

// TestChildInterpreterLibPath checks the same with TCLLIBPATH naming a
// directory that holds the package's own index beside its shared
// libraries (a build directory, an installation), which a child
// interpreter reads before the static package's index: the host, which
// cannot load shared libraries, must still provide its static package.
func TestChildInterpreterLibPath(t *testing.T) {
	in := newInterp(t)
	tmpl, err := os.ReadFile(filepath.Join("..", "pkgIndex.tcl.in"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	index := strings.ReplaceAll(string(tmpl), "@VERSION@", tlsembed.Version)
	files := map[string]string{"pkgIndex.tcl": index, "libtls.so": "", "libtcl9tls.so": ""}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := eval(t, in, `
		set old [array get ::env TCLLIBPATH]
		set ::env(TCLLIBPATH) [list `+strconv.Quote(dir)+`]
		set c [interp create]
		set r [catch {$c eval {package require tls}} v]
		set path [$c eval {set auto_path}]
		interp delete $c
		unset ::env(TCLLIBPATH)
		array set ::env $old
		list $r $v [lindex $path 0]`)
	if want := "0 " + tlsembed.Version + " " + dir; got != want {
		t.Fatalf("child interpreter with TCLLIBPATH: %q, want %q", got, want)
	}
}

// TestClose checks that a closed interpreter refuses scripts with an
// error, and closing it again does nothing.
func TestClose(t *testing.T) {
	in, err := tlsembed.NewInterp()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval("set x 1"); err == nil {
		t.Fatal("Eval on a closed interpreter succeeded")
	}
}

// TestRegisterOnPlainInterp checks Register on an interpreter that
// modernc.org/tcl made, after Setup, the way a program that creates its
// own interpreters uses the package.
func TestRegisterOnPlainInterp(t *testing.T) {
	if _, err := tlsembed.Setup(); err != nil {
		t.Fatal(err)
	}
	in, err := mtcl.NewInterp()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := tlsembed.InitHandle(in.TLS(), in.Handle()); err != nil {
		t.Fatal(err)
	}
	if v, err := in.Eval("package require http; package require tls"); err != nil || v != tlsembed.Version {
		t.Fatalf("package require tls = %q, %v", v, err)
	}
}
