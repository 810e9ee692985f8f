#!/usr/bin/env python3
# in-front-edits.py TOOL NSS-DUMP INDEX: run by in-front.sh inside its mount
# namespace, with `services: iana [NOTFOUND=return] files` in nsswitch.conf
# and INDEX compiled by `rebuild` from /etc/services,
# /etc/nss-iana/local.services and the registry (SPEC section 10, F2).
#
# One long-running process asks glibc (getservbyname/getservbyport through
# ctypes, so the whole answer is compared) in a loop. Before each edit the
# index is rebuilt and the process must see it (registry keys answered);
# then /etc/services is edited as an administrator would, and the process
# must give what glibc's files backend now gives within 2 s, with no
# rebuild: the stale index answers UNAVAIL. At the end one rebuild brings
# the registry back with every edit kept.
#
# Prints one line per step; "FAIL: ..." lines and the exit status say
# whether it held.
# SPDX-License-Identifier: LGPL-2.1-or-later
import ctypes
import os
import re
import socket
import subprocess
import sys
import time

TOOL, DUMP, INDEX = sys.argv[1:4]
SERVICES = "/etc/services"
LOCAL = "/etc/nss-iana/local.services"
LIMIT = 2.0

# what each edit changes, and the registry keys that only the index knows
QUERIES = [
    "name neo4j tcp", "port 7474 tcp",                                # registry
    "name nss-iana-added tcp", "name added-alias -", "port 49990 tcp",  # append
    "name gopher tcp", "port 70 tcp", "port 71 tcp",                  # port changed
    "name finger tcp", "port 79 -",                                   # line deleted
    "name nss-iana-moved tcp", "port 49991 -",                        # mv over it
    "name nss-iana-local tcp",                                        # local.services
    "name ssh -", "name http tcp",                                    # untouched
]


class Servent(ctypes.Structure):
    _fields_ = [("s_name", ctypes.c_char_p),
                ("s_aliases", ctypes.POINTER(ctypes.c_char_p)),
                ("s_port", ctypes.c_int),
                ("s_proto", ctypes.c_char_p)]


libc = ctypes.CDLL("libc.so.6")
libc.getservbyname.restype = ctypes.POINTER(Servent)
libc.getservbyname.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.getservbyport.restype = ctypes.POINTER(Servent)
libc.getservbyport.argtypes = [ctypes.c_int, ctypes.c_char_p]
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg, flush=True)


def ask(q):
    """One query through this process's NSS, printed as nss-dump prints it."""
    kind, what, proto = q.split()
    p = None if proto == "-" else proto.encode()
    if kind == "port":
        r = libc.getservbyport(socket.htons(int(what)), p)
    else:
        r = libc.getservbyname(what.encode(), p)
    if not r:
        return q + "\tnot found"
    s = r.contents
    out = "%s %d/%s" % (s.s_name.decode(), socket.ntohs(s.s_port & 0xffff), s.s_proto.decode())
    i = 0
    while s.s_aliases[i]:
        out += " " + s.s_aliases[i].decode()
        i += 1
    return q + "\t" + out


def ask_all():
    return [ask(q) for q in QUERIES]


def dump(service):
    """The same queries in a new process: nss-dump SERVICE ('-': nsswitch.conf)."""
    r = subprocess.run([DUMP, service], input="\n".join(QUERIES) + "\n",
                       capture_output=True, text=True, check=True)
    return r.stdout.splitlines()


def wait_for(expected, t0, limit=5.0):
    """Seconds from t0 until this process answers expected, or None."""
    while True:
        got = ask_all()
        if got == expected:
            return time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            for g, e in zip(got, expected):
                if g != e:
                    print("  got [%s], expected [%s]" % (g, e), flush=True)
            return None
        time.sleep(0.002)


def rebuild(why):
    r = subprocess.run([TOOL, "rebuild", "-i", INDEX], capture_output=True, text=True)
    if r.returncode != 0:
        fail("rebuild %s: exit %d: %s" % (why, r.returncode, r.stderr.strip()))
        return None
    expected = dump("-")
    if not expected[0].endswith("\tneo4j 7474/tcp"):
        fail("rebuild %s: a new process does not find neo4j: %s" % (why, expected[0]))
    t = wait_for(expected, time.monotonic())
    if t is None:
        fail("rebuild %s: the running process does not see the new index" % why)
    return expected


def rewrite_in_place(pattern, repl):
    """Edit /etc/services in place (same inode), as `cat >` or vi's :w! do."""
    with open(SERVICES, "r+") as f:
        text = f.read()
        new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
        if n != 1:
            raise SystemExit("in-front-edits: /%s/ not in %s" % (pattern, SERVICES))
        f.seek(0)
        f.write(new)
        f.truncate()


def append():
    with open(SERVICES, "a") as f:
        f.write("nss-iana-added\t49990/tcp\tadded-alias\n")


def change_port():      # the same size: only the mtime says it changed
    rewrite_in_place(r"^(gopher\s+)70/tcp", r"\g<1>71/tcp")


def delete_line():
    rewrite_in_place(r"^finger\s+79/tcp.*\n", "")


def replace_by_mv():
    with open(SERVICES) as f:
        text = f.read()
    with open(SERVICES + ".new", "w") as f:
        f.write(text + "nss-iana-moved\t49991/tcp\n")
    os.rename(SERVICES + ".new", SERVICES)


def create_local():     # absent when the index was compiled: watched too
    os.makedirs(os.path.dirname(LOCAL), exist_ok=True)
    with open(LOCAL, "w") as f:
        f.write("nss-iana-local\t49992/tcp\n")


EDITS = [("append a line", append), ("change a port in place", change_port),
         ("delete a line", delete_line), ("replace the file by mv", replace_by_mv),
         ("create local.services", create_local)]

for name, edit in EDITS:
    before = rebuild("before '%s'" % name)
    if before is None:
        continue
    ino = os.stat(SERVICES).st_ino
    t0 = time.monotonic()
    edit()
    expected = dump("files")
    how = "same inode" if os.stat(SERVICES).st_ino == ino else "new inode"
    if edit is create_local:
        how = "a new file"
    if expected == before:
        fail("%s: the edit changes no answer" % name)
    t = wait_for(expected, t0)
    if t is None:
        fail("%s: not answered as files answers within 5 s" % name)
    else:
        print("edit '%s' (%s): answered as files after %.2f s" % (name, how, t), flush=True)
        if t > LIMIT:
            fail("%s: answered as files only after %.2f s" % (name, t))

after = rebuild("after the edits")
if after is not None:
    got = dict(line.split("\t") for line in ask_all())
    for q, want in [("name neo4j tcp", "neo4j 7474/tcp"),
                    ("name nss-iana-added tcp", "nss-iana-added 49990/tcp added-alias"),
                    ("name gopher tcp", "gopher 71/tcp"),
                    ("name nss-iana-moved tcp", "nss-iana-moved 49991/tcp"),
                    ("name nss-iana-local tcp", "nss-iana-local 49992/tcp")]:
        if got[q] != want:
            fail("after rebuild: %s: expected [%s], got [%s]" % (q, want, got[q]))
    print("after rebuild: registry keys answered, edits kept (%s; %s; %s)"
          % (got["name neo4j tcp"], got["name gopher tcp"], got["port 70 tcp"]), flush=True)
sys.exit(1 if failures else 0)
