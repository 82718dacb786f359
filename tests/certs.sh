#!/bin/sh
# certs.sh OUTDIR --
#
#	Generates the certificates and keys used by the tls test suite, with
#	nothing but the openssl command line tool.  Idempotent: if OUTDIR/done
#	exists nothing is done; "done" is written last, so an interrupted run
#	is simply redone.
#
#	Files (PEM unless noted):
#	  ca.pem ca.key                 test CA
#	  server.pem server.key         CN=localhost, SAN localhost/127.0.0.1
#	  client.pem client.key         CN=Test Client, clientAuth
#	  expired.pem expired.key       localhost, valid in the past only
#	  notyet.pem notyet.key         localhost, valid in the future only
#	  wronghost.pem wronghost.key   CN/SAN other.example
#	  selfsigned.pem selfsigned.key localhost, self-signed
#	  otherca.pem otherca.key       a second CA nobody trusts
#	  unknownca.pem unknownca.key   localhost leaf signed by otherca
#	  intermediate.pem .key         intermediate CA signed by ca
#	  chainleaf.pem chainleaf.key   localhost leaf signed by intermediate
#	  chain.pem                     chainleaf followed by intermediate
#	  encrypted.key                 server.key encrypted with "secret"
#	  server.der                    server.pem as DER
#	  server.key.der                server.key as PKCS#1 DER

set -e

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
OUT=$1
if [ -f "$OUT/done" ]; then
    exit 0
fi
# Built in a directory of its own, then moved to OUTDIR whole: two test
# runs started at once on a fresh tree never read a half-written file.
mkdir -p "$(dirname "$OUT")"
ORIG=$(pwd)
WORK=$(cd "$(mktemp -d "$OUT.new.XXXXXX")" && pwd)
cd "$WORK"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlscerts.XXXXXX")
trap 'rm -rf "$TMP" "$WORK"' EXIT INT TERM

# The openssl configuration: extension sections for every kind of
# certificate plus a minimal "ca" section for back- and forward-dated
# certificates (openssl x509 -req in 3.0 cannot set notBefore).
CNF=$TMP/openssl.cnf
cat > "$CNF" <<EOF
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_inter ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ v3_server ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_selfsigned ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash

[ v3_wronghost ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_client ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ca ]
default_ca = testca
[ testca ]
database = $TMP/index.txt
new_certs_dir = $TMP
serial = $TMP/serial
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
commonName = supplied
EOF
: > "$TMP/index.txt"
echo 1000 > "$TMP/serial"

# newkey NAME -- a fresh RSA 2048 key in NAME.key.
newkey() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$1.key" 2>/dev/null
}

# csr NAME CN -- a request for NAME.key in $TMP/NAME.csr.
csr() {
    openssl req -new -config "$CNF" -key "$1.key" -subj "/CN=$2" \
	-out "$TMP/$1.csr"
}

# sign NAME CN ISSUER EXT -- NAME.pem signed by ISSUER.pem/.key for a year.
sign() {
    newkey "$1"
    csr "$1" "$2"
    openssl x509 -req -in "$TMP/$1.csr" -CA "$3.pem" -CAkey "$3.key" \
	-set_serial "0x$(openssl rand -hex 8)" -days 365 -sha256 \
	-extfile "$CNF" -extensions "$4" -out "$1.pem" 2>/dev/null
}

# dated NAME START END -- a localhost leaf signed by ca with fixed dates.
dated() {
    newkey "$1"
    csr "$1" localhost
    openssl ca -batch -config "$CNF" -cert ca.pem -keyfile ca.key \
	-startdate "$2" -enddate "$3" -extensions v3_server \
	-in "$TMP/$1.csr" -out "$TMP/$1.full" 2>/dev/null
    openssl x509 -in "$TMP/$1.full" -out "$1.pem"
}

# selfca NAME CN -- a self-signed CA certificate.
selfca() {
    newkey "$1"
    openssl req -new -x509 -config "$CNF" -key "$1.key" -subj "/CN=$2" \
	-days 3650 -sha256 -extensions v3_ca -out "$1.pem"
}

selfca ca "Tls Test CA"
sign server localhost ca v3_server
sign client "Test Client" ca v3_client
sign wronghost other.example ca v3_wronghost
dated expired 200101000000Z 200201000000Z
dated notyet 20990101000000Z 20991231000000Z

newkey selfsigned
openssl req -new -x509 -config "$CNF" -key selfsigned.key -subj "/CN=localhost" \
    -days 365 -sha256 -extensions v3_selfsigned -out selfsigned.pem

selfca otherca "Tls Untrusted CA"
sign unknownca localhost otherca v3_server

sign intermediate "Tls Test Intermediate CA" ca v3_inter
sign chainleaf localhost intermediate v3_server
cat chainleaf.pem intermediate.pem > chain.pem

openssl pkey -in server.key -aes256 -passout pass:secret -out encrypted.key
openssl x509 -in server.pem -outform DER -out server.der
openssl rsa -in server.key -traditional -outform DER -out server.key.der \
    2>/dev/null

echo ok > done
cd "$ORIG"
if [ ! -f "$OUT/done" ]; then
    # A directory left by an interrupted run of an older version.
    rm -rf "$OUT"
    mv "$WORK" "$OUT" 2>/dev/null || true
fi
rm -rf "$WORK"
[ -f "$OUT/done" ]
