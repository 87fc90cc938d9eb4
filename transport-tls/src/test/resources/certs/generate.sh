#!/usr/bin/env bash
# Regenerates the test certificates in this directory (README.md says what each file is).
#
# Tools: OpenSSL 3 (keys, certificates, PKCS12 key stores) and the JDK's keytool (PKCS12 trust
# stores: Java treats a key-less certificate in a PKCS12 file as trusted only when keytool marks it
# so). Keys are EC P-256. Every store password is "changeit". Run from anywhere:
#   bash transport-tls/src/test/resources/certs/generate.sh
# The output is committed; regenerate only when a certificate must change (file names, aliases and
# passwords stay the same, so the tests keep working).
#
# Every certificate is signed through `openssl ca`, because `openssl x509` (3.0) cannot backdate:
# valid ones run from 2020-01-01 to 2049-12-31, so a machine whose clock is years off either way
# still accepts them; the expired one ran through 2020 only.
set -euo pipefail

cd "$(dirname "$0")"
PASS=changeit
VALID="-startdate 20200101000000Z -enddate 20491231235959Z"
EXPIRED="-startdate 20200101000000Z -enddate 20201231235959Z"
LOCAL="DNS:localhost,IP:127.0.0.1,IP:::1"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# sign NAME ISSUER DATES EXTENSIONS: signs NAME's request with ISSUER's key (ISSUER = NAME signs
# itself), with the given extension lines.
sign() {
  local name=$1 issuer=$2 dates=$3 extensions=$4
  mkdir -p "$WORK/db"
  : > "$WORK/db/index.txt"
  [ -f "$WORK/db/serial" ] || echo 1000 > "$WORK/db/serial"
  cat > "$WORK/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $WORK/db/index.txt
serial = $WORK/db/serial
new_certs_dir = $WORK/db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
x509_extensions = ext
[any]
organizationName = optional
commonName = supplied
[ext]
$extensions
CNF
  if [ "$issuer" = "$name" ]; then
    openssl ca -batch -config "$WORK/ca.cnf" -selfsign -keyfile "$name.key" $dates -notext \
      -in "$WORK/$name.csr" -out "$name.pem" 2> "$WORK/ca.log" || { cat "$WORK/ca.log"; exit 1; }
  else
    openssl ca -batch -config "$WORK/ca.cnf" -cert "$issuer.pem" -keyfile "$issuer.key" $dates \
      -notext -in "$WORK/$name.csr" -out "$name.pem" 2> "$WORK/ca.log" || { cat "$WORK/ca.log"; exit 1; }
  fi
}

# ca NAME CN: a self-signed certificate authority.
ca() {
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Mint Test/CN=$2" -out "$WORK/$1.csr"
  sign "$1" "$1" "$VALID" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash"
}

# leaf NAME ISSUER CN DATES EKU [SAN]: an end-entity certificate.
leaf() {
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Mint Test/CN=$3" -out "$WORK/$1.csr"
  sign "$1" "$2" "$4" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$5
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
${6:+subjectAltName=$6}"
}

# p12 NAME ISSUER ALIAS: a PKCS12 key store with NAME's key and chain (leaf, then issuer), and the
# chain as PEM.
p12() {
  cat "$1.pem" "$2.pem" > "$1-chain.pem"
  openssl pkcs12 -export -name "$3" -inkey "$1.key" -in "$1.pem" -certfile "$2.pem" \
    -passout "pass:$PASS" -out "$1.p12"
}

# truststore NAME CA ALIAS: a PKCS12 trust store holding CA as a trusted certificate entry.
truststore() {
  rm -f "$1.p12"
  keytool -importcert -noprompt -storetype PKCS12 -keystore "$1.p12" -storepass "$PASS" \
    -alias "$3" -file "$2.pem" > /dev/null 2>&1
}

rm -f ./*.pem ./*.key ./*.p12
ca ca "Mint Test CA"
truststore truststore ca mint-test-ca
leaf server ca localhost "$VALID" serverAuth "$LOCAL"
p12 server ca server
leaf expired ca localhost "$EXPIRED" serverAuth "$LOCAL"
p12 expired ca server
leaf wronghost ca other.example "$VALID" serverAuth "DNS:other.example"
p12 wronghost ca server
leaf client ca "Mint Test Client" "$VALID" clientAuth
p12 client ca client

ca other-ca "Mint Other Test CA"
truststore other-truststore other-ca mint-other-test-ca
leaf other-server other-ca localhost "$VALID" serverAuth "$LOCAL"
p12 other-server other-ca server

chmod 644 ./*.key ./*.pem ./*.p12
echo "generated: $(ls ./*.pem ./*.key ./*.p12 | tr '\n' ' ')"
