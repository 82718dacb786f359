#!/bin/sh
# package.sh deb|dist ARCH LIBDIR OUTDIR --
#
#	Makes the packages a Tcl user installs without Go, from what make
#	built: LIBDIR holds libtls.so and, when it was built, libtcl9tls.so
#	for the Debian architecture ARCH (amd64, arm64); build/pkgIndex.tcl,
#	build/tls.html and doc/tls.n are shared by every architecture.
#
#	    deb    OUTDIR/tcl-tls-go_VERSION-1_ARCH.deb, made with
#	           dpkg-shlibdeps, dpkg-gencontrol and dpkg-deb; the package
#	           directory goes where Debian puts architecture-dependent
#	           Tcl packages, /usr/lib/tcltk/<multiarch triplet>/, which
#	           is on the auto_path of Debian's tclsh8.6 and tclsh9.0
#	    dist   OUTDIR/tls-VERSION-linux-ARCH.tar.gz, a tls<VERSION>
#	           package directory to unpack into a folder on auto_path,
#	           and its checksum, OUTDIR/tls-VERSION-linux-ARCH.tar.gz.sha256
#
#	Both hold the same files: the libraries (stripped, as Debian
#	strips them), pkgIndex.tcl, the manual page, the HTML manual and the
#	copyright file. The make targets deb and dist set the environment:
#
#	    VERSION            the package version (internal/version)
#	    SOURCE_DATE_EPOCH  the time stamp of every file and the changelog
#	    MAINTAINER         "Name <address>" for the Debian package
#	    LINTIAN            the lintian to run on the .deb, or none
#
#	Run from the top of the source tree. The staging tree is
#	build/pkg/MODE-ARCH, made afresh each time.

set -eu

mode=${1:?usage: package.sh deb|dist ARCH LIBDIR OUTDIR}
arch=${2:?usage: package.sh deb|dist ARCH LIBDIR OUTDIR}
libdir=${3:?usage: package.sh deb|dist ARCH LIBDIR OUTDIR}
outdir=${4:?usage: package.sh deb|dist ARCH LIBDIR OUTDIR}
: "${VERSION:?VERSION not set (run make $mode)}"
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH not set (run make $mode)}"
export SOURCE_DATE_EPOCH

pkg=tcl-tls-go
here=packaging
stage=build/pkg/$mode-$arch

fail() {
    echo "package.sh: $*" >&2
    exit 1
}

for f in "$libdir/libtls.so" build/pkgIndex.tcl build/tls.html doc/tls.n; do
    [ -f "$f" ] || fail "$f is missing (make all; the HTML manual needs mandoc: make deps)"
done

# The multiarch triplet and the binutils of ARCH.
triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null) ||
    fail "unknown Debian architecture $arch"
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
    tool=""
else
    tool=$triplet-
fi
command -v "${tool}strip" >/dev/null ||
    fail "no ${tool}strip (binutils for $arch: make deps-arm64)"

# The libraries this build has.
libs=libtls.so
[ -f "$libdir/libtcl9tls.so" ] && libs="$libs libtcl9tls.so"

# The oldest GNU C library the libraries can run with: the highest
# GLIBC_ symbol version they use.
glibc=$(for l in $libs; do "${tool}objdump" -T "$libdir/$l"; done |
    grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)

# install_files DIR MANDIR MANNAME --
#	The package directory DIR/tls$VERSION (or, for the .deb, DIR itself)
#	with the libraries and pkgIndex.tcl; the manual page as
#	MANDIR/MANNAME, its title line carrying this version and, for the
#	.deb, Debian's section for Tcl commands, 3tcl.
install_files() {
    dir=$1 mandir=$2 manname=$3
    mkdir -p "$dir" "$mandir"
    for l in $libs; do
	install -m 0644 "$libdir/$l" "$dir/$l"
	"${tool}strip" --remove-section=.comment --remove-section=.note \
	    --strip-unneeded "$dir/$l"
    done
    install -m 0644 build/pkgIndex.tcl "$dir/pkgIndex.tcl"
    case $manname in
    *.3tcl) section=3tcl ;;
    *) section=n ;;
    esac
    sed -e "s/^\(\.TH [^ ]* \)n \([^ ]*\) \"tls [^\"]*\"/\1$section \2 \"tls $VERSION\"/" \
	doc/tls.n > "$mandir/$manname"
    chmod 0644 "$mandir/$manname"
    grep -q "^\.TH [^ ]* $section .* \"tls $VERSION\"" "$mandir/$manname" ||
	fail "doc/tls.n: no .TH line of the form .TH TLS n DATE \"tls VERSION\" ..."
}

