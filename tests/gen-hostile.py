#!/usr/bin/env python3
# gen-hostile.py: hostile index files of the current format (4), for
# tests/hostile.sh (issue 20). SPDX-License-Identifier: LGPL-2.1-or-later
#
#   gen-hostile.py cases BASE.idx OUTDIR   every case, and OUTDIR/MANIFEST
#   gen-hostile.py page BASE.idx OUT.idx   STRINGS last, ending at a page
#                                          boundary with port 80's names
#   gen-hostile.py strings FILE.idx        "offset size" of STRINGS
#   gen-hostile.py resum FILE.idx          recompute the checksum in place
#
# BASE is an index the current tool compiled from tests/hostile.sh's
# services file. Each case is BASE taken apart (header, section table,
# sections), changed, laid out again and given a valid checksum, so that
# what refuses it is the structure check and not the checksum (except where
# the checksum is what the case is about). The layout follows
# src/core/index-format.h; nss-iana-index(5) says the same in prose.
#
# MANIFEST: one line per case, fields separated by '|':
#   NAME|FILE|CHECK|EXPECT...
# CHECK is the exit status `iana-services check` must give, then ':' and
# an extended regular expression its output must match. Each EXPECT is
# QUERY=OUTCOME for tests/hostile-lookup.c:
#   QUERY   n:NAME:PROTO  getservbyname_r   p:PORT:PROTO  getservbyport_r
#           e             getservent_r until the end (OUTCOME: the count,
#                         and /UNAVAIL when the last call was not the end)
#   OUTCOME UNAVAIL, NOTFOUND, FOUND (any well-formed answer), FOUND:NAME,
#           ANY (anything well-formed), or a number for e
# A case lists the queries whose outcome it decides; hostile.sh asks every
# case the same queries and the others must be ANY.
import os
import struct
import sys

MAGIC = b"IANAsvc\n"
VERSION = 4
BYTE_ORDER = 0x01020304
HDR = struct.Struct("<8sIIIIQQIIIIII")      # struct idx_header, 64 bytes
SEC = struct.Struct("<IIII")                # struct idx_section
ENTRY = struct.Struct("<IHHBBBB")           # struct idx_entry, 12 bytes
SLOT = struct.Struct("<II")                 # name and port slots
PROTO = struct.Struct("<II")                # struct idx_proto
WATCH = struct.Struct("<IIQQQqII")          # struct idx_watch, 48 bytes
RECORD = struct.Struct("<IIHHBBH")          # struct idx_record, 16 bytes
PERSON = struct.Struct("<IIIII")
(STRINGS, ENTRIES, NAMES, VARIANTS, PORTS, RECORDS, BODIES, PEOPLE, META, PROTOS,
 WATCHS) = range(1, 12)
MAX_NAME, MAX_ALIASES, MAX_PROBE, MAX_TWINS = 255, 64, 64, 4
MAX_NAMES_SIZE = (MAX_ALIASES + 1) * (MAX_NAME + 1)
SLOT_EMPTY = 0xFFFFFFFF
M32, M64 = (1 << 32) - 1, (1 << 64) - 1
assert HDR.size == 64 and ENTRY.size == 12 and WATCH.size == 48 and RECORD.size == 16

# ---- the hashes of index-format.h ----
HASH_MUL = 0x9E3779B97F4A7C15


def fold8(w):
    ones = 0x0101010101010101
    high = ones << 7
    low7 = w & ~high & M64
    ge_a = (low7 + ones * (0x80 - ord("A"))) & M64
    gt_z = (low7 + ones * (0x80 - ord("Z") - 1)) & M64
    return w | ((ge_a & ~gt_z & ~w & high & M64) >> 2)


