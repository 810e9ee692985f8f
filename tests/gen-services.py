#!/usr/bin/env python3
# gen-services.py: services(5) files for the R9 property test, and the
# queries that ask every key of such a file.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   gen-services.py SEED           a services(5) file on stdout, the same for
#                                  the same SEED (Python's Mersenne Twister)
#   gen-services.py --queries FILE the keys of FILE, read as glibc's files
#                                  backend reads it, for tests/nss-dump: for
#                                  every line, "name N PROTO" and "name N -"
#                                  for its name and each alias, "port P PROTO"
#                                  and "port P -"; PROTO '""' when the line
#                                  has none ("name 80"). Every query, repeats
#                                  included, in file order.
#   gen-services.py --many DIR N   both for seeds 1..N, in one process:
#                                  DIR/SEED.services and DIR/SEED.queries
#
# The generated files hold only lines that glibc's files backend accepts
# (nss/nss_files/files-service.c: the name up to white space, the port as
# strtoul(3) with base 0 reads it, the line ignored past 32 bits (Debian 12's
# glibc 2.36; upstream's source would clamp), cut to 16 bits, then
# slashes and the protocol up to white space, or nothing after the number;
# the rest, split at white space, are aliases), so that the compiler must
# keep every one of them (SPEC R9): case variants of names and aliases, odd
# protocols (ddp, udplite, mptcp, any word, TCP, none at all), repeated
# lines, repeated names on other ports, comments, blank lines, \t \v \f \r
# separators, ports in hex, octal, with leading zeros or a sign, long alias
# lists (up to the index's 64) and names of the registry (http, ssh, www).
# Within the index's limits (SPEC 5): names of at most 255 bytes, no control
# byte, valid UTF-8.
#
# The first line that is not blank or a comment is always a plain
# "name port/proto": the compiler's format detection reads it to tell a
# services(5) file from the registry's formats.
import random
import sys

# isspace() in the C locale: the separators of a services(5) line
SPACE = " \t\n\v\f\r"

