/* index_entry.c: an entry, as a struct or copied into a caller's buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "index-internal.h"
#include "macro.h"

IANA_EXPORT size_t iana_index_entry_count(const struct iana_index *idx)
{
	return idx->entry_count;
}

/* Entry number entry, copied out of the file (so that what is checked is
 * what is used, whatever happens to the file meanwhile) and checked by
 * idx_entry_ok(): -ENOENT past the last entry, -EPROTO when it is not
 * valid. Its bytes are checked once read, by names_check() or
 * copy_names(). */
static inline int checked_entry(const struct iana_index *idx, size_t entry,
                                struct idx_entry *x)
{
	if (entry >= idx->entry_count)
		return -ENOENT;
	memcpy(x, &idx->entries[entry], sizeof(*x));
	return idx_entry_ok(idx, x) ? 0 : -EPROTO;
}

/* Whether the size bytes at s are an entry's names: name_len bytes of
 * name, a NUL, then each alias and its NUL, every name 1..IDX_MAX_NAME
 * bytes that can stand in a services(5) line. Sets aliases[], if given, to
 * where each alias starts. */
static int names_check(const char *s, size_t size, size_t name_len, unsigned alias_count,
                       char **aliases)
{
	size_t start = 0;
	unsigned n = 0;

	if (s[name_len] != '\0' || s[size - 1] != '\0')
		return -EPROTO;
	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0') {
			/* the name ends where name_len says, or the aliases
			 * would be read from name_len on, past the block */
			if (i == start || i - start > IDX_MAX_NAME || n > alias_count ||
			    (n == 0 && i != name_len))
				return -EPROTO;
			if (n && aliases)
				aliases[n - 1] = (char *)s + start;
			n++;
			start = i + 1;
		} else if (!idx_name_byte(c)) {
			return -EPROTO;
		}
	}
	return n == alias_count + 1 ? 0 : -EPROTO;
}

int idx_entry(const struct iana_index *idx, size_t entry, struct iana_entry *out,
              size_t *names_len)
{
	struct idx_entry e;
	int r = checked_entry(idx, entry, &e);
	const char *names;

	if (r < 0)
		return r;
	names = idx->strings + e.names;
	if (names_check(names, e.names_size, e.name_len, e.alias_count, NULL) < 0)
		return -EPROTO;
	out->name = names;
	out->proto = idx_proto_name(idx, e.proto);
	out->port = e.port;
	out->alias_count = e.alias_count;
	out->aliases = names + e.name_len + 1;
	*names_len = e.names_size;
	return 0;
}

IANA_EXPORT int iana_index_entry(const struct iana_index *idx, size_t entry,
                                 struct iana_entry *out)
{
	size_t len;

	return idx_entry(idx, entry, out, &len);
}

/* Bytes of a word, as a mask with 0x80 in each byte that is so; exact for
 * every byte (no carry crosses from one byte into the next), so the masks
 * say where the NULs are, not only whether there is one. */
#define ONES 0x0101010101010101u
#define HIGH (ONES << 7)
#define LOW7 (~HIGH)

static inline uint64_t nul_bytes(uint64_t w)
{
	return ~(((w & LOW7) + LOW7) | w | LOW7);
}

/* Bytes that cannot stand in a name and are not a NUL: 0x01-0x20, 0x7f
 * (idx_name_byte); nul is nul_bytes(w). (w & LOW7) + 0x5f reaches 0x80
 * from 0x21 up. */
static inline uint64_t bad_bytes(uint64_t w, uint64_t nul)
{
	uint64_t below = ~(((w & LOW7) + ONES * (0x80 - 0x21)) | w | nul) & HIGH;

	return below | nul_bytes(w ^ ONES * 0x7f);
}

struct names_walk {
	char *dst;                 /* the copy */
	char **aliases;            /* where each alias starts, in the copy */
	size_t start;              /* where the current name starts */
	unsigned n;                /* names ended so far */
	unsigned alias_count;
	size_t name_len;
};

