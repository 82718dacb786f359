#!/usr/bin/env bash
# Runs the Go tests and the tcltest suite against build/, and ends with one
# line "N passed, N failed, N skipped" over both. Exits non-zero when any
# test failed or a runner broke.
set -u
cd "$(dirname "$0")/.."
log=build/test-logs
mkdir -p "$log"

status=0
echo "== go test ./..."
go test -count=1 -v ./... >"$log/go.txt" 2>&1 || status=1
grep -E '^(ok|FAIL|---|panic)' "$log/go.txt" | grep -v -- '--- PASS' || true
gopass=$(grep -cE '^\s*--- PASS' "$log/go.txt")
gofail=$(grep -cE '^\s*--- FAIL' "$log/go.txt")
goskip=$(grep -cE '^\s*--- SKIP' "$log/go.txt")
if [ "$status" != 0 ] && [ "$gofail" = 0 ]; then
    gofail=1 # a package that did not build or panicked
    tail -20 "$log/go.txt"
fi
echo "go test: $gopass passed, $gofail failed, $goskip skipped"

echo "== tcltest suite"
TCLLIBPATH="$PWD/build" timeout 1800 ${TCLSH:-tclsh8.6} tests/all.tcl "$@" 2>&1 | tee "$log/tcl.txt"
tclrc=${PIPESTATUS[0]}
summary=$(grep -E '^all.tcl:\s+Total' "$log/tcl.txt" | tail -1)
read -r tcltotal tclpass tclskip tclfail < <(echo "$summary" |
    awk '{for(i=1;i<=NF;i++){if($i=="Total")t=$(i+1);if($i=="Passed")p=$(i+1);if($i=="Skipped")s=$(i+1);if($i=="Failed")f=$(i+1)}} END{print t+0, p+0, s+0, f+0}')
if [ -z "$summary" ] || { [ "$tclrc" != 0 ] && [ "$tclfail" = 0 ]; }; then
    echo "tcltest did not finish cleanly (exit $tclrc)"
    tclfail=$((tclfail + 1))
fi

passed=$((gopass + tclpass))
failed=$((gofail + tclfail))
skipped=$((goskip + tclskip))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$status" = 0 ]
