#!/bin/sh
# tcl9-runtime.sh DIR ?ARCH? --
#
#	Makes a Tcl 9.0 runtime and development tree available for building
#	and testing libtcl9tls.so, for "make deps" (and, with a foreign
#	Debian architecture ARCH such as arm64, for "make deps-arm64").
#
#	When the system has Tcl 9.0 itself (tclsh9.0 and tcl9.0-dev, as on
#	Debian 13), nothing is done: the Makefile finds them where they are.
#
#	Otherwise (Debian 12 has no Tcl 9) Debian stable's tcl9.0 packages
#	and the libraries they need, including that release's C library and
#	dynamic loader, are fetched with "apt-get download" through a
#	temporary apt source (removed again at once; nothing is installed
#	from it) and unpacked into DIR/root. Then DIR gets:
#
#	    bin/tclsh9.0   a wrapper that runs the unpacked tclsh9.0 under the
#	                   unpacked dynamic loader and library path (for a
#	                   foreign ARCH, under qemu-user: qemu-aarch64-static
#	                   for arm64)
#	    tclConfig.sh   the unpacked tclConfig.sh with its paths moved into
#	                   DIR/root
#	    done           written last; with it present the script does nothing
#
#	The downloaded packages are kept in DIR/debs, so a second unpacking
#	needs no network.

set -eu

dir=${1:?usage: tcl9-runtime.sh DIR ?ARCH?}
arch=${2:-$(dpkg --print-architecture)}
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
    triple=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
    qemu="" pkgarch=""
else
    triple=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
    qemu="qemu-${triple%%-*}-static "
    pkgarch=:$arch
fi

# The system's own Tcl 9.0, when complete, wins.
if [ -z "$qemu" ] && command -v tclsh9.0 >/dev/null 2>&1; then
    for f in /usr/lib/tcl9.0/tclConfig.sh /usr/lib/$triple/tcl9.0/tclConfig.sh \
	    /usr/local/lib/tcl9.0/tclConfig.sh /usr/local/lib/tclConfig9.0.sh; do
	if [ -f "$f" ]; then
	    exit 0
	fi
    done
fi

if [ -f "$dir/done" ]; then
    exit 0
fi

# The packages: Tcl 9.0, its headers and stubs library, the libraries
# libtcl9.0 needs, the C library of that release (tclsh9.0 needs a newer
# one than Debian 12's).
suite=stable
pkgs="tcl9.0 libtcl9.0 tcl9.0-dev libc6 libtommath1 zlib1g"

mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)

have_debs() {
    for p in $pkgs; do
	ls "$dir/debs/${p}_"*"_$arch.deb" "$dir/debs/${p}_"*"_all.deb" 2>/dev/null |
	    grep -q . || return 1
    done
}

if ! have_debs; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    list=/etc/apt/sources.list.d/tcl9-runtime-temporary.sources
    cleanup() {
	$sudo rm -f "$list"
	$sudo apt-get update -qq || true
    }
    trap cleanup EXIT INT TERM
    $sudo tee "$list" >/dev/null <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    echo "tcl9-runtime.sh: fetching Debian $suite's Tcl 9.0 into $dir"
    $sudo apt-get update -qq
    targets=""
    for p in $pkgs; do
	targets="$targets $p$pkgarch/$suite"
    done
    (cd "$dir/debs" && $sudo apt-get download -qq $targets)
    cleanup
    trap - EXIT INT TERM
fi

rm -rf "$dir/root"
mkdir -p "$dir/root"
for p in $pkgs; do
    for deb in "$dir/debs/${p}_"*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
    done
done

root=$dir/root
lib=$root/usr/lib/$triple
loader=$(ls "$lib"/ld-linux*.so.* 2>/dev/null | head -1)
[ -n "$loader" ] || { echo "tcl9-runtime.sh: no dynamic loader in $lib" >&2; exit 1; }
tcllib=$(dirname "$(find "$root/usr" -name init.tcl -path '*9.0*' | head -1)")
tmpath=$(find "$root/usr" -type d -name tcl9 -path '*tcl9.0*' | head -1)

# The wrapper: Debian's tm.tcl and init.tcl name /usr paths that do not
# hold this Tcl, so the script library and module path are given
# explicitly. --argv0 makes [info nameofexecutable] the wrapper itself,
# so that child tclsh processes (tcltest's, the tests' peers) run the same
# way.
mkdir -p "$dir/bin"
cat >"$dir/bin/tclsh9.0" <<EOF
#!/bin/sh
TCL_LIBRARY=$tcllib
TCL9_0_TM_PATH=$tmpath
export TCL_LIBRARY TCL9_0_TM_PATH
exec $qemu$loader --argv0 "\$0" --library-path $lib $root/usr/bin/tclsh9.0 "\$@"
EOF
chmod 0755 "$dir/bin/tclsh9.0"

# tclConfig.sh with Debian's absolute paths moved into the tree.
# (Debian's /usr/lib/tcl9.0/tclConfig.sh only sources the one in the
# multiarch folder.)
config=$lib/tcl9.0/tclConfig.sh
[ -f "$config" ] || config=$(find "$root/usr" -name tclConfig.sh -path '*9.0*' | head -1)
[ -n "$config" ] || { echo "tcl9-runtime.sh: no tclConfig.sh in $root" >&2; exit 1; }
sed -e "s|\([ ='\"-][IL]\{0,1\}\)/usr/|\1$root/usr/|g" "$config" >"$dir/tclConfig.sh"

"$dir/bin/tclsh9.0" <<'EOF'
if {![package vsatisfies [info patchlevel] 9.0]} {
    puts stderr "unexpected Tcl [info patchlevel]"
    exit 1
}
EOF
echo "tcl9-runtime.sh: Tcl 9.0 in $dir ($("$dir/bin/tclsh9.0" <<'EOF'
puts [info patchlevel]
EOF
))"
touch "$dir/done"
