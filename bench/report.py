#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""report.py: turn what bench/run.sh measured into the results table.

    report.py [--only protocols] WORKDIR OUTPUT.md

WORKDIR holds raw.tsv (nss-bench output), hf-*.json (hyperfine), sizes.tsv
and meta.tsv (KEY<TAB>VALUE lines). The markdown goes to OUTPUT.md and to
standard output. With --only protocols (BENCH_ONLY=protocols: a run of the
protocols part alone), only the protocols section is made, with its own
account of the run, and it replaces that section of OUTPUT.md (or is added
at its end): the rest of the file, from another run, is kept. Exit status:
0 when every target passes, 1 when one fails (or, with --only, when an
iana answer differs from files'), 2 when the input is incomplete. Only the
standard library is used.
"""

import glob
import json
import math
import os
import statistics
import struct
import sys

SETS = ["name/tcp", "name/udp", "name/any", "port/tcp", "port/udp", "port/any"]
TAIL = ["tail/name", "tail/port"]
NSS_BACKENDS = [
    ("floor", "floor module (NSS dispatch only)"),
    ("iana", "**iana** (NSS)"),
    ("direct", "**direct** library calls (no NSS)"),
    ("current", "library, process index (the shim's path)"),
    ("floor-hot", "floor, 16 queries (in cache)"),
    ("iana-hot", "iana, 16 queries (in cache)"),
    ("direct-hot", "direct, 16 queries (in cache)"),
    ("floor-call", "floor, each call timed alone"),
    ("iana-call", "iana, each call timed alone"),
    ("direct-call", "direct, each call timed alone"),
    ("nscd", "nscd in front of files, warm (keys asked before)"),
    ("files", "files, full export as /etc/services"),
    ("db", "db (libnss-db), services.db by its recipe"),
    ("db-open", "db, file held open (setservent(1))"),
]
PROTO_SETS = [("name", "export: names"), ("number", "export: numbers"),
              ("local/name", "netbase: names"), ("local/number", "netbase: numbers"),
              ("miss/name", "miss: names"), ("miss/number", "miss: numbers"),
              ("enum", "getprotoent")]
PROTO_BACKENDS = [("proto-iana", "**iana**, index of netbase's file + the registry"),
                  ("proto-files-netbase", "files, netbase's /etc/protocols"),
                  ("proto-files-export", "files, the index's export as /etc/protocols")]
PROTO_HEADING = "## Protocols: getprotobyname and getprotobynumber (issue 17)"
SECTION_NAMES = {1: "strings", 2: "entries", 3: "names hash", 4: "variants hash",
                 5: "ports hash", 6: "records", 7: "record bodies", 8: "people",
                 9: "meta"}


def quantile(xs, q):
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


class Stat:
    def __init__(self, xs):
        self.xs = list(xs)
        self.n = len(self.xs)
        self.median = statistics.median(self.xs)
        self.p25 = quantile(self.xs, 0.25)
        self.p75 = quantile(self.xs, 0.75)
        self.min = min(self.xs)
        self.max = max(self.xs)


def fmt_num(x):
    if x >= 100000:
        return "{:,.0f}".format(x)
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def fmt_stat(s, scale=1.0):
    if s is None:
        return "–"
    return "%s (%s–%s)" % (fmt_num(s.median * scale), fmt_num(s.p25 * scale),
                           fmt_num(s.p75 * scale))


def fmt_ratio(r):
    if r is None:
        return "–"
    if r < 0.01:
        return "%.2g×" % r
    if r >= 100:
        return "{:,.0f}×".format(r)
    return "%.2f×" % r


def fmt_bytes(n):
    if n is None:
        return "–"
    if n >= 1 << 20:
        return "%.2f MiB" % (n / (1 << 20))
    if n >= 1 << 10:
        return "%.1f KiB" % (n / (1 << 10))
    return "%d B" % n


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("\t")
                kv[k] = v
    return kv


def read_raw(path):
    """Samples pooled, samples by round (bench/run.sh marks where each round
    starts), and answer checks."""
    samples, rounds, checks, counts = {}, {}, {}, {}
    rnd = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            t = line.rstrip("\n").split("\t")
            if t[0] == "round":
                rnd = t[1]
            elif t[0] == "sample":
                samples.setdefault((t[1], t[2]), []).append(float(t[4]))
                rounds.setdefault((t[1], t[2]), {}).setdefault(rnd, []).append(float(t[4]))
            elif t[0] == "first":
                samples.setdefault((t[1], "first " + t[2]), []).append(float(t[3]))
                rounds.setdefault((t[1], "first " + t[2]), {}).setdefault(rnd, []).append(
                    float(t[3]))
            elif t[0] == "check":
                if t[2] == "enum" and int(t[3]):
                    counts.setdefault(t[1], set()).add(int(t[4]))
                c = checks.setdefault((t[1], t[2]), [0, 0, 0, 0, False])
                c[0] += int(t[3])
                c[1] += int(t[4])
                if t[5] == "-":
                    c[4] = True
                else:
                    c[2] += int(t[5])
                    c[3] += int(t[6])
    return samples, rounds, checks, counts


def median_ratio(pairs):
    """The median of a / b over the rounds that measured both: backends
    compared within a round saw the same machine, and a round that a burst
    of load spoiled for one of them is one ratio out of several."""
    rs = [a / b for a, b in pairs if a and b]
    return statistics.median(rs) if rs else None


def read_hf_rounds(pattern):
    """Median run time (seconds) per command name, one dict per round."""
    out = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            out.append({r["command"]: statistics.median(r["times"])
                        for r in json.load(f)["results"]})
    return out


def hf_ratio(rounds, a, b):
    return median_ratio((r.get(a), r.get(b)) for r in rounds)


def read_hf(pattern):
    """Run times (seconds) per command name, pooled over rounds."""
    times = {}
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                t = times.setdefault(r["command"], {"times": [], "cpu": []})
                t["times"].extend(r["times"])
                t["cpu"].append(r["user"] + r["system"])
    return times


def index_sections(path):
    """(name, bytes) per section of an index, or [] if it cannot be read."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        magic, version, order, hsize, count = struct.unpack_from("<8sIIII", head, 0)
        if magic != b"IANAsvc\n":
            return []
        out = []
        table = hsize - 16 * count        # the section table ends the header
        for i in range(count):
            sid, off, size, n = struct.unpack_from("<IIII", head, table + 16 * i)
            out.append((SECTION_NAMES.get(sid, "section %d" % sid), size, n))
        out.append(("header and section table", hsize, 0))
        return out
    except (OSError, struct.error):
        return []


class Report:
    def __init__(self, work):
        self.work = work
        self.meta = read_kv(os.path.join(work, "meta.tsv"))
        self.sizes = read_kv(os.path.join(work, "sizes.tsv"))
        self.samples, self.rounds, self.checks, counts = read_raw(
            os.path.join(work, "raw.tsv"))
        # entries an enumeration gave: one number when every run gave the same
        self.front_counts = {l: (min(v) if len(v) == 1 else "%d–%d" % (min(v), max(v)))
                             for l, v in counts.items()}
        self.lines = []
        self.targets = []
        self.failed_checks = []

    def out(self, s=""):
        self.lines.append(s)

    def stat(self, label, set_name):
        xs = self.samples.get((label, set_name))
        return Stat(xs) if xs else None

    def ratio(self, a, b, set_name):
        """a / b on set_name: the median of the rounds' ratios of medians."""
        ra, rb = self.rounds.get((a, set_name), {}), self.rounds.get((b, set_name), {})
        return median_ratio((statistics.median(ra[r]), statistics.median(rb[r]))
                            for r in ra if r in rb)

    def diff(self, a, b, set_name):
        """a - b on set_name: the median of the rounds' differences of medians."""
        ra, rb = self.rounds.get((a, set_name), {}), self.rounds.get((b, set_name), {})
        ds = [statistics.median(ra[r]) - statistics.median(rb[r]) for r in ra if r in rb]
        return statistics.median(ds) if ds else None

    def size(self, key):
        v = self.sizes.get(key)
        return int(v) if v not in (None, "") else None

    def target(self, what, measured, limit, ok, note=""):
        self.targets.append((what, measured, limit,
                             "n/a" if ok is None else ("PASS" if ok else "FAIL"), note))

    def check_cell(self, label):
        cs = [v for (l, _), v in self.checks.items() if l == label]
        if not cs:
            return "–"
        if any(c[4] for c in cs):
            return "not checked"
        q = sum(c[0] for c in cs)
        miss = sum(c[2] for c in cs)
        wrong = sum(c[3] for c in cs)
        if label in ("iana", "direct", "current", "iana-hot", "direct-hot", "iana-call",
                     "direct-call", "nscd") or \
                label.startswith("scale"):
            if miss or wrong:
                self.failed_checks.append("%s: %d misses, %d wrong" % (label, miss, wrong))
        return "%d / %d / %d" % (q, miss, wrong)

    # ---- sections ----

    def header(self):
        m = self.meta
        self.out("# nss-iana benchmark results")
        self.out()
        self.out("Measured by `make bench` (bench/run.sh) on %s." % m.get("date", "?"))
        self.out()
        self.out("- machine: %s, %s, %s CPUs; %s; glibc %s" % (
            m.get("arch", "?"), m.get("cpu", "?"), m.get("ncpu", "?"),
            m.get("kernel", "?"), m.get("glibc", "?")))
        self.out("- load average when the run started: %s (other work on the machine "
                 "makes absolute numbers noisy; compare ratios)" % m.get("load", "?"))
        self.out("- in-process runs pinned to CPU %s; registry: %s (%s entries in the export)"
                 % (m.get("cpu_pin", "?"), m.get("csv", "?"), m.get("entries", "?")))
        self.out("- cells read `median (p25–p75)` of the samples: each sample is one batch of "
                 "%s lookups (or entries) timed with clock_gettime(CLOCK_MONOTONIC), over "
                 "all repetitions of the query set; a batch that lost the CPU to other "
                 "work is an outlier the median ignores" % self.meta.get("batch", "200"))
        self.out("- in-process lookups run in %s rounds, the backends taking turns, each "
                 "round on fresh copies of the driver, the modules and the index: where "
                 "their pages land in physical memory moves the results by up to 30%% on "
                 "this machine, so each round is another draw"
                 % (len({r for v in self.rounds.values() for r in v
                         if r and not r.startswith(("scale", "front", "proto"))})
                     or "?"))
        self.out("- every ratio, in the tables and in the targets, is the median over the "
                 "rounds of the ratio of the two medians in that round (hyperfine: of the "
                 "round's median run times): this machine has periods in which everything "
                 "runs up to twice as slow, and one that begins in the middle of a round "
                 "spoils one ratio of several rather than the pooled medians")
        self.out()

    def lookups(self):
        self.out("## In-process lookups, full registry (ns per call)")
        self.out()
        self.out("Queries: a uniform sample (fixed seed) of %s %s entries per set, "
                 "asked by name or by port with protocol tcp, udp or NULL (any); "
                 "`tail`: the last %s entries, each with its own protocol; "
                 "`getservent`: one full pass, per entry. Every answer is compared with "
                 "the export (name, aliases, port, protocol): the last column counts "
                 "queries / misses / wrong answers. The `in cache` rows ask 16 of the "
                 "entries over and over, so that their data stay in the CPU's caches: "
                 "they show what the code costs without the cache misses of the larger "
                 "sets. The `each call timed alone` rows time every lookup of the sets "
                 "by itself (batches of one): the two clock reads count in each sample, "
                 "and a lookup no longer overlaps the next one's cache misses; the cells "
                 "are only as fine as the clock's steps. The issue's orientation figures "
                 "for the floor (about 70 and 60 ns) look taken this way: compare them "
                 "with these rows. The targets are judged on the batched rows."
                 % (self.meta.get("sample", "?"), "of the export's", self.meta.get("tail", "?")))
        self.out()
        cols = SETS + TAIL + ["enum"]
        self.out("| backend | " + " | ".join(
            c if c != "enum" else "getservent" for c in cols) + " | checked q / miss / wrong |")
        self.out("|---|" + "---:|" * len(cols) + "---:|")
        for label, desc in NSS_BACKENDS:
            if not any(l == label for l, _ in self.samples):
                continue
            cells = [fmt_stat(self.stat(label, c)) for c in cols]
            self.out("| %s | %s | %s |" % (desc, " | ".join(cells), self.check_cell(label)))
        self.out()
        self.out("Each set is asked once to check the answers, then %s times untimed, "
                 "then timed: the samples are of the steady state. The checking pass, the "
                 "first over the set in its process, is slower while the index's pages "
                 "settle (a page fault each on first touch); its ns per lookup, median "
                 "over the rounds, include comparing each answer with the export "
                 "(not for the floor, whose answers are not checked):" % self.meta.get("warmup", "3"))
        self.out()
        self.out("| first pass | " + " | ".join(SETS + TAIL) + " |")
        self.out("|---|" + "---:|" * len(SETS + TAIL))
        first_rows = NSS_BACKENDS[:4] + [
            ("nscd", "nscd in front of files, **cold**: each key's first ask, through "
                     "the socket (its cache emptied with `nscd -i services` before each set)")]
        for label, desc in first_rows:
            cells = [fmt_num(self.stat(label, "first " + c).median)
                     if self.stat(label, "first " + c) else "–" for c in SETS + TAIL]
            self.out("| %s | %s |" % (desc, " | ".join(cells)))
        self.out()
        self.out("Ratios (medians of the rounds' ratios):")
        self.out()
        self.out("| ratio | " + " | ".join(c if c != "enum" else "getservent" for c in cols) + " |")
        self.out("|---|" + "---:|" * len(cols))
        for a, b, desc in [("iana", "floor", "iana / floor"),
                           ("direct", "floor", "direct / floor"),
                           ("current", "floor", "current / floor"),
                           ("iana-hot", "floor-hot", "iana / floor, in cache"),
                           ("direct-hot", "floor-hot", "direct / floor, in cache"),
                           ("iana-call", "floor-call", "iana / floor, each call timed alone"),
                           ("direct-call", "floor-call",
                            "direct / floor, each call timed alone"),
                           ("iana", "direct", "iana / direct"),
                           ("iana", "nscd", "iana / nscd warm"),
                           ("files", "iana", "files / iana"),
                           ("db", "iana", "db / iana"),
                           ("db-open", "iana", "db held open / iana")]:
            self.out("| %s | %s |" % (desc, " | ".join(
                fmt_ratio(self.ratio(a, b, c)) for c in cols)))
        self.out()

        worst = lambda a, b, sets: max((self.ratio(a, b, s) or float("inf")) for s in sets)
        names, ports = SETS[:3], SETS[3:]
        for kind, set_name in (("by name", "name/any"), ("by port", "port/any")):
            d = self.diff("iana-hot", "floor-hot", set_name)
            self.target("in cache (16 queries): iana − floor %s, ns" % kind,
                        "%.1f ns" % d if d is not None else "–", "≤ 15 ns",
                        d is not None and d <= 15)
        for kind, set_name, sets in (("by name", "name/any", names),
                                     ("by port", "port/any", ports)):
            r = self.ratio("iana", "floor", set_name)
            self.target("2,000 spread queries: iana / floor %s (%s; worst of tcp, udp, "
                        "NULL: %s)" % (kind, set_name, fmt_ratio(worst("iana", "floor", sets))),
                        fmt_ratio(r), "≤ 2.0×", r is not None and r <= 2.0)
        for kind, set_name, limit in (("by name", "name/any", 1.0), ("by port", "port/any", 0.6)):
            r = self.ratio("direct-hot", "floor-hot", set_name)
            self.target("in cache: direct library calls / floor %s" % kind,
                        fmt_ratio(r), "≤ %.1f×" % limit, r is not None and r <= limit)
        if any(l == "nscd" for l, _ in self.samples):
            r = worst("iana", "nscd", SETS)
            self.target("iana / nscd warm, same keys (worst of the 6 sampled sets)",
                        fmt_ratio(r), "≤ 1.0×", r <= 1.0)
            rs = [self.cold_ratio("iana", "nscd", c) for c in SETS]
            r = max(x if x is not None else float("inf") for x in rs)
            self.target("iana / nscd cold (each key's first ask; worst of the 6 sets)",
                        fmt_ratio(r), "≤ 0.01×", r <= 0.01)
        r = self.ratio("iana", "files", "enum")
        self.target("getservent_r through iana, per entry, vs files (full export)",
                    fmt_ratio(r), "≤ 0.5×", r is not None and r <= 0.5)

    def cold_ratio(self, a, b, set_name):
        """a's steady state / b's first pass (cold), per round, median."""
        ra = self.rounds.get((a, set_name), {})
        rb = self.rounds.get((b, "first " + set_name), {})
        return median_ratio((statistics.median(ra[r]), statistics.median(rb[r]))
                            for r in ra if r in rb)

    def getent(self):
        host = read_hf(os.path.join(self.work, "hf-getent-host-*.json"))
        ns = read_hf(os.path.join(self.work, "hf-getent-full-*.json"))
        if not host and not ns:
            return
        rounds = len(glob.glob(os.path.join(self.work, "hf-getent-host-*.json")))
        self.out("## Whole process: `getent -s DB services 7474` (hyperfine)")
        self.out()
        self.out("hyperfine --shell=none, %d rounds of 20 runs alternating the commands, "
                 "times pooled; ms per run (wall clock), and the mean CPU time (user + "
                 "system). Each round runs in a mount namespace where a private "
                 "/etc/ld.so.cache lists the build's module, so getent finds it as an "
                 "installed one; both commands see the same cache and NSS_IANA_INDEX."
                 % rounds)
        self.out()
        self.out("| /etc/services | command | runs | median (p25–p75) | min | CPU |")
        self.out("|---|---|---:|---:|---:|---:|")
        rows = [("netbase (%s entries)" % self.meta.get("netbase_entries", "?"), host),
                ("full export", ns)]
        for where, data in rows:
            for cmd, t in data.items():
                s = Stat(t["times"])
                self.out("| %s | `%s` | %d | %s | %s | %s |" % (
                    where, cmd, s.n, fmt_stat(s, 1000), fmt_num(s.min * 1000),
                    fmt_num(statistics.mean(t["cpu"]) * 1000)))
        self.out()
        op = self.stat("direct", "open")
        if op:
            self.out("What a new process pays before its first iana answer, measured in "
                     "process: `iana_index_open` + `iana_index_close` of the full index "
                     "(map, check the structure, unmap): %s µs, median (p25–p75) of %d."
                     % (fmt_stat(op, 1e-3), op.n))
            self.out()
        by_round = read_hf_rounds(os.path.join(self.work, "hf-getent-host-*.json"))
        iana, files, floor = ("getent -s %s services 7474" % db
                              for db in ("iana", "files", "floor"))
        r = hf_ratio(by_round, iana, files)
        if any(floor in x for x in by_round):
            # files lives in libc.so.6; any other module is loaded first
            self.out("The floor module looks nothing up: `-s floor` against `-s files` is "
                     "what loading a module costs before any lookup, %s; `-s iana` "
                     "against `-s floor` is what the index adds, %s (medians of the "
                     "rounds' ratios)."
                     % (fmt_ratio(hf_ratio(by_round, floor, files)),
                        fmt_ratio(hf_ratio(by_round, iana, floor))))
            self.out()
        r = hf_ratio(by_round, iana, floor)
        self.target("whole-process getent -s iana vs -s floor services 7474 (netbase file)",
                    fmt_ratio(r), "≤ 1.03×", r is not None and r <= 1.03)

    def front(self):
        labels = [("f19-files", "`files`, netbase's /etc/services"),
                  ("f19-files-iana", "`files iana`"),
                  ("f19-front", "**`iana [NOTFOUND=return] files`**"),
                  ("f19-iana", "`iana` alone (the module)"),
                  ("f19-nscd", "nscd in front of `files iana`, warm")]
        if not any(l == "f19-front" for l, _ in self.samples):
            return
        cols = ["reg/name", "reg/port", "local/name", "local/port", "miss/name", "enum"]
        self.out("## In front of files: three nsswitch lines (issue 19)")
        self.out()
        self.out("One index compiled from netbase's /etc/services (%s entries) and the "
                 "registry, the local file first (%s entries); /etc/services is netbase's "
                 "file. Queries, %s per set, drawn from that index's export: `reg` the "
                 "entries whose name (or port) netbase's file lacks, `local` netbase's "
                 "own entries, `miss` names nobody has; asked with protocol NULL. ns per "
                 "call, `median (p25–p75)`; `enum`: per entry. Answers are checked against "
                 "what `files` gives on the export (on netbase's file for the `files` "
                 "line). The last column: entries enumerated / queries / misses / wrong."
                 % (self.meta.get("netbase_entries", "?"), self.meta.get("front_entries", "?"),
                    self.meta.get("sample", "?")))
        self.out()
        self.out("| nsswitch line | " + " | ".join(c if c != "enum" else "getservent"
                                                 for c in cols) + " | enumerated; checked |")
        self.out("|---|" + "---:|" * len(cols) + "---|")
        rows = labels[:4] + [labels[4]]
        for label, desc in rows:
            if not any(l == label for l, _ in self.samples):
                continue
            cells = [fmt_stat(self.stat(label, c)) for c in cols]
            self.out("| %s | %s | %s |" % (desc, " | ".join(cells), self.front_check(label)))
        cold = [self.stat("f19-nscd", "first " + c) for c in cols[:5]]
        if any(cold):
            self.out("| nscd in front of `files iana`, **cold** (first ask) | %s | – | – |"
                     % " | ".join(fmt_num(c.median) if c else "–" for c in cold))
        self.out()
        self.out("Ratios (medians of the rounds' ratios):")
        self.out()
        self.out("| ratio | " + " | ".join(cols) + " |")
        self.out("|---|" + "---:|" * len(cols))
        for a, b, desc in [("f19-front", "f19-files-iana", "front / `files iana`"),
                           ("f19-front", "f19-files", "front / `files`"),
                           ("f19-front", "f19-iana", "front / `iana` alone"),
                           ("f19-front", "f19-nscd", "front / nscd warm")]:
            self.out("| %s | %s |" % (desc, " | ".join(fmt_ratio(self.ratio(a, b, c))
                                                      for c in cols)))
        self.out()
        worst = lambda a, b, sets: max((self.ratio(a, b, x) or float("inf")) for x in sets)
        r = worst("f19-front", "f19-files-iana", ["reg/name", "reg/port"])
        self.target("`iana [NOTFOUND=return] files` / `files iana`, registry keys "
                    "(worst of name, port)", fmt_ratio(r), "≤ 0.01×", r <= 0.01)
        r = self.ratio("f19-front", "f19-files", "local/name")
        self.target("`iana [NOTFOUND=return] files` / `files`, local keys (netbase's names)",
                    fmt_ratio(r), "≤ 0.02×", r is not None and r <= 0.02)
        r = worst("f19-front", "f19-iana", ["reg/name", "reg/port", "local/name",
                                             "local/port"])
        self.target("`iana [NOTFOUND=return] files` / `iana` alone, hits (worst of "
                    "registry and local names and ports)", fmt_ratio(r), "≤ 1.1×", r <= 1.1)
        n = self.enumerated("f19-front")
        want = self.meta.get("front_entries")
        self.target("`iana [NOTFOUND=return] files` enumerates the export's entries, each once",
                    "%s of %s" % (n, want), "equal", n is not None and str(n) == want)

    def protocols(self, separate=False):
        if not any(l == "proto-iana" for l, _ in self.samples):
            return
        m = self.meta
        rounds = len({r for (l, _), v in self.rounds.items() if l == "proto-iana" for r in v})
        self.out(PROTO_HEADING)
        self.out()
        if separate:
            # the header above this section describes another run
            self.out("Measured by `BENCH_ONLY=protocols make bench` on %s: **a separate run "
                     "from the services sections above** (their run is dated at the top), "
                     "so compare within this section only." % m.get("date", "?"))
            self.out()
            self.out("- machine: %s, %s, %s CPUs; %s; glibc %s" % (
                m.get("arch", "?"), m.get("cpu", "?"), m.get("ncpu", "?"),
                m.get("kernel", "?"), m.get("glibc", "?")))
            self.out("- load average when the run started: %s" % m.get("load", "?"))
            self.out("- pinned to CPU %s; %d rounds, the backends taking turns, each round on "
                     "fresh copies of the driver, the module and the index; cells read "
                     "`median (p25–p75)` of the samples, each one batch of up to %s lookups; "
                     "ratios are medians of the rounds' ratios of medians, as above"
                     % (m.get("cpu_pin", "?"), rounds, m.get("batch", "200")))
            self.out()
        else:
            self.out("Same run as the sections above, %d rounds." % rounds)
            self.out()
        self.out("One index compiled from netbase's /etc/protocols (%s entries) and %s, "
                 "the local file first (%s records; %s entries in its export). Every "
                 "backend is asked the same sets, in file order, with getprotobyname_r or "
                 "getprotobynumber_r through `__nss_configure_lookup(\"protocols\", …)`: "
                 "`export` every name and alias, and every entry's number, of the export; "
                 "`netbase` the same of netbase's file; `miss` %s names nobody has, and "
                 "the numbers 0–255 that neither file has. Sets smaller than a batch are "
                 "asked over and over within it. ns per call; `getprotoent`: per entry of "
                 "one full pass. files is not warmed up: it reads its file again on every "
                 "call. Each answer is checked against what files gives on the file that "
                 "backend reads (the export for iana): the last column is entries "
                 "enumerated; queries / misses / wrong."
                 % (m.get("proto_netbase_entries", "?"), m.get("proto_xml", "?"),
                    m.get("proto_records", "?"), m.get("proto_entries", "?"),
                    m.get("sample", "?")))
        self.out()
        heads = []
        for c, desc in PROTO_SETS:
            n = self.proto_queries(c)
            heads.append("%s (%s)" % (desc, n) if n else desc)
        self.out("| backend | " + " | ".join(heads) + " | enumerated; checked |")
        self.out("|---|" + "---:|" * len(PROTO_SETS) + "---|")
        for label, desc in PROTO_BACKENDS:
            if not any(l == label for l, _ in self.samples):
                continue
            cells = [fmt_stat(self.stat(label, c)) for c, _ in PROTO_SETS]
            self.out("| %s | %s | %s |" % (desc, " | ".join(cells), self.front_check(label)))
        self.out()
        self.out("Ratios (medians of the rounds' ratios):")
        self.out()
        self.out("| ratio | " + " | ".join(d for _, d in PROTO_SETS) + " |")
        self.out("|---|" + "---:|" * len(PROTO_SETS))
        for a, b, desc in [("proto-iana", "proto-files-netbase", "iana / files (netbase's file)"),
                           ("proto-iana", "proto-files-export", "iana / files (the export)"),
                           ("proto-files-export", "proto-files-netbase",
                            "files: the export / netbase's file")]:
            self.out("| %s | %s |" % (desc, " | ".join(fmt_ratio(self.ratio(a, b, c))
                                                      for c, _ in PROTO_SETS)))
        self.out()
        self.out("| file | bytes | |")
        self.out("|---|---:|---|")
        for key, desc in (("proto.netbase", "netbase's /etc/protocols"),
                          ("proto.xml", "registry XML (%s)" % m.get("proto_xml", "?")),
                          ("proto.export", "export (/etc/protocols format)"),
                          ("proto.index", "index (protocols.idx)")):
            n = self.size(key)
            if n is not None:
                self.out("| %s | %d | %s |" % (desc, n, fmt_bytes(n)))
        i, e = self.size("proto.index"), self.size("proto.export")
        if i and e:
            self.out()
            # the record bodies keep each local line's source as "path:line"
            self.out("protocols.idx / its export: %s. The index keeps, for each line of "
                     "netbase's file, its source as `path:line`: its size grows with the "
                     "length of the path it was compiled from (here the source tree's)."
                     % fmt_ratio(i / e))
        self.out()

    def proto_queries(self, set_name):
        """Queries (or entries) per pass of a protocols set, from iana's checks."""
        c = self.checks.get(("proto-iana", set_name))
        runs = len(self.rounds.get(("proto-iana", "first " + set_name), {}))
        if set_name == "enum":
            return self.front_counts.get("proto-iana")
        return c[0] // runs if c and runs else None

    def enumerated(self, label):
        """Entries an enumeration gave, if every run gave the same and every
        one equals the export's entry in its place."""
        c = self.checks.get((label, "enum"))
        if c is None or c[2] or c[3]:
            return None
        return self.front_counts.get(label)

    def front_check(self, label):
        cs = [(st, v) for (l, st), v in self.checks.items() if l == label]
        if not cs:
            return "–"
        enum = [v for st, v in cs if st == "enum"]
        q = sum(v[0] for st, v in cs if st != "enum")
        miss = sum(v[2] for st, v in cs if st != "enum")
        wrong = sum(v[3] for st, v in cs if st != "enum")
        if label in ("f19-front", "f19-iana", "f19-nscd", "f19-files-iana", "f19-files",
                     "proto-iana") \
                and (miss or wrong):
            self.failed_checks.append("%s: %d misses, %d wrong" % (label, miss, wrong))
        got = "%s" % self.front_counts.get(label, "–") if enum else "–"
        return "%s; %d / %d / %d" % (got, q, miss, wrong)

    def compile(self):
        data = read_hf(os.path.join(self.work, "hf-compile-*.json"))
        self.out("## Compiling the registry")
        self.out()
        self.out("hyperfine --shell=none, rounds alternating the commands, times pooled (ms).")
        self.out()
        self.out("| what | runs | median (p25–p75) | min |")
        self.out("|---|---:|---:|---:|")
        for cmd, t in data.items():
            s = Stat(t["times"])
            self.out("| %s | %d | %s | %s |" % (cmd, s.n, fmt_stat(s, 1000), fmt_num(s.min * 1000)))
        if self.meta.get("xml") != "yes":
            self.out("| XML | – | %s | – |" % self.meta.get("xml", "not available"))
        self.out()
        self.out("| file | bytes | |")
        self.out("|---|---:|---|")
        for key, desc in (("csv", "registry CSV"), ("xml", "registry XML"),
                          ("export", "export (/etc/services format)"),
                          ("index", "index (services.idx)"),
                          ("services.db", "services.db (libnss-db recipe)")):
            n = self.size(key)
            if n is not None:
                self.out("| %s | %d | %s |" % (desc, n, fmt_bytes(n)))
        self.out()
        secs = index_sections(os.path.join(self.work, "full.idx"))
        if secs:
            total = self.size("index") or 1
            self.out("Where the index's bytes go (%s entries, %s records):" % (
                self.meta.get("entries", "?"), self.meta.get("records", "?")))
            self.out()
            self.out("| section | bytes | share | elements | bytes per element |")
            self.out("|---|---:|---:|---:|---:|")
            for name, size, n in secs:
                self.out("| %s | %d | %.1f%% | %s | %s |" % (
                    name, size, 100.0 * size / total, n or "", "%.1f" % (size / n) if n else ""))
            self.out()

        r = hf_ratio(read_hf_rounds(os.path.join(self.work, "hf-compile-*.json")),
                     "compile CSV", "libnss-db recipe")
        self.target("compile the full CSV vs libnss-db's recipe on the export",
                    fmt_ratio(r), "≤ 0.5×", r is not None and r <= 0.5)
        i, s = self.size("index"), self.size("services.db")
        r = i / s if i and s else None
        self.target("index size vs services.db", fmt_ratio(r), "≤ 0.33× (1/3)",
                    r is not None and r <= 1 / 3)

    def scaling(self):
        scales = [k for k in self.meta.get("scales", "").split() if k]
        if not scales:
            return
        self.out("## Scaling: synthetic registries (bench/gen-registry.py)")
        self.out()
        self.out("Same generator and seed at every size; names distinct, ports spread over "
                 "tcp, udp, sctp and dccp; the sizes take turns in every measurement. "
                 "Lookups: ns per call in the steady state, %s sampled queries per set, "
                 "repeated: the working set is the part of the index those queries "
                 "touch, which at 16× is spread over many more pages. `open`: "
                 "iana_index_open + close, µs. `first`: the checking pass, direct name/any, "
                 "ns per lookup and comparison." % self.meta.get("sample", "?"))
        self.out()
        self.out("| scale | records | entries | CSV | index | services.db | index / db | "
                 "compile ms | open µs | iana name/any | iana port/any | direct name/any | "
                 "direct port/any | first | checked q / miss / wrong |")
        self.out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        comp = read_hf(os.path.join(self.work, "hf-scale-*.json"))
        records = {}
        for k in scales:
            t = comp.get("compile %sx" % k)
            cs = Stat(t["times"]) if t else None
            idx = self.size("scale%s.index" % k)
            db = self.size("scale%s.services.db" % k)
            records[k] = int(self.meta.get("scale%s.records" % k, "0") or 0)
            cells = [fmt_stat(self.stat("scale%s-%s" % (k, who), s))
                     for who in ("iana", "direct") for s in ("name/any", "port/any")]
            first = self.stat("scale%s-direct" % k, "first name/any")
            cells.append(fmt_num(first.median) if first else "–")
            chk = [self.check_cell("scale%s-%s" % (k, w)) for w in ("iana", "direct")]
            self.out("| %s× | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                k, self.meta.get("scale%s.records" % k, "?"),
                self.meta.get("scale%s.entries" % k, "?"),
                fmt_bytes(self.size("scale%s.csv" % k)), fmt_bytes(idx), fmt_bytes(db),
                fmt_ratio(idx / db) if idx and db else "–",
                fmt_stat(cs, 1000), fmt_stat(self.stat("scale%s-direct" % k, "open"), 1e-3),
                " | ".join(cells), "; ".join(chk)))
        self.out()
        lo, hi = scales[0], scales[-1]
        if lo == hi:
            return
        worst, which = 0.0, ""
        for who in ("iana", "direct"):
            for s in ("name/any", "port/any"):
                r = self.ratio("scale%s-%s" % (hi, who), "scale%s-%s" % (lo, who), s)
                if r and r > worst:
                    worst, which = r, "%s %s" % (who, s)
        self.target("%s× registry lookup vs %s× (worst of iana/direct by name/port; %s)"
                    % (hi, lo, which), fmt_ratio(worst), "≤ 1.2×", worst <= 1.2)
        ok, parts = True, []
        comp_rounds = read_hf_rounds(os.path.join(self.work, "hf-scale-*.json"))
        for k in scales[1:]:
            t = hf_ratio(comp_rounds, "compile %sx" % k, "compile %sx" % lo)
            rn = records[k] / records[lo] if records[lo] else None
            if t and rn:
                parts.append("%s×: time %.2f× for %.2f× records" % (k, t, rn))
                ok = ok and t <= rn
        self.target("compile time growth %s× → %s×" % (lo, hi), "; ".join(parts),
                    "≤ linear", ok if parts else None)

    def summary(self):
        self.out("## Targets (issues 6, 15 and 19)")
        self.out()
        self.out("| target | measured | limit | result |")
        self.out("|---|---:|---:|:---:|")
        if self.failed_checks:
            self.target("every iana / direct answer equals files' on the export",
                        "; ".join(self.failed_checks), "0 wrong, 0 misses", False)
        else:
            self.target("every iana / direct answer equals files' on the export",
                        "0 misses, 0 wrong", "0 wrong, 0 misses", True)
        for what, measured, limit, res, _ in self.targets:
            self.out("| %s | %s | %s | **%s** |" % (what, measured, limit, res))
        self.out()

    def run(self, output):
        self.header()
        body_start = len(self.lines)
        self.lookups()
        self.getent()
        self.front()
        self.protocols()
        self.compile()
        self.scaling()
        body = self.lines[body_start:]
        self.lines = self.lines[:body_start]
        # Checks are counted while the tables are made; the summary goes first.
        summary_lines = []
        saved = self.lines
        self.lines = summary_lines
        self.summary()
        self.lines = saved + summary_lines + body
        text = "\n".join(self.lines).rstrip() + "\n"
        with open(output + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(output + ".tmp", output)
        sys.stdout.write(text)
        return 1 if any(t[3] == "FAIL" for t in self.targets) else 0

    def run_protocols(self, output):
        """The protocols section alone, in place of the one in output (up to
        the next section), or at its end: the rest is another run's."""
        self.protocols(separate=True)
        if not self.lines:
            sys.stderr.write("report.py: no protocols measurements\n")
            return 2
        section = "\n".join(self.lines).rstrip() + "\n"
        old = ""
        if os.path.exists(output):
            with open(output, encoding="utf-8") as f:
                old = f.read()
        lines = old.splitlines(keepends=True)
        start = next((i for i, l in enumerate(lines) if l.rstrip("\n") == PROTO_HEADING), None)
        if start is None:
            text = (old.rstrip() + "\n\n" if old.strip() else "") + section
        else:
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i].startswith("## ")), len(lines))
            rest = "".join(lines[end:])
            text = "".join(lines[:start]) + section + ("\n" + rest if rest else "")
        with open(output + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(output + ".tmp", output)
        sys.stdout.write(section)
        # check_cell's rule: an iana answer that differs from files' fails
        if self.failed_checks:
            sys.stderr.write("report.py: wrong answers: %s\n" % "; ".join(self.failed_checks))
            return 1
        return 0


def main():
    args = sys.argv[1:]
    only = None
    if args[:1] == ["--only"] and len(args) >= 2:
        only, args = args[1], args[2:]
    if len(args) != 2 or only not in (None, "protocols"):
        sys.stderr.write("usage: report.py [--only protocols] WORKDIR OUTPUT.md\n")
        return 2
    if not os.path.exists(os.path.join(args[0], "raw.tsv")):
        sys.stderr.write("report.py: %s/raw.tsv: no measurements\n" % args[0])
        return 2
    report = Report(args[0])
    return report.run_protocols(args[1]) if only else report.run(args[1])


if __name__ == "__main__":
    sys.exit(main())
