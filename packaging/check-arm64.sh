#!/bin/sh
# check-arm64.sh VERSION DISTDIR --
#
#	make check-arm64: the arm64 packages that make deb and make dist
#	cross-built into DISTDIR, run on this (amd64) machine under
#	qemu-user. Each of
#
#	    the .deb's tree (dpkg-deb -x), its /usr/lib/tcltk/aarch64-linux-gnu
#	    the tarball, unpacked after sha256sum -c
#
#	is put on the auto_path of Debian's arm64 tclsh8.6 (fetched with
#	apt-get download and unpacked into build/arm64-tclsh; it runs on the
#	arm64 libtcl8.6, libssl3 and libc6 that make deps-arm64 installed
#	through multiarch) and of Debian stable's arm64 tclsh9.0
#	(build/tcl9-arm64, from make deps-arm64), which run
#	packaging/check-arm64.tcl: package require tls, then HTTPS exchanges
#	with an openssl s_server on 127.0.0.1 and with a tls::socket server
#	in the same arm64 tclsh, trusting the test CA with -cafile.
#	Prints what each run printed; exits 1 if any failed.

set -eu

version=${1:?usage: check-arm64.sh VERSION DISTDIR}
dist=${2:?usage: check-arm64.sh VERSION DISTDIR}
arch=arm64
triplet=aarch64-linux-gnu
qemu=qemu-aarch64-static
work=build/check-arm64
deb=$dist/tcl-tls-go_$version-1_$arch.deb
tarball=tls-$version-linux-$arch.tar.gz

command -v $qemu >/dev/null || { echo "no $qemu (make deps-arm64)" >&2; exit 1; }
[ -f /lib/ld-linux-aarch64.so.1 ] ||
    { echo "no arm64 C library (make deps-arm64)" >&2; exit 1; }

# Debian's arm64 tclsh8.6: the tcl8.6 package cannot be installed beside
# the amd64 one (it is Multi-Arch: foreign), so its program is unpacked;
# the arm64 libtcl8.6 it needs is installed.
tclsh=build/arm64-tclsh/usr/bin/tclsh8.6
if [ ! -x $tclsh ]; then
    mkdir -p build/arm64-tclsh/debs
    (cd build/arm64-tclsh/debs && apt-get download -qq tcl8.6:$arch)
    dpkg-deb -x build/arm64-tclsh/debs/tcl8.6_*_$arch.deb build/arm64-tclsh
fi
tclsh9=build/tcl9-arm64/bin/tclsh9.0

sh tests/certs.sh build/test-certs >/dev/null
certs=$(cd build/test-certs && pwd)

rm -rf $work
mkdir -p $work/deb $work/dist
dpkg-deb -x "$deb" $work/deb
(cd "$dist" && sha256sum -c $tarball.sha256)
tar -C $work/dist -xzf "$dist/$tarball"

# The s_server (amd64: any peer will do) on a port the kernel chooses.
out=$work/s_server.out
openssl s_server -www -accept 127.0.0.1:0 -cert "$certs/server.pem" \
    -key "$certs/server.key" >$out 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT INT TERM
i=0
until port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\)$/\1/p' $out) && [ -n "$port" ]; do
    i=$((i + 1))
    [ $i -le 100 ] || { echo "openssl s_server did not start: $(cat $out)" >&2; exit 1; }
    sleep 0.1
done

status=0
run() {
    shell=$1 from=$2 dir=$3
    echo "== $shell, the package from the $from ($dir)"
    if ! env -u TCLLIBPATH timeout 300 $4 packaging/check-arm64.tcl "$dir" \
	"$certs/ca.pem" "$certs/server.pem" "$certs/server.key" "$port"; then
	status=1
    fi
}
for from in deb dist; do
    case $from in
    deb) dir=$work/deb/usr/lib/tcltk/$triplet ;;
    dist) dir=$work/dist ;;
    esac
    for f in "$dir/tls$version"/*.so; do
	echo "$f: $(readelf -h "$f" | sed -n 's/^ *Machine: *//p')"
    done
    run "arm64 tclsh8.6 under $qemu" "$from" "$dir" "$qemu $tclsh"
    if [ -x $tclsh9 ] && [ -f "$dir/tls$version/libtcl9tls.so" ]; then
	run "arm64 tclsh9.0 under $qemu" "$from" "$dir" "$tclsh9"
    else
	echo "== no arm64 Tcl 9 check: $tclsh9 or libtcl9tls.so missing (make deps-arm64)"
	status=1
    fi
done
if [ $status = 0 ]; then
    echo "check-arm64: all passed"
else
    echo "check-arm64: FAILED" >&2
fi
exit $status
