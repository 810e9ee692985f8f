#!/bin/sh
# iana-services update over HTTPS: a test CA and a server certificate for
# 127.0.0.1 made here with openssl. Verified against --cacert (or
# IANA_SERVICES_CACERT) it installs; against the system's store it is
# refused, exit 3, with a message naming the URL.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/update-lib.sh"
command -v openssl >/dev/null || skip "openssl not installed (apt-get install openssl)"
pki="$tmp/pki"
mkdir "$pki"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
openssl req -x509 $ec -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 2 \
	-subj "/CN=nss-iana test CA" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$pki/log" ||
	{ fail "openssl: the CA: $(cat "$pki/log")"; finish; exit 1; }
openssl req $ec -keyout "$pki/server.key" -out "$pki/server.csr" -subj "/CN=127.0.0.1" 2>"$pki/log" ||
	{ fail "openssl: the request: $(cat "$pki/log")"; finish; exit 1; }
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$pki/ext"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
	-out "$pki/server.pem" -days 2 -extfile "$pki/ext" 2>"$pki/log" ||
	{ fail "openssl: the certificate: $(cat "$pki/log")"; finish; exit 1; }

start_server "$pki/server.pem" "$pki/server.key"
url="https://127.0.0.1:$port/service-names-port-numbers.xml"
mode serve "$NEW"

run "$tool" update -i "$idx" --url "$url"
expect "system store: exit" 3 "$rc"
expect_match "system store: message names the URL" "^iana-services: $url: .*(certificate|SSL)" "$err"
expect "system store: nothing written" "" "$(ls -A "$dir")"

run "$tool" update -i "$idx" --url "$url" --cacert "$pki/ca.pem"
expect "--cacert: exit" 0 "$rc"
expect "--cacert: installed" "$idx: installed, registry updated 2026-08-17" "$(echo "$out" | tail -n 1)"
run env IANA_SERVICES_CACERT="$pki/ca.pem" "$tool" update -i "$idx" --url "$url"
expect "IANA_SERVICES_CACERT: up to date" "0 up to date" "$rc $out"

# the name must match too: a certificate for 127.0.0.1 is not one for localhost
run "$tool" update -i "$idx" --url "https://localhost:$port/service-names-port-numbers.xml" \
	--cacert "$pki/ca.pem" --force
expect "wrong host name: exit" 3 "$rc"
expect_match "wrong host name: message" "(certificate|SSL|subject|host name)" "$err"
expect "requests that reached the server" 2 "$(requests)"
finish
