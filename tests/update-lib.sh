# update-lib.sh: sourced by the update tests after lib.sh: the registry
# versions, the tests' own server on 127.0.0.1, and what the index
# directory holds.
# SPDX-License-Identifier: LGPL-2.1-or-later
OLD="${REGISTRY_DIR:-}/service-names-port-numbers.2024-03-18.xml"
NEW="${REGISTRY_DIR:-}/service-names-port-numbers.2026-08-17.xml"
[ -r "$OLD" ] && [ -r "$NEW" ] ||
	skip "registry versions not found at $OLD and $NEW (set REGISTRY_DIR or --with-registry-dir)"
command -v python3 >/dev/null || skip "python3 not installed (the tests' registry server)"
# 127.0.0.1 directly, whatever proxy the environment names
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY \
	IANA_SERVICES_CACERT
# The machine's /etc/services, /etc/protocols and local files stay out of
# the tests.
IANA_SERVICES_DEFAULT_LOCAL=
IANA_SERVICES_DEFAULT_LOCAL_PROTOCOLS=
export IANA_SERVICES_DEFAULT_LOCAL IANA_SERVICES_DEFAULT_LOCAL_PROTOCOLS

dir="$tmp/var"            # the index, its .http and .registry, nothing else
idx="$dir/services.idx"
mkdir "$dir"
srv="$tmp/srv"
ctl="$srv/control"
mkdir "$srv"
server_pid=

stop_server() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT

# start_server [CERT KEY]: sets port; the server lives at most 10 minutes.
start_server() {
	echo "status 500" >"$ctl"
	rm -f "$srv/port"
	timeout 600 python3 "$top_srcdir/tests/registry-server.py" "$ctl" "$srv" "$@" \
		2>"$srv/log" &
	server_pid=$!
	n=0
	while [ ! -s "$srv/port" ]; do
		n=$((n + 1))
		if [ "$n" -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
			fail "the registry server did not start: $(cat "$srv/log")"
			finish
			exit 1
		fi
		sleep 0.1
	done
	port=$(cat "$srv/port")
}

# mode WORDS: what the server answers from now on
mode() {
	echo "$*" >"$ctl"
}

# requests: how many requests the server has had
requests() {
	if [ -f "$srv/requests" ]; then wc -l <"$srv/requests"; else echo 0; fi
}

# snapshot: the index's inode, mtime, size and bytes, and the directory's files
snapshot() {
	stat -c '%i %.9Y %s' "$idx"
	sha256sum <"$idx"
	ls -A "$dir" | tr '\n' ' '
}

# closed_port: a port of 127.0.0.1 nothing listens on
closed_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
