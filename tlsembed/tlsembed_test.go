package tlsembed_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tclgo/tls/tlsembed"
	mtcl "modernc.org/tcl"
	lib "modernc.org/tcl/lib"
)

// newInterp returns a modernc.org/tcl interpreter with Tcl's script
// library and the tls package.
func newInterp(t *testing.T) *mtcl.Interp {
	t.Helper()
	if _, err := mtcl.MountLibraryVFS(); err != nil {
		t.Fatal(err)
	}
	in, err := mtcl.NewInterp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	if lib.XTcl_Init(in.TLS(), in.Handle()) != lib.TCL_OK {
		t.Fatal("Tcl_Init failed")
	}
	if err := tlsembed.Register(in); err != nil {
		t.Fatalf("Register: %v", err)
	}
	return in
}

func eval(t *testing.T, in *mtcl.Interp, script string) string {
	t.Helper()
	s, err := in.Eval(script)
	if err != nil {
		t.Fatalf("%s\n=> %v: %s (%s)", script, err, s, errorInfo(in))
	}
	return s
}

func errorInfo(in *mtcl.Interp) string {
	s, _ := in.Eval("set ::errorInfo")
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
	if err := tlsembed.Register(in); err != nil {
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
