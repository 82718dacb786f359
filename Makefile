# Build, test and run the tls package (libtls.so for Tcl 8.6 and
# libtcl9tls.so for Tcl 9.0, from one Go source).
#
#   make          build build/libtls.so, build/pkgIndex.tcl, build/tls.html
#   make tlstclsh build build/tlstclsh, the shell on modernc.org/tcl
#   make demo     a local HTTPS exchange through the package, in tclsh
#                 and in tlstclsh
#   make testbuild  the libraries and tlstclsh with the build tag tlstest
#                 in build/test, which the tests and the benchmark load
#   make asanbuild  build/asan/libtls.so, with AddressSanitizer
#   make test     go vet, go test and the tcltest suite (against
#                 build/test, and against build/asan under tclsh8.6)
#   make bench    side-by-side benchmark (not part of the tests)
#   make soak     long load and leak run (not part of the tests)
#   make fuzz     run every fuzz target for FUZZTIME (default 60s)
#   make install  install into $(DESTDIR)$(PKGDIR) and $(DESTDIR)$(MANDIR)
#   make uninstall  remove them, and the directories install made if empty
#   make deb      a Debian package of the library in build/dist (ARCH=arm64
#                 cross-builds one for arm64)
#   make dist     a release tarball and its checksum in build/dist (ARCH too)
#   make check-arm64  cross-build for arm64 and run it under qemu-user

SHELL := /bin/bash
GO ?= go
TCLSH ?= tclsh8.6
BUILD := build
PREFIX ?= /usr/local
PKGDIR ?= $(PREFIX)/lib/tcltk/tls$(VERSION)
VERSION := $(shell sed -n 's/^const Tcl = "\(.*\)"$$/\1/p' internal/version/version.go)

# Debian packages the build, the tests and the demo need.
DEPS := gcc pkg-config tcl8.6-dev libssl-dev openssl tcllib tcl-thread curl python3 mandoc \
	dpkg-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Tcl's compiler and linker flags come from tclConfig.sh: the headers, and
# the static stubs library instead of libtcl itself.
TCLCONFIG ?= $(firstword $(wildcard \
	/usr/lib/$(shell gcc -dumpmachine 2>/dev/null)/tcl8.6/tclConfig.sh \
	/usr/lib/tcl8.6/tclConfig.sh /usr/lib64/tclConfig.sh /usr/lib/tclConfig.sh \
	/usr/local/lib/tclConfig.sh))
tclvar = $(shell [ -f "$(TCLCONFIG)" ] && . "$(TCLCONFIG)" && eval echo "\$$$(1)")
export CGO_ENABLED := 1
# -D_FORTIFY_SOURCE=2 and, for the libraries, -z now: Debian's
# hardening (lintian checks both in the package).
export CGO_CFLAGS := $(call tclvar,TCL_INCLUDE_SPEC) -O2 -D_FORTIFY_SOURCE=2
export CGO_LDFLAGS := $(call tclvar,TCL_STUB_LIB_SPEC)

# Tcl 9.0: libtcl9tls.so is the same source compiled against Tcl 9.0's
# headers and stubs library. TCL9CONFIG names its tclConfig.sh: the
# system's (Debian 13's tcl9.0-dev) or else the tree that make deps
# unpacks into $(BUILD)/tcl9 on systems without Tcl 9 (Debian 12). TCL9SH
# runs the Tcl 9 tests and demo. Both are looked up when used, so that a
# tree unpacked earlier in the same make run is found; with neither,
# libtcl9tls.so is skipped.
TCL9DIR := $(BUILD)/tcl9
TCL9CONFIG ?= $(shell for f in \
	/usr/lib/$$(gcc -dumpmachine 2>/dev/null)/tcl9.0/tclConfig.sh \
	/usr/lib/tcl9.0/tclConfig.sh /usr/lib64/tcl9.0/tclConfig.sh \
	/usr/local/lib/tcl9.0/tclConfig.sh $(TCL9DIR)/tclConfig.sh; do \
	[ -f "$$f" ] && { echo "$$f"; break; }; done)
TCL9SH ?= $(shell command -v tclsh9.0 || { [ -x $(TCL9DIR)/bin/tclsh9.0 ] && \
	echo $(CURDIR)/$(TCL9DIR)/bin/tclsh9.0; })
tcl9var = $(shell [ -f "$(TCL9CONFIG)" ] && . "$(TCL9CONFIG)" && eval echo "\$$$(1)")