/* The NULs of one word, nul a mask as nul_bytes() gives whose byte k is
 * the block's byte pos + k: each ends a name, which must not be empty nor
 * longer than IDX_MAX_NAME; the first ends the name at name_len. */
static int names_end(struct names_walk *w, uint64_t nul, size_t pos)
{
	for (; nul; nul &= nul - 1) {
		size_t at = pos + (size_t)__builtin_ctzll(nul) / 8;

		if (at == w->start || at - w->start > IDX_MAX_NAME)
			return -1;
		if (w->n == 0) {
			if (at != w->name_len)
				return -1;
		} else {
			if (w->n > w->alias_count)
				return -1;
			w->aliases[w->n - 1] = w->dst + w->start;
		}
		w->n++;
		w->start = at + 1;
	}
	return 0;
}

static inline uint64_t load64(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return le64toh(w);
}

static inline uint32_t load32(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return le32toh(w);
}

/* Copy an entry's block of names, size bytes from src to dst, and check
 * the copy as names_check() does, setting aliases[] to where each alias
 * starts in it. Eight bytes at a time: each word is checked as the value
 * that was stored, so what is checked is what the caller gets, whatever
 * happens to the file meanwhile; every read stays inside the block (the
 * last word overlaps the one before it). */
static ALWAYS_INLINE int copy_names(char *dst, const char *src, size_t size, size_t name_len,
                                    unsigned alias_count, char **aliases)
{
	struct names_walk w;
	uint64_t bad = 0, nul, inner = 0, x;
	size_t pos;

	if (alias_count)
		w = (struct names_walk){ .dst = dst, .aliases = aliases,
		                         .alias_count = alias_count, .name_len = name_len };

	if (size >= 8) {
		for (pos = 0; pos + 8 < size; pos += 8) {
			x = load64(src + pos);
			memcpy(dst + pos, &(uint64_t){ htole64(x) }, 8);
			nul = nul_bytes(x);
			bad |= bad_bytes(x, nul);
			if (alias_count == 0)
				inner |= nul;
			else if (names_end(&w, nul, pos) < 0)
				return -EPROTO;
		}
		/* the last 8 bytes, of which the first 8 - (size - pos) were seen */
		x = load64(src + size - 8);
		memcpy(dst + size - 8, &(uint64_t){ htole64(x) }, 8);
		nul = nul_bytes(x);
		bad |= bad_bytes(x, nul);
		nul = nul >> 8 * (8 - (size - pos)) << 8 * (8 - (size - pos));
		pos = size - 8;
	} else if (size >= 4) {
		uint32_t lo = load32(src), hi = load32(src + size - 4);

		memcpy(dst, &(uint32_t){ htole32(lo) }, 4);
		memcpy(dst + size - 4, &(uint32_t){ htole32(hi) }, 4);
		x = (uint64_t)hi << 32 | lo;
		nul = nul_bytes(x);
		bad = bad_bytes(x, nul);
		/* byte k of hi is byte size - 4 + k of the block */
		nul = (nul & 0xffffffffu) | (nul >> 32) << 8 * (size - 4);
		pos = 0;
	} else {
		/* 2 or 3 bytes: a name of one or two and its NUL (size 1 and 0
		 * are refused by checked_entry); the rest of the word is 'a's */
		unsigned char b0 = (unsigned char)src[0], b1 = (unsigned char)src[1];
		unsigned char b2 = (unsigned char)src[size - 1];

		dst[0] = (char)b0;
		dst[1] = (char)b1;
		dst[size - 1] = (char)b2;
		x = ONES * 'a' << 24 | (uint64_t)b2 << 16 | (uint64_t)b1 << 8 | b0;
		nul = nul_bytes(x);
		bad = bad_bytes(x, nul);
		nul = (nul & 0xffffu) | (nul >> 16 & 0x80u) << 8 * (size - 1);
		pos = 0;
	}
	if (bad)
		return -EPROTO;
	if (alias_count == 0)
		/* one NUL, the block's last byte, which ends the name */
		return inner == 0 && nul == (uint64_t)0x80 << 8 * (size - 1 - pos) &&
		       name_len == size - 1 && name_len <= IDX_MAX_NAME ? 0 : -EPROTO;
	if (names_end(&w, nul, pos) < 0)
		return -EPROTO;
	return w.n == alias_count + 1 && w.start == size ? 0 : -EPROTO;
}

