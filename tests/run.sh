#!/usr/bin/env bash
# Runs the Go tests and the tcltest suite against build/test, the test
# build of the library (make testbuild: build tag tlstest), four times:
# under tclsh8.6 with libtls.so, under tclsh9.0 with libtcl9tls.so, under
# build/test/tlstclsh, the modernc.org/tcl shell, and under tclsh8.6 with
# build/asan/libtls.so, the AddressSanitizer build. It ends with one line
# "N passed, N failed, N skipped" over all. Exits non-zero when any test
# failed, a runner broke or AddressSanitizer reported an error.
set -u
cd "$(dirname "$0")/.."
log=build/test-logs
mkdir -p "$log"

status=0
gopass=0 gofail=0 goskip=0
# gotest NAME ARGS...: runs go test -count=1 -v ARGS ./... into
# $log/NAME.txt and adds its counts to the Go totals. A run that failed
# without a failing test (a package that did not build, a panic, a race
# found outside any test) counts as one failure.
gotest() {
    local name=$1; shift
    echo "== go test${*:+ $*} ./..."
    local rc=0
    go test -count=1 -v "$@" ./... >"$log/$name.txt" 2>&1 || rc=1
    grep -aE '^(ok|FAIL|---|panic|fatal error|WARNING: DATA RACE)' "$log/$name.txt" |
        grep -v -- '--- PASS' || true
    local pass fail skip
    pass=$(grep -acE '^\s*--- PASS' "$log/$name.txt")
    fail=$(grep -acE '^\s*--- FAIL' "$log/$name.txt")
    skip=$(grep -acE '^\s*--- SKIP' "$log/$name.txt")
    if [ "$rc" != 0 ]; then
        status=1
        if [ "$fail" = 0 ]; then
            fail=1
            tail -20 "$log/$name.txt"
        fi
    fi
    echo "go test${*:+ $*}: $pass passed, $fail failed, $skip skipped"
    gopass=$((gopass + pass)) gofail=$((gofail + fail)) goskip=$((goskip + skip))
}
# The packages as users build them, then with the race detector (and
# checkptr, which it turns on) in the test build, whose instrumentation
# has tests of its own.
gotest go
gotest go-race -race -tags tlstest

# suite NAME CMD...: runs the tcltest suite with CMD as the interpreter
# and adds its counts to the totals.
tclpass=0 tclfail=0 tclskip=0
suite() {
    local name=$1; shift
    echo "== tcltest suite under $name"
    timeout 1800 "$@" tests/all.tcl "${args[@]}" 2>&1 | tee "$log/tcl-$name.txt"
    local rc=${PIPESTATUS[0]}
    local summary total pass skip fail
    # -a: a failing test may have printed binary data into the log.
    summary=$(grep -aE '^all.tcl:\s+Total' "$log/tcl-$name.txt" | tail -1)
    read -r total pass skip fail < <(echo "$summary" |
        awk '{for(i=1;i<=NF;i++){if($i=="Total")t=$(i+1);if($i=="Passed")p=$(i+1);if($i=="Skipped")s=$(i+1);if($i=="Failed")f=$(i+1)}} END{print t+0, p+0, s+0, f+0}')
    if [ -z "$summary" ] || { [ "$rc" != 0 ] && [ "$fail" = 0 ]; }; then
        echo "tcltest under $name did not finish cleanly (exit $rc)"
        fail=$((fail + 1))
    fi
    tclpass=$((tclpass + pass)) tclfail=$((tclfail + fail)) tclskip=$((tclskip + skip))
}
args=("$@")

# The C Tcl host: tclsh loads build/test/libtls.so through
# build/test/pkgIndex.tcl.
suite tclsh env TCLLIBPATH="$PWD/build/test" ${TCLSH:-tclsh8.6}

# Tcl 9: tclsh9.0 loads build/test/libtcl9tls.so through the same
# build/test/pkgIndex.tcl. TCL9SH names it; by default the system's tclsh9.0,
# else the one make deps unpacked into build/tcl9. A missing Tcl 9 or
# library counts as a failed runner (TCL9SH=none leaves the suite out).
tcl9sh=${TCL9SH:-$(command -v tclsh9.0 || echo "$PWD/build/tcl9/bin/tclsh9.0")}
if [ "$tcl9sh" != none ]; then
    if [ -x "$tcl9sh" ] && [ -f build/test/libtcl9tls.so ]; then
        suite tclsh9.0 env TCLLIBPATH="$PWD/build/test" "$tcl9sh"
    else
        echo "== no Tcl 9 suite: $tcl9sh or build/test/libtcl9tls.so missing (make deps testbuild)"
        tclfail=$((tclfail + 1))
    fi
fi

# The Go host: tlstclsh (modernc.org/tcl) has the package registered and
# starts its child interpreters as itself; TCLLIBPATH stays unset so that
# nothing can load libtls.so instead. Thread-dependent tests skip there
# (the translated Tcl has no Thread package).
suite tlstclsh env -u TCLLIBPATH ${TLSTCLSH:-build/test/tlstclsh}

# AddressSanitizer: the suite once more under tclsh8.6 with
# build/asan/libtls.so (make asanbuild: Go's -asan, C and Go checked).
# The ASan runtime must come first in the process, hence LD_PRELOAD of
# the libasan the library was linked with; tests/common.tcl passes it on
# to the tclsh processes the tests start and to no other program. Every
# process writes its reports to $log/asan/asan.PID (log_path), so that
# those of child processes, whose output a test may keep to itself, are
# seen too; each process with a report counts as one failure. Leak
# detection is off: LeakSanitizer does not scan the Go heap, so C memory
# that only Go objects point to would be reported as leaked (leaks are
# what tests/soak.tcl and the suite's [chan names] checks look for).
# ASAN=none leaves the run out.
asanfail=0
if [ "${ASAN:-}" != none ]; then
    libasan=$(ldd build/asan/libtls.so 2>/dev/null | awk '/libasan/ {print $3; exit}')
    if [ -n "$libasan" ] && [ -f build/asan/pkgIndex.tcl ]; then
        rm -rf "$log/asan"
        mkdir -p "$log/asan"
        suite tclsh-asan env TCLLIBPATH="$PWD/build/asan" LD_PRELOAD="$libasan" \
            ASAN_OPTIONS="detect_leaks=0:log_path=$PWD/$log/asan/asan" ${TCLSH:-tclsh8.6}
        for f in "$log"/asan/asan.*; do
            [ -f "$f" ] && grep -q "ERROR: AddressSanitizer" "$f" || continue
            asanfail=$((asanfail + 1))
            echo "== AddressSanitizer report $f:"
            grep -m1 "ERROR: AddressSanitizer" "$f"
            grep -m8 -E "^ +#[0-9]+ " "$f"
        done
        echo "AddressSanitizer: $asanfail processes with a report"
    else
        echo "== no AddressSanitizer run: build/asan/libtls.so or its libasan missing (make asanbuild)"
        asanfail=1
    fi
fi
tclfail=$((tclfail + asanfail))

passed=$((gopass + tclpass))
failed=$((gofail + tclfail))
skipped=$((goskip + tclskip))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$status" = 0 ]