REGISTRY_NAMES = [
    "http", "www", "www-http", "ssh", "telnet", "smtp", "domain", "ftp", "ftp-data",
    "ntp", "https", "imap", "pop3", "kerberos", "echo", "discard", "x11", "sql-net",
    "sql*net", "z39.50", "z39-50", "whois++", "whoispp", "nicname", "whois", "neo4j",
    "clearcase", "rtmp", "nbp", "zip", "tcpmux", "finger", "gopher", "ipp", "ipps",
]
ODD_PROTOS = ["ddp", "udplite", "mptcp", "TCP", "UDP", "Tcp", "icmp", "ip", "rdp", "raw"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
NAME_CHARS = LETTERS + "0123456789" + "-" * 6 + "_.*+/!@:=%~"
UNICODE = ["é", "ß", "ø", "ü", "日本", "サービス", "λ", "ñ"]


def flip_case(rnd, s):
    """A case variant of s (ASCII letters only), different from s when it can be."""
    if not any(c.isascii() and c.isalpha() for c in s):
        return s
    while True:
        v = "".join(c.swapcase() if c.isascii() and c.isalpha() and rnd.random() < 0.5 else c
                    for c in s)
        if v != s:
            return v


def word(rnd, lo=1, hi=12):
    n = rnd.randint(lo, hi)
    return rnd.choice(LETTERS) + "".join(rnd.choice(NAME_CHARS) for _ in range(n - 1))


def utf8_len(s):
    return len(s.encode("utf-8"))


class Gen:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.names = []        # names and aliases given so far
        self.protos = ["tcp", "udp", "sctp", "dccp"] + [
            "".join(self.rnd.choice(LETTERS) for _ in range(self.rnd.randint(2, 9)))
            for _ in range(3)]

    def name(self):
        r = self.rnd.random()
        if self.names and r < 0.30:
            n = self.rnd.choice(self.names)
            return flip_case(self.rnd, n) if self.rnd.random() < 0.6 else n
        if r < 0.50:
            n = self.rnd.choice(REGISTRY_NAMES)
            return flip_case(self.rnd, n) if self.rnd.random() < 0.3 else n
        if r < 0.53:
            n = word(self.rnd, 1, 4) + self.rnd.choice(UNICODE)
        elif r < 0.55:
            n = word(self.rnd, 200, 255)      # long names, up to the limit
        else:
            n = word(self.rnd)
        while utf8_len(n) > 255:
            n = n[:-1]
        self.names.append(n)
        return n

    def proto(self):
        r = self.rnd.random()
        if r < 0.45:
            return self.rnd.choice(["tcp", "udp"])
        if r < 0.60:
            return self.rnd.choice(self.protos)
        if r < 0.80:
            return self.rnd.choice(ODD_PROTOS)
        if r < 0.90:
            return flip_case(self.rnd, self.rnd.choice(["tcp", "udp", "sctp", "ddp"]))
        return None                            # no protocol

    def port_value(self):
        r = self.rnd.random()
        if r < 0.3:
            return self.rnd.choice([0, 1, 2, 4, 6, 7, 21, 22, 23, 25, 53, 80, 443, 371, 6000,
                                    7474, 8080, 65535])
        if r < 0.6:
            return self.rnd.randint(0, 1024)
        return self.rnd.randint(0, 65535)

    def port_text(self, v):
        """v as glibc reads it with strtoul(3), base 0."""
        r = self.rnd.random()
        if r < 0.45:
            t = str(v)
        elif r < 0.60:
            t = ("0x%x" if self.rnd.random() < 0.5 else "0X%X") % v
        elif r < 0.72:
            t = "0%o" % v                          # octal
        elif r < 0.80:
            t = "0" * self.rnd.randint(2, 4) + "%o" % v   # leading zeros: octal too
        elif r < 0.86:
            t = "0x" + "0" * self.rnd.randint(1, 4) + "%x" % v
        elif r < 0.90:
            t = str(v + 65536 * self.rnd.randint(1, 3))  # cut to 16 bits
        else:
            t = str(v)
        if self.rnd.random() < 0.08:
            t = "+" + t
        return t

    def sep(self, allow_cr=True):
        """A run of white space between two fields."""
        chars = " \t\v\f\r" if allow_cr else " \t\v\f"
        r = self.rnd.random()
        if r < 0.6:
            return " "
        if r < 0.8:
            return "\t"
        return "".join(self.rnd.choice(chars) for _ in range(self.rnd.randint(1, 4)))

    def aliases(self, name):
        r = self.rnd.random()
        if r < 0.35:
            n = 0
        elif r < 0.85:
            n = self.rnd.randint(1, 4)
        elif r < 0.95:
            n = self.rnd.randint(5, 20)
        else:
            n = self.rnd.randint(50, 64)
        out = []
        for _ in range(n):
            x = self.rnd.random()
            if x < 0.10:
                out.append(flip_case(self.rnd, name))    # the name in another case
            elif x < 0.15:
                out.append(name)                         # the name itself
            elif x < 0.22 and out:
                out.append(self.rnd.choice(out))         # a repeat
            elif x < 0.28 and out:
                out.append(flip_case(self.rnd, self.rnd.choice(out)))
            else:
                out.append(self.name())
        return out

    def line(self, plain=False):
        name = self.name() if not plain else word(self.rnd, 3, 10)
        port = self.port_value()
        if plain:
            return "%s %d/%s" % (name, port, self.rnd.choice(["tcp", "udp"]))
        proto = self.proto()
        s = ""
        if self.rnd.random() < 0.1:
            s += "".join(self.rnd.choice(" \t\v\f\r") for _ in range(self.rnd.randint(1, 3)))
        s += name + self.sep() + self.port_text(port)
        if proto is None and self.rnd.random() < 0.5:
            # "name 80": nothing may follow the number but a comment
            if self.rnd.random() < 0.2:
                s += "#" + self.comment()
            return s
        s += "/" * (1 if self.rnd.random() < 0.9 else self.rnd.randint(2, 3))
        s += proto or ""
        al = self.aliases(name)
        for a in al:
            s += self.sep() + a
        if self.rnd.random() < 0.15:
            s += self.sep(allow_cr=True)
        if self.rnd.random() < 0.2:
            s += ("" if self.rnd.random() < 0.3 else " ") + "#" + self.comment()
        if self.rnd.random() < 0.05:
            s += "\r"                                   # a CRLF line
        return s

    def comment(self):
        return " ".join(word(self.rnd) for _ in range(self.rnd.randint(0, 5)))

    def file(self):
        out = []
        if self.rnd.random() < 0.5:
            out.append("# generated by gen-services.py")
        out.append(self.line(plain=True))
        for _ in range(self.rnd.randint(10, 120)):
            r = self.rnd.random()
            if r < 0.05:
                out.append("")
            elif r < 0.08:
                out.append("".join(self.rnd.choice(" \t\v\f\r") for _ in range(3)))
            elif r < 0.12:
                out.append(self.rnd.choice(["#", "# ", "  # "]) + self.comment())
            elif r < 0.20 and len(out) > 1:
                out.append(self.rnd.choice(out))       # a repeated line
            else:
                out.append(self.line())
        if self.rnd.random() < 0.9:
            return "\n".join(out) + "\n"
        # No newline at the end. glibc 2.36's files backend misreads such
        # a last line when it starts with white space: the entry gets as
        # many stray bytes after its last field as the line had blanks in
        # front ("   a 2/tcp yy" answers "a 2/tcp yy yy"). No index can
        # answer that, so the last line starts with its name.
        out[-1] = out[-1].lstrip(SPACE)
        return "\n".join(out)


def strtou32(s):
    """strtoul(s, &end, 0) as glibc's files-parse.c reads it: (value, rest), or
    None when no number or, as Debian 12's glibc 2.36 does (getent -s files
    finds neither "x 4294967296/tcp" nor "x -1/tcp"), when the value is past
    32 bits: the line is ignored. Upstream's source would clamp it."""
    i = 0
    while i < len(s) and s[i] in SPACE:
        i += 1
    neg = False
    if i < len(s) and s[i] in "+-":
        neg = s[i] == "-"
        i += 1
    base, j = 10, i
    if s[j:j + 2] in ("0x", "0X") and j + 2 < len(s) and s[j + 2] in "0123456789abcdefABCDEF":
        base, j = 16, j + 2
    elif s[j:j + 1] == "0":
        base = 8
    digits = "0123456789abcdef"[:base]
    k = j
    while k < len(s) and s[k].lower() in digits:
        k += 1
    if k == j:
        return None
    v = int(s[j:k], base)
    if v > 0xffffffffffffffff:
        v = 0xffffffffffffffff
    if neg:
        v = (-v) & 0xffffffffffffffff
    if v > 0xffffffff:
        return None
    return v, s[k:]


def split(s):
    out, cur = [], ""
    for c in s:
        if c in SPACE:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += c
    if cur:
        out.append(cur)
    return out


def parse(line):
    """(name, port, proto, aliases) as glibc's files backend reads the
    line, or None when it ignores the line."""
    line = line.split("#", 1)[0]
    i = 0
    while i < len(line) and line[i] in SPACE:
        i += 1
    line = line[i:]
    if not line:
        return None
    i = 0
    while i < len(line) and line[i] not in SPACE:
        i += 1
    name = line[:i]
    while i < len(line) and line[i] in SPACE:
        i += 1
    n = strtou32(line[i:])
    if n is None:
        return None
    v, rest = n
    if rest and rest[0] != "/":
        return None
    rest = rest.lstrip("/")
    i = 0
    while i < len(rest) and rest[i] not in SPACE:
        i += 1
    return name, v & 0xffff, rest[:i], split(rest[i:])


def queries(path, out):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "surrogateescape")
    for line in text.split("\n"):
        e = parse(line)
        if not e:
            continue
        name, port, proto, aliases = e
        p = proto if proto else '""'
        for n in [name] + aliases:
            out.write("name %s %s\n" % (n, p))
            out.write("name %s -\n" % n)
        out.write("port %d %s\n" % (port, p))
        out.write("port %d -\n" % port)


def many(d, n):
    for seed in range(1, n + 1):
        base = "%s/%d" % (d, seed)
        with open(base + ".services", "w", encoding="utf-8", newline="") as f:
            f.write(Gen(seed).file())
        with open(base + ".queries", "w", encoding="utf-8", errors="surrogateescape",
                  newline="\n") as f:
            queries(base + ".services", f)


def main():
    sys.stdout.reconfigure(encoding="utf-8", errors="surrogateescape", newline="\n")
    if len(sys.argv) == 3 and sys.argv[1] == "--queries":
        queries(sys.argv[2], sys.stdout)
    elif len(sys.argv) == 4 and sys.argv[1] == "--many":
        many(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 2:
        sys.stdout.write(Gen(int(sys.argv[1])).file())
    else:
        sys.stderr.write("usage: gen-services.py SEED | --queries FILE\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