def word(s, n):
    if n >= 8:
        return int.from_bytes(s[:8], "little")
    if n >= 4:
        return int.from_bytes(s[n - 4:n], "little") << 32 | int.from_bytes(s[:4], "little")
    return s[0] | s[n // 2] << 8 | s[n - 1] << 16 if n else 0


def hash_name(s, seed, fold):
    n = len(s)
    h = ((seed << 32 ^ n) * HASH_MUL) & M64
    at = 0
    while True:
        w = word(s[at:], n - at)
        h = ((h ^ (fold8(w) if fold else w)) * HASH_MUL) & M64
        at += 8
        if at < n and n - at < 8:
            at = n - 8
        if at >= n:
            break
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M64
    return (h ^ h >> 33) & M32


def mix(h):
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    return h ^ h >> 13


def name_start(h, proto):
    return mix((h + proto * 0x9E3779B1) & M32)


def port_key(port, proto):
    return 0x80000000 | proto << 16 | port


def hash_port(key):
    return mix((key * 0x9E3779B1) & M32)


def checksum(buf):
    """FNV-1a over little-endian 64-bit words, the checksum field as zero."""
    data = bytes(buf) + b"\0" * (-len(buf) % 8)
    words = list(struct.unpack("<%dQ" % (len(data) // 8), data))
    words[4] = 0                      # offsetof(struct idx_header, checksum) / 8
    h = 14695981039346656037
    for w in words:
        h = ((h ^ w) * 1099511628211) & M64
    return h ^ h >> 32


# ---- an index taken apart ----
class Index:
    def __init__(self, data):
        f = HDR.unpack_from(data, 0)
        self.h = dict(zip(("magic", "version", "byte_order", "header_size", "section_count",
                           "file_size", "checksum", "entry_count", "record_count",
                           "hash_seed", "database", "max_probe", "reserved"), f))
        at = {}
        self.sec = {}                 # id -> [bytearray, count]
        for i in range(self.h["section_count"]):
            sid, off, size, count = SEC.unpack_from(data, HDR.size + i * SEC.size)
            at[sid] = off
            self.sec[sid] = [bytearray(data[off:off + size]), count]
        self.order = sorted(at, key=at.get)   # section ids in file order
        self.seed = self.h["hash_seed"]

    def copy(self):
        c = Index.__new__(Index)
        c.h = dict(self.h)
        c.order = list(self.order)
        c.sec = {k: [bytearray(v[0]), v[1]] for k, v in self.sec.items()}
        c.seed = self.seed
        return c

    # sections as lists of tuples
    def get(self, sid, st):
        b = self.sec[sid][0]
        return [list(st.unpack_from(b, i)) for i in range(0, len(b), st.size)]

    def put(self, sid, st, rows, count=None):
        self.sec[sid] = [bytearray(b"".join(st.pack(*r) for r in rows)),
                         len(rows) if count is None else count]

    def strings(self):
        return self.sec[STRINGS][0]

    def add_string(self, s, before_final_nul=True):
        """Appends s and a NUL to STRINGS (before its final NUL); its offset."""
        b = self.strings()
        at = len(b) - 1 if before_final_nul else len(b)
        b[at:at] = s + b"\0"
        self.sec[STRINGS][1] = len(b)
        return at

    def entry_names(self, e):
        x = self.get(ENTRIES, ENTRY)[e]
        return bytes(self.strings()[x[0]:x[0] + x[1]])

    def entry_of(self, name, proto_code=None):
        for i, x in enumerate(self.get(ENTRIES, ENTRY)):
            if self.entry_names(i).split(b"\0")[0] == name and (proto_code is None or
                                                                x[3] == proto_code):
                return i
        raise KeyError(name)

    def set_entry(self, e, **kw):
        rows = self.get(ENTRIES, ENTRY)
        for k, v in kw.items():
            rows[e][("names", "names_size", "port", "proto", "alias_count", "name_len",
                     "reserved").index(k)] = v
        self.put(ENTRIES, ENTRY, rows, self.sec[ENTRIES][1])

    def build(self, pad=None, table=None, header=None, resum=True):
        """The file: header, section table, the sections in self.order each
        on an 8-byte boundary; pad(sid, offset) may add bytes before a
        section. table(rows) and header(dict) change what is written after
        layout; the checksum is computed last."""
        n = len(self.order)
        hs = HDR.size + n * SEC.size
        out = bytearray(hs)
        rows = []
        for sid in self.order:
            out += b"\0" * (-len(out) % 8)
            if pad:
                out += b"\0" * pad(sid, len(out))
            data, count = self.sec[sid]
            rows.append([sid, len(out), len(data), count])
            out += data
        h = dict(self.h, header_size=hs, section_count=n, file_size=len(out), checksum=0)
        if table:
            table(rows)
        if header:
            header(h)
        for i, r in enumerate(rows):
            SEC.pack_into(out, HDR.size + i * SEC.size, *(x & M32 for x in r))
        HDR.pack_into(out, 0, *(h[k] for k in (
            "magic", "version", "byte_order", "header_size", "section_count", "file_size",
            "checksum", "entry_count", "record_count", "hash_seed", "database",
            "max_probe", "reserved")))
        if resum:
            struct.pack_into("<Q", out, 32, checksum(out))
        return bytes(out)


def resum(path):
    with open(path, "r+b") as f:
        b = bytearray(f.read())
        struct.pack_into("<Q", b, 32, checksum(b))
        f.seek(0)
        f.write(b)


def strings_of(path):
    b = open(path, "rb").read()
    h = HDR.unpack_from(b, 0)
    for i in range(h[4]):
        sid, off, size, _ = SEC.unpack_from(b, HDR.size + i * SEC.size)
        if sid == STRINGS:
            return off, size
    raise SystemExit("no STRINGS")


# ---- the cases ----
QUERIES = ("n:http:tcp", "n:www:", "n:HTTP:udp", "p:80:tcp", "p:22:", "n:ssh:", "n:nosuch:",
           "p:7000:ddp", "e")
# What the base index answers (tests/hostile.sh's services file).
GOOD = {"n:http:tcp": "FOUND:http", "n:www:": "FOUND:http", "n:HTTP:udp": "FOUND:http",
        "p:80:tcp": "FOUND:http", "p:22:": "FOUND:ssh", "n:ssh:": "FOUND:ssh",
        "n:nosuch:": "NOTFOUND",
        "p:7000:ddp": "FOUND:myproto", "e": "6"}
# Refused when the file is opened: every query UNAVAIL, no entry enumerated.
REFUSED = dict({q: "UNAVAIL" for q in QUERIES}, e="0/UNAVAIL")
BAD = "1:invalid index structure"
OK_CHECK = "0:ok, "


def good(**kw):
    d = dict(GOOD)
    d.update({k.replace("_", ":"): v for k, v in kw.items()})
    return d


def q(**kw):
    """Outcomes for the queries given, e.g. q(**{"n:http:tcp": "UNAVAIL"})."""
    return kw


def cases(base):
    B = Index(base)
    seed = B.seed
    H = lambda s: hash_name(s, seed, 1)
    http = B.entry_of(b"http", 1)
    ssh = B.entry_of(b"ssh")
    strings_size = len(B.strings())
    out = []

    def add(name, data, check, expect):
        out.append((name, data, check, expect))

    def header(name, check=BAD, expect=REFUSED, **fields):
        add(name, B.build(header=lambda h: h.update(fields)), check, expect)

    def table(name, fn, check=BAD, expect=REFUSED, idx=None):
        def t(rows):
            fn({r[0]: r for r in rows}, rows)
        add(name, (idx or B).build(table=t), check, expect)

    def variant(name, fn, check, expect, **build):
        x = B.copy()
        fn(x)
        add(name, x.build(**build), check, expect)

    # the control: laid out again by this script, byte for byte the tool's
    assert B.build() == base, "gen-hostile.py no longer lays out what the tool writes"
    add("control", base, OK_CHECK, GOOD)

    # -- the header, checked on open: every query UNAVAIL --
    header("magic", magic=b"IANAsvc\r")
    header("version-2", version=2)
    header("version-3", version=3)
    header("version-5", version=5)
    header("byte-order", byte_order=0x04030201)
    header("header-size", header_size=B.h["header_size"] + 16)
    header("section-count-65", section_count=65)
    header("file-size", file_size=len(base) + 8)
    header("header-reserved", reserved=1)
    header("database-0", database=0)
    # a sound index of the other database (SPEC 9, P5): `check` takes it,
    # the services lookups refuse it
    header("database-protocols", check="0:ok, protocols database", database=2)
    header("database-3", database=3)
    header("max-probe-0", max_probe=0)
    header("max-probe-65", max_probe=MAX_PROBE + 1)
    header("max-probe-huge", max_probe=M32)
    header("entry-count-2^24", entry_count=1 << 24)
    header("entry-count-wrong", entry_count=B.h["entry_count"] - 1)
    header("record-count-wrong", record_count=B.h["record_count"] + 1)
    add("empty-file", b"", BAD, REFUSED)
    add("header-cut", base[:63], BAD, REFUSED)
    add("sections-cut", base[:B.h["header_size"] - 1], BAD, REFUSED)
    # readers do not checksum on open (SPEC 5): they answer; check refuses
    add("checksum", B.build(resum=False), "1:checksum mismatch", GOOD)

    # -- the section table, checked on open --
    def drop(sid):
        return lambda x: x.order.remove(sid)
    variant("no-strings", drop(STRINGS), BAD, REFUSED)
    variant("no-watch", drop(WATCHS), BAD, REFUSED)
    variant("no-ports", drop(PORTS), BAD, REFUSED)

    def unknown(x):
        x.sec[99] = [bytearray(8), 1]
        x.order.insert(3, 99)
    # a reader skips ids it does not know (nss-iana-index(5))
    variant("unknown-section", unknown, OK_CHECK, GOOD)

    def setrow(sid, **kw):
        def fn(by, rows):
            r = by[sid]
            for k, v in kw.items():
                r[("id", "offset", "size", "count").index(k)] = v
        return fn
    size = len(base)
    table("offset-past-end", setrow(ENTRIES, offset=size + 8))
    table("offset-at-end", setrow(META, offset=size))
    table("offset-near-2^32", setrow(ENTRIES, offset=0xFFFFFFF8))
    table("size-wraps", setrow(STRINGS, size=0xFFFFFFF8, count=0xFFFFFFF8))
    table("size-past-end", setrow(RECORDS, size=size, count=size // 16))
    table("offset-misaligned", lambda by, rows: by[STRINGS].__setitem__(1, by[STRINGS][1] + 4))
    table("overlaps-header", setrow(ENTRIES, offset=0))
    table("overlaps-section-table", setrow(ENTRIES, offset=64))
    # Sections overlapping each other lie inside the file: open accepts
    # them, and every read stays inside the section it is made for. ENTRIES
    # read from STRINGS are garbage: lookups give UNAVAIL or a wrong but
    # well-formed answer, and check refuses the file.
    table("entries-over-strings",
          lambda by, rows: by[ENTRIES].__setitem__(1, by[STRINGS][1]), BAD,
          {q: "ANY" for q in QUERIES})
    # VARIANTS laid over NAMES: for names that are all lower case both tables
    # hold the same hashes, so the answers are right and check passes: the
    # format does not forbid two sections sharing bytes.
    table("variants-over-names",
          lambda by, rows: by[VARIANTS].__setitem__(slice(1, 4), by[NAMES][1:4]), OK_CHECK,
          GOOD)
    # counts that wrap 32 bits when multiplied by the element size
    table("count-wraps-ports", setrow(PORTS, count=1 << 29))
    table("count-wraps-people", setrow(PEOPLE, count=1 << 30))
    add("count-wraps-entries", B.build(
        table=setrow_rows(ENTRIES, count=B.h["entry_count"] + (1 << 30)),
        header=lambda h: h.update(entry_count=B.h["entry_count"] + (1 << 30))), BAD, REFUSED)
    add("count-wraps-records", B.build(
        table=setrow_rows(RECORDS, count=B.h["record_count"] + (1 << 28)),
        header=lambda h: h.update(record_count=B.h["record_count"] + (1 << 28))), BAD,
        REFUSED)

    def names_count(n):
        def fn(x):
            x.sec[NAMES] = [x.sec[NAMES][0][:n * 8], n]
        return fn
    variant("names-not-power-of-2", names_count(12), BAD, REFUSED)
    variant("names-empty-table", names_count(0), BAD, REFUSED)

    def strings_byte(i, v):
        def fn(x):
            x.strings()[i] = v
        return fn
    variant("strings-first-not-nul", strings_byte(0, ord("x")), BAD, REFUSED)
    variant("strings-last-not-nul", strings_byte(-1, ord("x")), BAD, REFUSED)
    variant("strings-empty", lambda x: x.sec.__setitem__(STRINGS, [bytearray(), 0]), BAD,
            REFUSED)
    variant("meta-count-2", lambda x: x.sec.__setitem__(META, [x.sec[META][0] * 2, 2]), BAD,
            REFUSED)

    # -- protocols, checked on open --
    def protos(fn):
        def f(x):
            rows = x.get(PROTOS, PROTO)
            fn(x, rows)
            x.put(PROTOS, PROTO, rows)
        return f
    variant("protos-256", protos(lambda x, r: r.extend([r[0]] * (256 - len(r)))), BAD, REFUSED)
    variant("proto-name-out-of-range", protos(lambda x, r: r[0].__setitem__(0, strings_size + 64)),
            BAD, REFUSED)
    variant("proto-len-wraps", protos(lambda x, r: r.__setitem__(0, [1, M32])), BAD, REFUSED)
    variant("proto-len-past-strings", protos(lambda x, r: r.__setitem__(0, [r[0][0], 1 << 20])),
            BAD, REFUSED)
    variant("proto-name-newline",
            protos(lambda x, r: r.__setitem__(0, [x.add_string(b"tc\np"), 4])), BAD, REFUSED)
    variant("proto-name-256",
            protos(lambda x, r: r.__setitem__(0, [x.add_string(b"t" * 256), 256])), BAD, REFUSED)
    variant("proto-len-no-nul",
            protos(lambda x, r: r.__setitem__(0, [x.add_string(b"tcpx"), 3])), BAD, REFUSED)

    # -- watched files, checked on open --
    def watch(path, flags=0, count=1, reserved=0):
        def f(x):
            off = x.add_string(path) if isinstance(path, bytes) else path
            x.put(WATCHS, WATCH, [[off, flags, 0, 0, 0, 0, 0, reserved]] * count)
        return f
    variant("watch-relative", watch(b"relative/services"), BAD, REFUSED)
    variant("watch-empty-path", watch(0), BAD, REFUSED)
    variant("watch-path-out-of-range", watch(strings_size + 100), BAD, REFUSED)
    variant("watch-unterminated", watch(b"/" + b"a" * 5000), BAD, REFUSED)
    variant("watch-flags", watch(b"/nonexistent/nss-iana-hostile", flags=2), BAD, REFUSED)
    variant("watch-reserved", watch(b"/nonexistent/nss-iana-hostile", flags=1, reserved=1),
            BAD, REFUSED)
    variant("watch-count-65", watch(b"/nonexistent/nss-iana-hostile", flags=1, count=65), BAD,
            REFUSED)
    # well-formed: absent and still absent answers; "/" is not the file
    # recorded, so the index is stale (UNAVAIL, check says so)
    variant("watch-absent", watch(b"/nonexistent/nss-iana-hostile", flags=1), OK_CHECK, GOOD)
    variant("watch-stale", watch(b"/"), "1:stale: / has changed", REFUSED)

    # -- entries and slots, checked where a lookup reads them --
    def slot_value(table_id, hash_, proto, value):
        def f(x):
            rows = x.get(table_id, SLOT)
            hits = [r for r in rows if r[0] == hash_ and (r[1] & 0xFF) == proto]
            assert hits, "no such slot"
            hits[0][1] = value
            x.put(table_id, SLOT, rows)
        return f
    n = B.h["entry_count"]
    variant("name-slot-entry-out-of-range", slot_value(NAMES, H(b"http"), 0, n << 8), BAD,
            good(**{"n:http:tcp": "UNAVAIL", "n:HTTP:udp": "UNAVAIL"}))

    def port_entry(port, proto, entry):
        def f(x):
            rows = x.get(PORTS, SLOT)
            [r for r in rows if r[0] == port_key(port, proto)][0][1] = entry
            x.put(PORTS, SLOT, rows)
        return f
    variant("port-slot-entry-out-of-range", port_entry(80, 0, n), BAD,
            good(**{"p:80:tcp": "UNAVAIL"}))
    variant("port-slot-entry-huge", port_entry(80, 0, M32), BAD, good(**{"p:80:tcp": "UNAVAIL"}))

    def entry(e, **kw):
        return lambda x: x.set_entry(e, **kw)
    variant("entry-proto-0", entry(ssh, proto=0), BAD,
            good(**{"p:22:": "UNAVAIL", "n:ssh:": "UNAVAIL", "e": "%d/UNAVAIL" % ssh}))
    variant("entry-proto-out-of-range", entry(ssh, proto=9), BAD,
            good(**{"p:22:": "UNAVAIL", "n:ssh:": "UNAVAIL", "e": "%d/UNAVAIL" % ssh}))
    # entry_has() does not read the reserved byte, nor does servent: the
    # answers stand, check refuses
    variant("entry-reserved", entry(ssh, reserved=1), BAD, GOOD)
    # Entry 0 (http/tcp: http www www-http) damaged. A lookup reads an
    # entry's names only as far as it needs to, each read inside the block
    # and the block inside STRINGS; the answer copies the block and checks
    # all of it (names_check). So: a block out of bounds is UNAVAIL for
    # every query that reaches it; a block in bounds but malformed gives
    # UNAVAIL where it is copied as an answer, and where only compared, the
    # answer its bytes give: a name that is not there is NOTFOUND (a hash
    # match with another name is what a hash collision looks like too), and
    # "HTTP/udp" still finds entry 1 when entry 0 only differs in case.
    # Enumeration stops at entry 0 with UNAVAIL.
    def unavail(**kw):
        d = {"n:http:tcp": "UNAVAIL", "n:www:": "UNAVAIL", "n:HTTP:udp": "UNAVAIL",
             "p:80:tcp": "UNAVAIL", "e": "%d/UNAVAIL" % http}
        d.update({k: v for k, v in kw.items()})
        return good(**d)
    # issue 20 finding 2: names that run past STRINGS
    variant("names-past-strings", entry(http, names=strings_size - 4), BAD, unavail())
    variant("names-offset-huge", entry(http, names=0xFFFFFFF0), BAD, unavail())
    variant("names-size-past-strings", entry(http, names_size=strings_size), BAD, unavail())

    def block(names, name_len=None, alias_count=None):
        def f(x):
            off = x.add_string(names[:-1])
            x.set_entry(http, names=off, names_size=len(names),
                        name_len=len(names.split(b"\0")[0]) if name_len is None else name_len,
                        alias_count=names.count(b"\0") - 1 if alias_count is None
                        else alias_count)
        return f
    found_udp = {"n:HTTP:udp": "FOUND:http"}
    # A block that starts at the end of STRINGS and goes on into the next
    # section, whose bytes would make a well-formed answer: "http", then
    # the pool's final NUL, then "evil" from section 99. Read past its
    # section, it would be answered.
    def cross(x):
        b = x.strings()
        b[-1:] = b"\0" * (-(len(b) - 1 + 5) % 8) + b"http\0"
        x.sec[STRINGS][1] = len(b)
        x.set_entry(http, names=len(b) - 5, names_size=10, name_len=4, alias_count=1)
        x.sec[99] = [bytearray(b"evil\0\0\0\0"), 8]
        x.order.insert(x.order.index(STRINGS) + 1, 99)
    variant("names-cross-section", cross, BAD, unavail())
    # the name's NUL overwritten: the block no longer splits as it says
    variant("name-no-nul", block(b"httpxwww\0www-http\0", name_len=4, alias_count=2), BAD,
            unavail(**found_udp))
    # name_len wrong: "http" is not where the entry says its name is
    lost = {"n:http:tcp": "NOTFOUND", "n:HTTP:udp": "NOTFOUND"}
    variant("name-len-short", block(b"http\0www\0www-http\0", name_len=3), BAD, unavail(**lost))
    # a name of 0 bytes breaks the limits: the entry is corrupt, by name as by port
    variant("name-len-0", block(b"http\0www\0www-http\0", name_len=0), BAD, unavail())
    variant("alias-count-short", block(b"http\0www\0www-http\0", alias_count=1), BAD,
            unavail(**found_udp))
    # issue 20 finding 4: beyond the limits, and bytes a services(5) line
    # cannot hold. The limits make an answer need at most about 17 KiB of
    # buffer (names_size is 16 bits and at most 16,640), so a lookup cannot
    # make glibc grow its buffer to hundreds of MiB: hostile-lookup fails
    # any answer that needs more than 64 KiB.
    variant("names-size-over-limit",
            block(b"http\0" + b"a" * (MAX_NAMES_SIZE - 5) + b"\0"), BAD, unavail())
    variant("names-size-65535", block(b"http\0" + b"a" * 65529 + b"\0"), BAD, unavail())
    # "www" is gone from entry 0: NOTFOUND
    no_www = {"n:www:": "NOTFOUND"}
    variant("alias-256-bytes", block(b"http\0" + b"w" * 256 + b"\0"), BAD,
            unavail(**no_www, **found_udp))
    # a name_len of 256 does not fit its byte: 0, a corrupt entry as above
    variant("name-256-bytes", block(b"h" * 256 + b"\0www\0", name_len=0), BAD, unavail())
    many = b"http\0" + b"".join(b"a%d\0" % i for i in range(MAX_ALIASES + 1))
    variant("aliases-65", block(many), BAD, unavail())
    # within the limits the answer is whole (64 aliases of 255 bytes, 16 KiB);
    # check refuses the file only because the "www" slot's entry lost "www"
    limit = b"http\0" + b"".join(b"%03d" % i + b"b" * 252 + b"\0" for i in range(MAX_ALIASES))
    variant("aliases-64-of-255", block(limit), BAD, good(**no_www))
    for what, byte in (("newline", b"\n"), ("control", b"\x01"), ("space", b" "),
                       ("del", b"\x7f"), ("tab", b"\t")):
        # the name with the bad byte matches no query; its aliases lead to it
        variant("name-" + what, block(b"ht" + byte + b"tp\0www\0www-http\0"), BAD,
                unavail(**lost))
        variant("alias-" + what, block(b"http\0w" + byte + b"w\0www-http\0"), BAD,
                unavail(**no_www, **found_udp))

    # -- tables: no empty slot, bounded probes (issue 20 finding 1) --
    def fill(table_id, slots, value, max_probe=MAX_PROBE):
        def f(x):
            x.sec[table_id] = [bytearray(b"".join(SLOT.pack(*value(i)) for i in range(slots))),
                               slots]
            x.h["max_probe"] = max_probe
        return f
    # every slot taken by a key that is no query's: a probe stops at max_probe
    variant("names-full", fill(NAMES, 64, lambda i: (i * 2654435761 & M32, http << 8)), BAD,
            good(**{"n:http:tcp": "NOTFOUND", "n:www:": "NOTFOUND", "n:HTTP:udp": "NOTFOUND",
                    "n:ssh:": "NOTFOUND", "n:nosuch:": "NOTFOUND"}))
    variant("ports-full", fill(PORTS, 64, lambda i: (port_key(10000 + i, 0), http)), BAD,
            good(**{"p:80:tcp": "NOTFOUND", "p:22:": "NOTFOUND", "p:7000:ddp": "NOTFOUND"}))

    # 2^17 slots, every one hash("http") for any protocol, all pointing at
    # one entry: the 2.1 s lookup of 5219d3f. Now the first such slot is the
    # only candidate and one entry's names (at most 16,640 bytes) are read.
    big = 1 << 17

    def http_slots(proto, names):
        def f(x):
            fill(NAMES, big, lambda i: (H(b"http"), http << 8 | proto))(x)
            block(names)(x)
        return f
    long_names = b"".join(b"h" * 255 + b"\0" for _ in range(MAX_ALIASES + 1))
    variant("slots-all-http-long-names", http_slots(0, long_names), BAD,
            good(**{"n:http:tcp": "NOTFOUND", "n:www:": "NOTFOUND", "n:HTTP:udp": "NOTFOUND",
                    "n:ssh:": "NOTFOUND", "p:80:tcp": "FOUND:" + "h" * 255}))

    def unterminated(x):
        http_slots(0, b"http\0")(x)
        off = x.add_string(b"h" * (1 << 20))
        x.set_entry(http, names=off, names_size=MAX_NAMES_SIZE, alias_count=MAX_ALIASES,
                    name_len=255)
    variant("slots-all-http-unterminated", unterminated, BAD,
            good(**{"n:http:tcp": "UNAVAIL", "n:www:": "NOTFOUND", "n:HTTP:udp": "UNAVAIL",
                    "n:ssh:": "NOTFOUND", "p:80:tcp": "UNAVAIL", "e": "%d/UNAVAIL" % http}))
    variant("slots-all-http-other-proto", http_slots(7, b"http\0www\0www-http\0"), BAD,
            good(**{"n:http:tcp": "NOTFOUND", "n:www:": "NOTFOUND", "n:HTTP:udp": "NOTFOUND",
                    "n:ssh:": "NOTFOUND"}))

    def http_twins(*entries):
        """Slots with http's hash and protocol code 0 after http's own, one
        for each entry given, at the next empty slots."""
        def f(x):
            rows = x.get(NAMES, SLOT)
            j = [k for k, r in enumerate(rows) if r[0] == H(b"http") and r[1] == http << 8][0]
            for e in entries:
                j = (j + 1) % len(rows)
                while rows[j][1] != SLOT_EMPTY:
                    j = (j + 1) % len(rows)
                rows[j] = [H(b"http"), e << 8]
            x.put(NAMES, SLOT, rows)
            x.h["max_probe"] = MAX_PROBE
        return f
    # a twin whose entry has no name with the hash: lookups pass it by,
    # check refuses it
    variant("twin-slots", http_twins(ssh), BAD, GOOD)
    # twins whose entries share the name (here, one entry): a lookup could
    # answer from either, so check refuses them; lookups take the first
    variant("twins-sharing-a-name", http_twins(http), BAD, GOOD)
    # more twins than a lookup compares (and sharing a name): refused by
    # check; lookups take the first
    variant("twins-%d" % (MAX_TWINS + 1), http_twins(*[http] * MAX_TWINS), BAD, GOOD)

    def far(x):
        rows = x.get(NAMES, SLOT)
        i = [k for k, r in enumerate(rows) if r[0] == H(b"ssh")][0]
        s = rows[i]
        big_rows = [[0, SLOT_EMPTY] for _ in range(1024)]
        start = name_start(s[0], s[1] & 0xFF) & 1023
        for r in rows:
            if r[1] != SLOT_EMPTY and r is not s:
                k = name_start(r[0], r[1] & 0xFF) & 1023
                while big_rows[k][1] != SLOT_EMPTY:
                    k = (k + 1) & 1023
                big_rows[k] = r
        k = (start + x.h["max_probe"]) & 1023
        while big_rows[k][1] != SLOT_EMPTY:
            k = (k + 1) & 1023
        # the slots between its start and it are taken: no empty slot
        # stops the probe before max_probe
        for m in range(start, start + x.h["max_probe"]):
            if big_rows[m & 1023][1] == SLOT_EMPTY:
                big_rows[m & 1023] = [0x12345678 + m, ssh << 8]
        big_rows[k] = s
        x.put(NAMES, SLOT, big_rows)
    # a slot beyond max_probe of its start is never reached
    variant("slot-beyond-max-probe", far, BAD, good(**{"n:ssh:": "NOTFOUND"}))

    # -- issue 20 finding 3: many entries sharing long names; check stays
    # linear (hostile.sh times it) --
    def shared(count, names, alias_count, names_size):
        def f(x):
            off = x.add_string(names[:-1])
            rows = x.get(ENTRIES, ENTRY)
            rows = [list(rows[i % len(rows)]) for i in range(count)]
            for r in rows:
                r[0:2] = [off, names_size]
                r[4:6] = [alias_count, 255 if len(names.split(b"\0")[0]) > 255 else
                          len(names.split(b"\0")[0])]
            x.put(ENTRIES, ENTRY, rows)
            x.h["entry_count"] = count
        return f
    kib = b"".join(b"%04d" % i + b"k" * 1020 + b"\0" for i in range(256))
    variant("shared-1k-names", shared(64, kib, 255, 0xFFFF), BAD,
            good(**{"n:http:tcp": "UNAVAIL", "n:www:": "UNAVAIL", "n:HTTP:udp": "UNAVAIL",
                    "p:80:tcp": "UNAVAIL", "p:22:": "UNAVAIL", "n:ssh:": "UNAVAIL",
                    "p:7000:ddp": "UNAVAIL", "e": "0/UNAVAIL"}))
    lim = b"".join(b"%03d" % i + b"n" * 252 + b"\0" for i in range(MAX_ALIASES + 1))
    variant("shared-limit-names", shared(1 << 16, lim, MAX_ALIASES, MAX_NAMES_SIZE), BAD,
            good(**{"n:http:tcp": "NOTFOUND", "n:www:": "NOTFOUND", "n:HTTP:udp": "NOTFOUND",
                    "n:ssh:": "NOTFOUND", "p:80:tcp": "FOUND:000" + "n" * 252, "p:22:": "FOUND:000" + "n" * 252,
                    "p:7000:ddp": "FOUND:000" + "n" * 252, "e": str(1 << 16)}))

    # -- records, people, metadata: not on the lookup path; check refuses --
    def record(i, **kw):
        def f(x):
            rows = x.get(RECORDS, RECORD)
            for k, v in kw.items():
                rows[i][("name", "body", "port_lo", "port_hi", "proto", "flags",
                         "reserved").index(k)] = v
            x.put(RECORDS, RECORD, rows)
        return f
    variant("record-name-out-of-range", record(0, name=strings_size), BAD, GOOD)
    variant("record-body-out-of-range", record(0, body=len(B.sec[BODIES][0])), BAD, GOOD)
    variant("record-proto-out-of-range", record(0, proto=9), BAD, GOOD)
    variant("record-ports-backwards", record(0, port_lo=81, port_hi=80), BAD, GOOD)

    def leb_overflow(x):
        b = x.sec[BODIES][0]
        at = len(b)
        b += b"\xff" * 5 + b"\x00" * 10
        x.sec[BODIES][1] = len(b)
        record(0, body=at)(x)
    variant("body-leb128-overflow", leb_overflow, BAD, GOOD)

    def people(rows_fn):
        def f(x):
            x.put(PEOPLE, PERSON, rows_fn(x))
        return f
    variant("person-out-of-range", people(lambda x: [[strings_size + 9, 0, 0, 0, 0]]), BAD, GOOD)
    variant("people-unsorted",
            people(lambda x: [[x.add_string(b"b"), 0, 0, 0, 0], [x.add_string(b"a"), 0, 0, 0, 0]]),
            BAD, GOOD)
    variant("meta-out-of-range", lambda x: struct.pack_into("<I", x.sec[META][0], 0, M32), BAD,
            GOOD)
    return out


def setrow_rows(sid, **kw):
    def fn(rows):
        for r in rows:
            if r[0] == sid:
                for k, v in kw.items():
                    r[("id", "offset", "size", "count").index(k)] = v
    return fn


def page(base):
    """STRINGS last and ending at a page boundary, its last bytes port
    80/tcp's names: the file of issue 20 finding 2, for an in-place write of
    its last byte."""
    x = Index(base)
    http = x.entry_of(b"http", 1)
    names = x.entry_names(http)
    b = x.strings()
    # the pool's final NUL is the block's last byte; empty strings before
    # the block keep the pool's size, and so its offset, a multiple of 8
    b[-1:] = b"\0" * (-(len(b) - 1 + len(names)) % 8) + names
    x.sec[STRINGS][1] = len(b)
    x.set_entry(http, names=len(b) - len(names))
    x.order.remove(STRINGS)
    x.order.append(STRINGS)
    return x.build(pad=lambda sid, at: (-(at + len(b)) % 4096) if sid == STRINGS else 0)


def main(argv):
    if len(argv) == 4 and argv[1] == "cases":
        base = open(argv[2], "rb").read()
        os.makedirs(argv[3], exist_ok=True)
        with open(os.path.join(argv[3], "MANIFEST"), "w") as m:
            for name, data, check, expect in cases(base):
                path = os.path.join(argv[3], name + ".idx")
                with open(path, "wb") as f:
                    f.write(data)
                exp = " ".join("%s=%s" % (q, expect.get(q, "ANY")) for q in QUERIES)
                m.write("%s|%s|%s|%s\n" % (name, path, check, exp))
    elif len(argv) == 4 and argv[1] == "page":
        data = page(open(argv[2], "rb").read())
        assert len(data) % 4096 == 0
        with open(argv[3], "wb") as f:
            f.write(data)
    elif len(argv) == 3 and argv[1] == "strings":
        print("%d %d" % strings_of(argv[2]))
    elif len(argv) == 3 and argv[1] == "resum":
        resum(argv[2])
    else:
        sys.exit("usage: see the head of gen-hostile.py")


if __name__ == "__main__":
    main(sys.argv)