/* n bytes, most often a few (a protocol's name): without a call. */
static inline void copy_short(char *dst, const char *src, size_t n)
{
	uint32_t lo, hi;
	uint16_t lo2, hi2;

	if (n > 8) {
		memcpy(dst, src, n);
	} else if (n >= 4) {
		memcpy(&lo, src, 4);
		memcpy(&hi, src + n - 4, 4);
		memcpy(dst, &lo, 4);
		memcpy(dst + n - 4, &hi, 4);
	} else if (n >= 2) {
		memcpy(&lo2, src, 2);
		memcpy(&hi2, src + n - 2, 2);
		memcpy(dst, &lo2, 2);
		memcpy(dst + n - 2, &hi2, 2);
	} else if (n == 1) {
		dst[0] = src[0];
	}
}

/* The buffer holds, in this order: padding to align the alias pointer array,
 * the array (alias_count + 1 pointers, NULL last), then the entry's block
 * of names, copied whole, and for a servent the protocol. The size is
 * computed before anything is written, so a short buffer is left
 * untouched; the names are checked in the copy, which no other process can
 * change under us. Returns where the names went, *names_end after them. */
static ALWAYS_INLINE int copy_entry_names(const struct iana_index *idx,
                                          const struct idx_entry *e, size_t extra,
                                          char *buf, size_t buflen, char ***aliases_out,
                                          char **names)
{
	size_t pad = -(uintptr_t)buf & (alignof(char *) - 1);
	size_t need = pad + (e->alias_count + 1) * sizeof(char *) + e->names_size + extra;
	char **aliases;

	if (buflen < need)
		return -ERANGE;
	aliases = (char **)(void *)(buf + pad);
	*names = (char *)(aliases + e->alias_count + 1);
	if (copy_names(*names, idx->strings + e->names, e->names_size, e->name_len,
	               e->alias_count, aliases) < 0)
		return -EPROTO;
	aliases[e->alias_count] = NULL;
	*aliases_out = aliases;
	return 0;
}

IANA_EXPORT int iana_index_servent(const struct iana_index *idx, size_t entry,
                                   struct servent *result, char *buf, size_t buflen)
{
	struct idx_entry e;
	const char *proto_name;
	size_t proto_len;
	char **aliases, *p;
	int r = checked_entry(idx, entry, &e);

	if (r < 0)
		return r;
	if (e.proto <= IDX_SHORT_PROTOS && idx->short_protos[e.proto - 1].len) {
		proto_name = idx->short_protos[e.proto - 1].name;
		proto_len = idx->short_protos[e.proto - 1].len;
	} else {
		const struct idx_proto *x = idx_proto_at(idx, e.proto);

		if (!x)
			return -EPROTO;
		proto_name = idx->strings + x->name;
		proto_len = x->len;
	}
	r = copy_entry_names(idx, &e, proto_len + 1, buf, buflen, &aliases, &p);
	if (r < 0)
		return r;
	result->s_name = p;
	result->s_aliases = aliases;
	p += e.names_size;
	copy_short(p, proto_name, proto_len);
	p[proto_len] = '\0';
	result->s_proto = p;
	result->s_port = (int)htons(e.port);
	return 0;
}

/* A protocols index's entry: its port is the protocol's number. */
IANA_EXPORT int iana_index_protoent(const struct iana_index *idx, size_t entry,
                                    struct protoent *result, char *buf, size_t buflen)
{
	struct idx_entry e;
	char **aliases, *p;
	int r = checked_entry(idx, entry, &e);

	if (r < 0)
		return r;
	r = copy_entry_names(idx, &e, 0, buf, buflen, &aliases, &p);
	if (r < 0)
		return r;
	result->p_name = p;
	result->p_aliases = aliases;
	result->p_proto = e.port;
	return 0;
}
