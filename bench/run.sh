#!/usr/bin/env bash
# Runs the side-by-side benchmark (bench/bench.tcl) against build/test
# (the test build, make testbuild, which counts calls from C into Go for
# the tables): this package, Debian's tcl-tls 1.7 and plain Tcl sockets, with openssl
# s_server/s_time as the reference for handshakes. BENCH_QUICK=1 makes a
# short run. The tables go to stdout and to build/bench-results.md; the
# repository's bench/results.md is only ever changed by hand.
set -eu
cd "$(dirname "$0")/.."

for tool in openssl "${TCLSH:-tclsh8.6}"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
if ! echo 'package require tls 1.7; puts ok' | "${TCLSH:-tclsh8.6}" | grep -q ok; then
    echo "bench: Debian's tcl-tls 1.7 is not installed" >&2
    exit 1
fi

# 1000 idle connections and 500 concurrent clients need more descriptors
# than the usual soft limit of 1024.
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 2100 ]; then
    echo "bench: warning: only $(ulimit -n) file descriptors per process" >&2
fi

sh tests/certs.sh build/bench-certs >/dev/null
# A tclsh9.0 (the system's, or the one make deps unpacked) adds Tcl 9 rows.
if [ -z "${TCL9SH+set}" ]; then
    TCL9SH=$(command -v tclsh9.0 || { [ -x build/tcl9/bin/tclsh9.0 ] && echo "$PWD/build/tcl9/bin/tclsh9.0"; } || true)
fi
[ -f build/test/libtcl9tls.so ] || TCL9SH=
export TCL9SH
# The test build counts its calls from C into Go for the tables.
export TLS_COUNT_CROSSINGS=1
TCLLIBPATH="$PWD/build/test" exec timeout 1500 "${TCLSH:-tclsh8.6}" bench/bench.tcl main \
    build/bench-certs build/bench-results.md
