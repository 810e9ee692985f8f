#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""gen-registry.py: write a synthetic IANA service registry CSV, SCALE times
the size of the real one, for the scaling part of `make bench`.

    gen-registry.py --scale 16 [--records 14447] [--seed N] -o OUT.csv

The same seed and scale give the same file. The mix of records follows the
real registry (2024-06): about 12% unnamed (Reserved, Unassigned), 7% named
without a port, 1.3% legacy synonyms ("This entry is an alias to ..."), a few
ranges, text fields of about the same length. Unlike the real registry, ports
are spread over all four protocols (tcp, udp, sctp, dccp), since 16 times the
real registry does not fit in 65536 tcp and udp ports: at 16x most ports carry
several names, which is what the port tables must cope with. Every name is
distinct (ignoring case), so every name has an answer of its own.

Only the standard library is used.
"""

import argparse
import csv
import random
import sys

HEADER = ["Service Name", "Port Number", "Transport Protocol", "Description",
          "Assignee", "Contact", "Registration Date", "Modification Date",
          "Reference", "Service Code", "Unauthorized Use Reported",
          "Assignment Notes"]

# Records in service-names-port-numbers.2024-06.csv.
REAL_RECORDS = 14447

SYLLABLES = ("ac", "bo", "cal", "dex", "en", "fi", "gat", "hy", "io", "jet",
             "ka", "lum", "mo", "net", "or", "pix", "qu", "ra", "sy", "tor",
             "ux", "vo", "wa", "xen", "yo", "zed")
WORDS = ("data", "service", "protocol", "server", "client", "control",
         "remote", "management", "network", "secure", "transfer", "agent",
         "monitor", "system", "message", "gateway", "database", "license",
         "video", "sync", "discovery", "broker", "stream", "backup")
PEOPLE = ("Alice_Martin", "Bob_Nakamura", "Chen_Wei", "Dana_Okafor",
          "Erik_Lindqvist", "Fatima_Haddad", "Gustavo_Reyes", "Hana_Novak",
          "IESG", "IETF_Chair", "Jon_Postel")
# (protocols, weight): one service registered for each protocol in the tuple.
PROTO_SETS = ((("tcp", "udp"), 40), (("tcp",), 15), (("udp",), 10),
              (("sctp", "dccp"), 15), (("sctp",), 10), (("dccp",), 10))


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if n == 0:
            return s


class Gen:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.serial = 0
        self.proto_sets = [p for p, w in PROTO_SETS for _ in range(w)]

    def name(self):
        """A distinct name of at most 15 characters, RFC 6335 style."""
        self.serial += 1
        word = "".join(self.rnd.choice(SYLLABLES)
                       for _ in range(self.rnd.randint(1, 3)))
        return "%s-%s" % (word, base36(self.serial))

    def text(self, lo, hi):
        words = []
        while len(" ".join(words)) < self.rnd.randint(lo, hi):
            words.append(self.rnd.choice(WORDS))
        return " ".join(words).capitalize()

    def person(self):
        return "[%s]" % self.rnd.choice(PEOPLE)

    def date(self):
        return "%04d-%02d-%02d" % (self.rnd.randint(1995, 2024),
                                   self.rnd.randint(1, 12),
                                   self.rnd.randint(1, 28))

    def fields(self, name, port, proto, description=None, notes=""):
        rnd = self.rnd
        named = bool(name)
        return [name, port, proto,
                description or self.text(8, 40),
                self.person() if named or rnd.random() < 0.5 else "",
                self.person() if named else "",
                self.date() if named and rnd.random() < 0.6 else "",
                self.date() if named and rnd.random() < 0.05 else "",
                "[RFC%d]" % rnd.randint(700, 9600) if rnd.random() < 0.04 else "",
                "", "", notes]


def generate(scale, records, seed):
    """Rows (without the header), about scale * records of them."""
    g = Gen(seed)
    rnd = g.rnd
    target = int(round(scale * records))
    rows_with_port = []   # (port, serial, row): sorted by port, as IANA's is
    rows_no_port = []
    services = []         # (name, port text, proto) a synonym may refer to
    # The walk over ports: a stride prime to 65536 visits every port once
    # per 65536 services, so ports fill evenly at any scale.
    stride, port, n = 40503, rnd.randrange(65536), 0
    # Each draw gives 1 to 2 rows; the thresholds give the real row mix.
    while n < target:
        r = rnd.random()
        if r < 0.115:
            lo = rnd.randrange(65536)
            hi = min(65535, lo + rnd.choice((0, 0, 1, 5, 20, 100)))
            text = "%d-%d" % (lo, hi) if hi > lo else str(lo)
            desc = rnd.choice(("Reserved", "Unassigned"))
            for proto in rnd.choice((("tcp", "udp"), ("",))):
                rows_with_port.append((lo, n, g.fields("", text, proto, desc)))
                n += 1
        elif r < 0.221:
            notes = "Defined TXT keys: %s" % g.text(10, 80) if rnd.random() < 0.3 else ""
            rows_no_port.append(g.fields(g.name(), "", "", notes=notes))
            n += 1
        elif r < 0.240 and services:
            # A legacy synonym of an earlier service, same port and protocol (R3).
            target_name, text, proto = rnd.choice(services)
            notes = 'This entry is an alias to "%s".' % target_name
            rows_with_port.append((int(text.split("-")[0]), n,
                                   g.fields(g.name(), text, proto, notes=notes)))
            n += 1
        else:
            name = g.name()
            port = (port + stride) % 65536
            text = str(port)
            if rnd.random() < 0.0005:
                text = "%d-%d" % (port, min(65535, port + rnd.randint(1, 63)))
            desc = g.text(8, 40)
            notes = g.text(40, 160) if rnd.random() < 0.02 else ""
            for proto in rnd.choice(g.proto_sets):
                rows_with_port.append((port, n, g.fields(name, text, proto, desc, notes)))
                services.append((name, text, proto))
                n += 1
    rows_with_port.sort(key=lambda t: (t[0], t[1]))
    return [row for _, _, row in rows_with_port] + rows_no_port


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, required=True,
                    help="size relative to the real registry")
    ap.add_argument("--records", type=int, default=REAL_RECORDS,
                    help="records in the real registry (default %(default)s)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.scale <= 0 or args.records <= 0:
        ap.error("--scale and --records must be positive")
    rows = generate(args.scale, args.records, args.seed)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("%s: %d records" % (args.output, len(rows)), file=sys.stderr)


if __name__ == "__main__":
    main()
