#!/usr/bin/env bash
# stress.sh -- runs the tcltest suite again and again under one
# interpreter while CPU-heavy work runs beside it, to show that no test
# depends on timing. Stops at the first failing run and prints how many
# runs passed. Not part of make test.
#
# Usage: tests/stress.sh [-n RUNS] [-load spin|build|none] [-workers N] \
#            tclsh|tlstclsh|INTERPRETER [all.tcl arguments...]
#
#   -n RUNS      runs of the whole suite (default 20)
#   -load spin   N busy loops (default: one per CPU) for the whole time
#   -load build  N parallel "go build -a" of this module into a
#                throw-away cache, over and over
#   -load none   no extra load
#   tclsh        tclsh8.6 (or $TCLSH) loading build/libtls.so
#   tlstclsh     build/tlstclsh, the modernc.org/tcl shell
#
# The log of each run is build/stress/NAME-RUN.txt; a failing run's log
# is kept and named in the last line. Exits 0 when all runs passed.
set -u
cd "$(dirname "$0")/.."

runs=20 load=spin workers=$(nproc)
while [ $# -gt 0 ]; do
    case $1 in
    -n) runs=$2; shift 2 ;;
    -load) load=$2; shift 2 ;;
    -workers) workers=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 1 ]; then
    sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
name=$1; shift
case $name in
tclsh) interp=(env TCLLIBPATH="$PWD/build" "${TCLSH:-tclsh8.6}") ;;
tlstclsh) interp=(env -u TCLLIBPATH "${TLSTCLSH:-build/tlstclsh}") ;;
*) interp=("$name"); name=$(basename "$name") ;;
esac

dir=build/stress
mkdir -p "$dir"
loaddir=$(mktemp -d "$PWD/$dir/load.XXXXXX")

# The load: one process per worker, each remembered by its id so that
# only these are stopped at the end.
pids=()
stop_load() {
    local p
    for p in "${pids[@]}"; do
        kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null
    done
    pids=()
    rm -rf "$loaddir"
}
trap stop_load EXIT
trap 'exit 130' INT TERM
start_load() {
    local i
    for ((i = 0; i < workers; i++)); do
        case $load in
        spin)
            setsid bash -c 'while :; do :; done' &
            ;;
        build)
            setsid bash -c 'while :; do
                GOCACHE="$1/cache$2" go build -a -o /dev/null ./... >/dev/null 2>&1
                rm -rf "$1/cache$2"
            done' build-load "$loaddir" "$i" &
            ;;
        none) return ;;
        *) echo "stress.sh: unknown load \"$load\"" >&2; exit 2 ;;
        esac
        pids+=($!)
    done
}

start_load
echo "stress: $runs runs under $name, load: $load x $workers, $(nproc) CPUs"
passed=0
for ((run = 1; run <= runs; run++)); do
    out=$dir/$name-$run.txt
    start=$(date +%s)
    timeout 1800 "${interp[@]}" tests/all.tcl "$@" >"$out" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    summary=$(grep -E '^all.tcl:\s+Total' "$out" | tail -1)
    # A run passes when the suite exits 0, reports no failure, and no test
    # file ended with an error (a crash, the watchdog).
    if [ "$rc" = 0 ] && [ -n "$summary" ] &&
        echo "$summary" | grep -qE 'Failed\s+0(\s|$)' &&
        ! grep -q '^Test files exiting with errors' "$out"; then
        passed=$((passed + 1))
        echo "run $run: passed in ${secs}s: ${summary#all.tcl:}"
        rm -f "$out"
    else
        echo "run $run: FAILED (exit $rc) in ${secs}s: ${summary#all.tcl:}"
        grep -E '^==== .* FAILED$|^Test file error|watchdog' "$out" | head -20
        echo "$passed of $runs runs passed under $name before run $run failed; log: $out"
        exit 1
    fi
done
echo "$passed of $runs runs passed under $name"
