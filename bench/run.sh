#!/usr/bin/env bash
# Runs the side-by-side benchmark (bench/bench.tcl) against build/: this
# package, Debian's tcl-tls 1.7 and plain Tcl sockets, with openssl
# s_server/s_time as the handshake ceiling. BENCH_QUICK=1 makes a short
# run. The table goes to stdout and to bench/results.md (full runs) or
# build/bench-results.md (quick runs).
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
result=bench/results.md
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK}" != 0 ]; then
    result=build/bench-results.md
fi
TCLLIBPATH="$PWD/build" exec timeout 1200 "${TCLSH:-tclsh8.6}" bench/bench.tcl main build/bench-certs "$result"