GOSRC := $(shell find . -name '*.go' -o -name '*.c' -o -name '*.h' -o -name '*.tcl' | grep -v '^./build/')

.PHONY: all tlstclsh deps demo test bench soak fuzz install uninstall clean

# What a Tcl user needs. It builds from the Go standard library and the
# system's Tcl and OpenSSL only: go build ./cmd/libtls loads no module
# that go.mod lists, so nothing is downloaded. tlstclsh, which needs
# modernc.org/tcl, has its own target.
all: $(BUILD)/libtls.so $(BUILD)/pkgIndex.tcl $(BUILD)/tls.html

tlstclsh: $(BUILD)/tlstclsh

deps:
	@missing=""; \
	for p in $(DEPS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# libbuild: the go build of a library $@ from ./cmd/libtls, the same for
# every kind (Tcl 8.6 and 9, test, ASan, cross-built): only Tls_Init and
# Tls_SafeInit exported (libtls.map), and -z now (Debian's hardening).
# exportcheck then removes $@ and fails if it exports anything else ($$NM
# names the nm to use, nm by default).
libbuild = -buildmode=c-shared -trimpath \
	-ldflags=-extldflags=-Wl,--version-script=$(CURDIR)/cmd/libtls/libtls.map,-z,now \
	-o $@ ./cmd/libtls
exportcheck = extra=$$($${NM:-nm} -D --defined-only $@ | \
	awk '$$3 != "Tls_Init" && $$3 != "Tls_SafeInit" {print $$3}'); \
	if [ -n "$$extra" ]; then echo "$@ exports more than Tls_Init and Tls_SafeInit: $$extra" >&2; rm -f $@; exit 1; fi

# cshared GOFLAGS: builds the library $@ with the extra go build flags
# GOFLAGS.
define cshared
@mkdir -p $(@D)
$(GO) build $(1) $(libbuild)
@rm -f $(basename $@).h
@$(exportcheck)
endef

$(BUILD)/libtls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	$(call cshared,)

all: $(BUILD)/libtcl9tls.so

# tcl9shared GOFLAGS: cshared with Tcl 9.0's headers and stubs library.
define tcl9shared
@if [ -z "$(TCL9CONFIG)" ]; then \
    echo "no Tcl 9.0 tclConfig.sh (make deps, or TCL9CONFIG=...): skipping $@"; \
else \
    echo "$(GO) build $(1) -buildmode=c-shared -trimpath -o $@ ./cmd/libtls  # Tcl 9: $(TCL9CONFIG)"; \
    mkdir -p $(@D) && \
    CGO_CFLAGS="$(call tcl9var,TCL_INCLUDE_SPEC) -O2 -D_FORTIFY_SOURCE=2" \
    CGO_LDFLAGS="$(call tcl9var,TCL_STUB_LIB_SPEC)" \
    $(GO) build $(1) $(libbuild) && \
    rm -f $(basename $@).h && \
    { $(exportcheck); }; \
fi
endef

$(BUILD)/libtcl9tls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	$(call tcl9shared,)

# The test build: the same libraries and tlstclsh with the build tag
# tlstest, which adds what only tests and the benchmark use
# (tls::_contexts, tls::_crossings with TLS_COUNT_CROSSINGS set). make
# test runs the tcltest suite and make bench the benchmark against
# $(BUILD)/test; the libraries in $(BUILD) have none of it.
TESTBUILD := $(BUILD)/test
.PHONY: testbuild
testbuild: $(TESTBUILD)/libtls.so $(TESTBUILD)/libtcl9tls.so \
	$(TESTBUILD)/pkgIndex.tcl $(TESTBUILD)/tlstclsh

$(TESTBUILD)/libtls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	$(call cshared,-tags tlstest)

$(TESTBUILD)/libtcl9tls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	$(call tcl9shared,-tags tlstest)

$(TESTBUILD)/tlstclsh: $(GOSRC) go.mod
	@mkdir -p $(@D)
	$(GO) build -tags tlstest -trimpath -o $@ ./cmd/tlstclsh

$(TESTBUILD)/pkgIndex.tcl $(BUILD)/asan/pkgIndex.tcl: $(BUILD)/pkgIndex.tcl
	@mkdir -p $(@D)
	cp $< $@

# The AddressSanitizer build of the test build's libtls.so (Go's -asan:
# the C code and the Go code are checked), that make test runs the
# tcltest suite against once more under tclsh8.6 with the ASan runtime
# preloaded (tests/run.sh).
ASANBUILD := $(BUILD)/asan
.PHONY: asanbuild
asanbuild: $(ASANBUILD)/libtls.so $(ASANBUILD)/pkgIndex.tcl

$(ASANBUILD)/libtls.so: export CGO_CFLAGS := $(CGO_CFLAGS) -O1 -g -fno-omit-frame-pointer
$(ASANBUILD)/libtls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	$(call cshared,-asan -tags tlstest)

# make deps also provides Tcl 9.0 (see TCL9CONFIG above).
.PHONY: deps-tcl9 demo-tcl9 soak-tcl9
deps: deps-tcl9
deps-tcl9:
	@sh tests/tcl9-runtime.sh $(TCL9DIR)

# tclsh on modernc.org/tcl with tls registered (the Go embedding host).
$(BUILD)/tlstclsh: $(GOSRC) go.mod
	@mkdir -p $(BUILD)
	$(GO) build -trimpath -o $@ ./cmd/tlstclsh

# The HTML manual is generated from the one manual page, doc/tls.n, with
# mandoc's own style sheet embedded (no external one to link).
$(BUILD)/tls.html: doc/tls.n
	@mkdir -p $(BUILD)
	@if command -v mandoc >/dev/null; then \
	    mandoc -T html doc/tls.n > $@; \
	else \
	    echo "mandoc not installed (make deps): skipping $@"; \
	fi

# pkgIndex.tcl.in with the version of internal/version/version.go.
$(BUILD)/pkgIndex.tcl: pkgIndex.tcl.in internal/version/version.go
	@mkdir -p $(BUILD)
	sed 's/@VERSION@/$(VERSION)/g' pkgIndex.tcl.in > $@

demo: deps all $(BUILD)/tlstclsh
	@sh tests/certs.sh $(BUILD)/demo-certs >/dev/null
	TCLLIBPATH=$(CURDIR)/$(BUILD) $(TCLSH) examples/https_demo.tcl $(BUILD)/demo-certs
	$(BUILD)/tlstclsh examples/https_demo.tcl $(BUILD)/demo-certs

# The demo under tclsh9.0 as well.
demo: demo-tcl9
demo-tcl9: deps all
	@if [ -z "$(TCL9SH)" ] || [ ! -f $(BUILD)/libtcl9tls.so ]; then \
	    echo "no tclsh9.0 or no $(BUILD)/libtcl9tls.so: skipping the Tcl 9 demo"; \
	else \
	    sh tests/certs.sh $(BUILD)/demo-certs >/dev/null && \
	    echo "TCLLIBPATH=$(CURDIR)/$(BUILD) $(TCL9SH) examples/https_demo.tcl $(BUILD)/demo-certs" && \
	    TCLLIBPATH=$(CURDIR)/$(BUILD) $(TCL9SH) examples/https_demo.tcl $(BUILD)/demo-certs; \
	fi

test: deps all $(BUILD)/tlstclsh testbuild asanbuild
	$(GO) vet ./...
	$(GO) vet -tags tlstest ./...
	@bash tests/run.sh

# The benchmark also needs Debian's C tcl-tls, the reference it compares with.
bench: deps all testbuild
	@dpkg-query -W -f='$${Status}\n' tcl-tls 2>/dev/null | grep -q "ok installed" || { \
	    echo "installing: tcl-tls"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends tcl-tls >/dev/null; }
	@bash bench/run.sh

# Each fuzz target for FUZZTIME (the seed corpora run in make test).
FUZZTIME ?= 60s
FUZZ_TARGETS := ossl:FuzzHandshakeInput ossl:FuzzCertificateInput \
	tclext:FuzzPump tclext:FuzzImportOptions tclext:FuzzCallbackResult
fuzz: deps all
	@for t in $(FUZZ_TARGETS); do \
	    pkg=$${t%%:*}; name=$${t#*:}; \
	    echo "== $$name ($(FUZZTIME))"; \
	    $(GO) test -run XXX -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -parallel 1 ./$$pkg/ || exit 1; \
	done

# 20,000 sequential and 1,000 simultaneous connections through one server
# process: RSS and open descriptors must stay flat.
soak: deps all
	@sh tests/certs.sh $(BUILD)/test-certs >/dev/null
	ulimit -n 4096 2>/dev/null; TCLLIBPATH=$(CURDIR)/$(BUILD) \
	    $(TCLSH) tests/soak.tcl $(BUILD)/test-certs 20000 1000

# 10,000 simultaneous connections held by one tclsh9.0 server (Tcl 9's
# notifier uses epoll, so descriptors past 1023 are fine), clients in
# other processes.
SOAK9 ?= 10000
soak: soak-tcl9
soak-tcl9: deps all
	@sh tests/certs.sh $(BUILD)/test-certs >/dev/null
	ulimit -n $$(( $(SOAK9) + 4096 )) && TCLLIBPATH=$(CURDIR)/$(BUILD) \
	    $(TCL9SH) tests/soak9.tcl $(BUILD)/test-certs $(SOAK9)

# PKGDIR is on the default auto_path of Debian's tclsh8.6 and tclsh9.0
# (/usr/local/lib/tcltk for the default PREFIX), so no TCLLIBPATH is
# needed after installing. pkgIndex.tcl loads the library that matches
# the running Tcl; libtcl9tls.so is installed when it was built.
# install notes in $(PKGDIR)/.installed-dirs the directories it had to
# create (DESTDIR's too), deepest first; uninstall removes those of them
# that are empty, and never a directory that was there before.
MANDIR ?= $(PREFIX)/share/man/mann
DIRLIST = $(DESTDIR)$(PKGDIR)/.installed-dirs
install: all
	@made=$$(cat $(DIRLIST) 2>/dev/null); \
	for d in $(DESTDIR)$(PKGDIR) $(DESTDIR)$(MANDIR); do \
	    while [ -n "$$d" ] && [ ! -e "$$d" ]; do \
	        made="$$made$${made:+ }$$d"; \
	        up=$${d%/*}; [ "$$up" != "$$d" ] || break; d=$$up; \
	    done; \
	done; \
	install -d $(DESTDIR)$(PKGDIR) $(DESTDIR)$(MANDIR) && \
	for d in $$made; do echo "$$d"; done | \
	    awk '!seen[$$0]++ { print length($$0) "\t" $$0 }' | sort -rn | cut -f2- > $(DIRLIST)
	install -m 0755 $(BUILD)/libtls.so $(DESTDIR)$(PKGDIR)/libtls.so
	if [ -f $(BUILD)/libtcl9tls.so ]; then \
	    install -m 0755 $(BUILD)/libtcl9tls.so $(DESTDIR)$(PKGDIR)/libtcl9tls.so; fi
	install -m 0644 $(BUILD)/pkgIndex.tcl $(DESTDIR)$(PKGDIR)/pkgIndex.tcl
	install -m 0644 doc/tls.n $(DESTDIR)$(MANDIR)/tls.n

uninstall:
	rm -f $(DESTDIR)$(PKGDIR)/libtls.so $(DESTDIR)$(PKGDIR)/pkgIndex.tcl
	rm -f $(DESTDIR)$(PKGDIR)/libtcl9tls.so
	rm -f $(DESTDIR)$(MANDIR)/tls.n
	@made=$$(cat $(DIRLIST) 2>/dev/null); rm -f $(DIRLIST); \
	for d in $(DESTDIR)$(PKGDIR) $$made; do \
	    if [ -d "$$d" ] && [ -z "$$(ls -A "$$d")" ]; then \
	        rmdir "$$d" && echo "rmdir $$d"; \
	    fi; \
	done

# Packages a Tcl user installs without Go (packaging/package.sh): make
# deb, a Debian package; make dist, a tarball of the package directory
# and its SHA-256 checksum; both in $(DISTDIR), for the Debian
# architecture ARCH, by default the machine's own. For another
# architecture the libraries are cross-built into $(BUILD)/ARCH with
# Debian's cross compiler and that architecture's libssl-dev and
# tcl8.6-dev (make deps-arm64 installs them for arm64). SOURCE_DATE_EPOCH
# (the last commit's time) dates every file, so the same sources give the
# same archives; MAINTAINER names the Debian package's maintainer
# (DEBFULLNAME and DEBEMAIL, else the last commit's author). LINTIAN=none
# leaves lintian out.
.PHONY: deb dist deps-arm64 check-arm64
NATIVE_ARCH := $(shell dpkg --print-architecture 2>/dev/null || $(GO) env GOARCH)
ARCH ?= $(NATIVE_ARCH)
DISTDIR := $(BUILD)/dist
PKGLIBDIR = $(if $(filter $(NATIVE_ARCH),$(ARCH)),$(BUILD),$(BUILD)/$(ARCH))
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || \
	stat -c %Y internal/version/version.go)
MAINTAINER ?= $(shell if [ -n "$$DEBEMAIL" ]; then echo "$${DEBFULLNAME:-$$(id -un)} <$$DEBEMAIL>"; \
	else git log -1 --format='%an <%ae>' 2>/dev/null || echo "$$(id -un) <$$(id -un)@$$(hostname -f)>"; fi)
LINTIAN ?= lintian
PACKAGE = VERSION=$(VERSION) SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) \
	MAINTAINER="$(MAINTAINER)" LINTIAN=$(LINTIAN) sh packaging/package.sh

deb dist: $(PKGLIBDIR)/libtls.so $(PKGLIBDIR)/libtcl9tls.so $(BUILD)/pkgIndex.tcl $(BUILD)/tls.html
	@$(PACKAGE) $@ $(ARCH) $(PKGLIBDIR) $(DISTDIR)

# Cross-built libraries, $(BUILD)/ARCH/libtls.so and libtcl9tls.so: the
# same go build as above, with GOARCH, the cross compiler, and the Tcl
# and OpenSSL of ARCH (its multiarch tclConfig.sh and pkg-config files).
# The Tcl 9 one is built when make deps-arm64 unpacked Debian's arm64
# Tcl 9.0 into $(BUILD)/tcl9-ARCH.
goarch = $(patsubst i386,386,$(patsubst armhf,arm,$(patsubst ppc64el,ppc64le,$(1))))
CROSSBUILD = triplet=$$(dpkg-architecture -a$* -qDEB_HOST_MULTIARCH 2>/dev/null) && \
	command -v $$triplet-gcc >/dev/null || { echo "no cross compiler for $* (make deps-$*)" >&2; exit 1; }; \
	. $$config && \
	echo "$(GO) build -buildmode=c-shared -trimpath -o $@ ./cmd/libtls  (GOARCH=$(call goarch,$*), $$config)" && \
	GOARCH=$(call goarch,$*) CC=$$triplet-gcc \
	PKG_CONFIG_LIBDIR=/usr/lib/$$triplet/pkgconfig:/usr/share/pkgconfig \
	CGO_CFLAGS="$$TCL_INCLUDE_SPEC -O2 -D_FORTIFY_SOURCE=2" CGO_LDFLAGS="$$TCL_STUB_LIB_SPEC" \
	$(GO) build $(libbuild) && \
	rm -f $(@:.so=.h) && \
	NM=$$triplet-nm && $(exportcheck)

$(BUILD)/%/libtls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	@mkdir -p $(@D)
	@config=/usr/lib/$$(dpkg-architecture -a$* -qDEB_HOST_MULTIARCH 2>/dev/null)/tcl8.6/tclConfig.sh; \
	[ -f $$config ] || { echo "no $$config (make deps-$*)" >&2; exit 1; }; \
	$(CROSSBUILD)

$(BUILD)/%/libtcl9tls.so: $(GOSRC) go.mod cmd/libtls/libtls.map
	@mkdir -p $(@D)
	@config=$(CURDIR)/$(BUILD)/tcl9-$*/tclConfig.sh; \
	if [ ! -f $$config ]; then \
	    echo "no $$config (make deps-$*): skipping $@"; \
	else \
	    $(CROSSBUILD); \
	fi

# For make deb, make dist and make check-arm64 with ARCH=arm64: Debian's
# arm64 cross compiler, arm64 libssl-dev and tcl8.6-dev through multiarch
# (dpkg --add-architecture arm64), qemu-user-static to run arm64 programs,
# and Debian stable's arm64 Tcl 9.0 unpacked into $(BUILD)/tcl9-arm64
# (tests/tcl9-runtime.sh; its tclsh9.0 runs under qemu).
ARM64_DEPS := crossbuild-essential-arm64 libssl-dev:arm64 tcl8.6-dev:arm64 \
	qemu-user-static
deps-arm64:
	@dpkg --print-foreign-architectures | grep -qx arm64 || { \
	    echo "dpkg --add-architecture arm64"; $(SUDO) dpkg --add-architecture arm64; \
	    $(SUDO) apt-get update -qq; }
	@$(MAKE) --no-print-directory deps DEPS="$(ARM64_DEPS)"
	@sh tests/tcl9-runtime.sh $(BUILD)/tcl9-arm64 arm64

# The arm64 library inside arm64 tclsh8.6 and tclsh9.0 under qemu-user,
# loaded from the .deb's tree and from the tarball: package require tls
# and HTTPS exchanges with local servers.
check-arm64: deps-arm64
	@$(MAKE) --no-print-directory deb dist ARCH=arm64
	@sh packaging/check-arm64.sh $(VERSION) $(DISTDIR)

clean:
	rm -rf $(BUILD)