# Every file and directory gets the same time stamp, so that the same
# sources give the same archive.
stamp() {
    find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

rm -rf "$stage"
mkdir -p "$stage" "$outdir"

case $mode in
deb)
    # The tree as debhelper lays it out, debian/PACKAGE, where
    # dpkg-shlibdeps looks for a package's files.
    root=$stage/debian/$pkg
    pkgdir=$root/usr/lib/tcltk/$triplet/tls$VERSION
    docdir=$root/usr/share/doc/$pkg
    install_files "$pkgdir" "$root/usr/share/man/man3" tls-go.3tcl
    gzip -9n "$root/usr/share/man/man3/tls-go.3tcl"
    mkdir -p "$docdir" "$root/DEBIAN"
    install -m 0644 build/tls.html "$docdir/tls.html"
    install -m 0644 $here/debian/copyright "$docdir/copyright"
    install -D -m 0644 $here/debian/doc-base "$root/usr/share/doc-base/$pkg.$pkg"
    install -D -m 0644 $here/debian/lintian-overrides \
	"$root/usr/share/lintian/overrides/$pkg"
    # The changelog: this version, dated from SOURCE_DATE_EPOCH.
    date=$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")
    sed -e "s/@VERSION@/$VERSION/g" -e "s/@DATE@/$date/" \
	-e "s|@MAINTAINER@|${MAINTAINER:?MAINTAINER not set (run make deb)}|" \
	$here/debian/changelog.in > "$stage/debian/changelog"
    gzip -9n < "$stage/debian/changelog" > "$docdir/changelog.Debian.gz"
    chmod 0644 "$docdir/changelog.Debian.gz"
    cp $here/debian/control "$stage/debian/control"

    # Depends: the libc6 and libssl3 versions the libraries' symbols
    # need (dpkg-shlibdeps), and a Tcl whose stubs table loads them.
    (
	cd "$stage"
	export DEB_HOST_ARCH="$arch"
	set --
	for l in $libs; do
	    set -- "$@" "debian/$pkg/usr/lib/tcltk/$triplet/tls$VERSION/$l"
	done
	dpkg-shlibdeps -Tdebian/substvars "$@"
	dpkg-gencontrol -p$pkg "-Pdebian/$pkg" -Tdebian/substvars -fdebian/files \
	    "-DMaintainer=$MAINTAINER"
    )
    (
	cd "$root"
	find . -type f ! -path './DEBIAN/*' | sed 's|^\./||' | LC_ALL=C sort |
	    xargs md5sum > DEBIAN/md5sums
    )
    chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
    find "$root" -type d -exec chmod 0755 {} +
    stamp "$root"
    deb=$outdir/${pkg}_$VERSION-1_$arch.deb
    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    echo "$deb"
    dpkg-deb --field "$deb" Package Version Architecture Depends
    # lintian's complaints are printed, not fatal: LINTIAN=none skips it.
    lintian=${LINTIAN:-lintian}
    if [ "$lintian" = none ]; then
	:
    elif command -v "$lintian" >/dev/null; then
	echo "$lintian $deb:"
	"$lintian" --info --display-info "$deb" || true
    else
	echo "lintian not installed (apt-get install lintian): $deb not checked"
    fi
    ;;
dist)
    name=tls-$VERSION-linux-$arch
    top=$stage/tls$VERSION
    install_files "$top" "$top" tls.n
    install -m 0644 build/tls.html "$top/tls.html"
    install -m 0644 $here/debian/copyright "$top/copyright"
    sed -e "s/@VERSION@/$VERSION/g" -e "s/@ARCH@/$arch/g" -e "s/@GLIBC@/$glibc/g" \
	$here/README.dist > "$top/README"
    chmod 0644 "$top/README"
    [ -f "$libdir/libtcl9tls.so" ] ||
	sed -i '/^  libtcl9tls.so /d' "$top/README"
    find "$top" -type d -exec chmod 0755 {} +
    stamp "$top"
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner \
	--format=gnu -cf - "tls$VERSION" | gzip -9n > "$outdir/$name.tar.gz"
    (cd "$outdir" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
    echo "$outdir/$name.tar.gz"
    cat "$outdir/$name.tar.gz.sha256"
    ;;
*)
    fail "unknown mode $mode (deb or dist)"
    ;;
esac
