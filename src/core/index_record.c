/* index_record.c: the whole registry record, its people and the metadata.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not on the lookup path: every string offset is checked as it is read.
 */
#include <errno.h>
#include <string.h>

#include "index-internal.h"
#include "macro.h"

/* One LEB128 number starting at *pos inside the BODIES section. */
static int read_uleb(const struct iana_index *idx, uint32_t *pos, uint32_t *val)
{
	uint32_t v = 0;

	for (unsigned shift = 0; shift < 35; shift += 7) {
		unsigned char b;

		if (*pos >= idx->bodies_size)
			return -EPROTO;
		b = idx->bodies[(*pos)++];
		if (shift == 28 && b > 0x0f)
			return -EPROTO;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*val = v;
			return 0;
		}
	}
	return -EPROTO;
}

static int read_body(const struct iana_index *idx, uint32_t pos,
                     uint32_t field[BODY_FIELDS])
{
	for (int i = 0; i < BODY_FIELDS; i++)
		if (read_uleb(idx, &pos, &field[i]) < 0 || field[i] >= idx->strings_size)
			return -EPROTO;
	return 0;
}

IANA_EXPORT size_t iana_index_record_count(const struct iana_index *idx)
{
	return idx->record_count;
}

IANA_EXPORT int iana_index_record(const struct iana_index *idx, size_t record, struct iana_record *out)
{
	const struct idx_record *r;
	uint32_t f[BODY_FIELDS];

	if (record >= idx->record_count)
		return -ENOENT;
	r = &idx->records[record];
	if (read_body(idx, r->body, f) < 0)
		return -EPROTO;
	out->name = idx_string(idx, r->name);
	out->proto = idx_string(idx, f[BODY_PROTO_TEXT]);
	out->port_lo = r->port_lo;
	out->port_hi = r->port_hi;
	out->flags = r->flags;
	out->description = idx->strings + f[BODY_DESCRIPTION];
	out->assignee = idx->strings + f[BODY_ASSIGNEE];
	out->contact = idx->strings + f[BODY_CONTACT];
	out->registered = idx->strings + f[BODY_REGISTERED];
	out->modified = idx->strings + f[BODY_MODIFIED];
	out->reference = idx->strings + f[BODY_REFERENCE];
	out->service_code = idx->strings + f[BODY_SERVICE_CODE];
	out->unauthorized = idx->strings + f[BODY_UNAUTHORIZED];
	out->notes = idx->strings + f[BODY_NOTES];
	return 0;
}

IANA_EXPORT int iana_index_record_source(const struct iana_index *idx, size_t record,
                                         const char **source)
{
	uint32_t f[BODY_FIELDS];

	if (record >= idx->record_count)
		return -ENOENT;
	if (read_body(idx, idx->records[record].body, f) < 0)
		return -EPROTO;
	*source = idx->strings + f[BODY_SOURCE];
	return 0;
}

static void person(const struct iana_index *idx, const struct idx_person *p,
                   struct iana_person *out)
{
	out->id = idx_string(idx, p->id);
	out->name = idx_string(idx, p->name);
	out->org = idx_string(idx, p->org);
	out->uri = idx_string(idx, p->uri);
	out->updated = idx_string(idx, p->updated);
}

IANA_EXPORT int iana_index_person(const struct iana_index *idx, const char *id, struct iana_person *out)
{
	size_t lo = 0, hi = idx->person_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, idx_string(idx, idx->people[mid].id));

		if (c == 0) {
			person(idx, &idx->people[mid], out);
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -ENOENT;
}

IANA_EXPORT int iana_index_meta(const struct iana_index *idx, struct iana_meta *out)
{
	out->title = idx_string(idx, idx->meta->title);
	out->updated = idx_string(idx, idx->meta->updated);
	out->tool_version = idx_string(idx, idx->meta->tool_version);
	out->sources = idx_string(idx, idx->meta->sources);
	return 0;
}

int idx_validate_records(const struct iana_index *idx)
{
	const struct idx_meta *m = idx->meta;
	uint32_t f[BODY_FIELDS];

	for (uint32_t i = 0; i < idx->record_count; i++) {
		const struct idx_record *r = &idx->records[i];

		if (r->name >= idx->strings_size || r->proto > idx->proto_count ||
		    r->port_lo > r->port_hi || read_body(idx, r->body, f) < 0)
			return -EPROTO;
	}
	for (uint32_t i = 0; i < idx->person_count; i++) {
		const struct idx_person *p = &idx->people[i];

		if (p->id >= idx->strings_size || p->name >= idx->strings_size ||
		    p->org >= idx->strings_size || p->uri >= idx->strings_size ||
		    p->updated >= idx->strings_size)
			return -EPROTO;
		if (i && strcmp(idx->strings + idx->people[i - 1].id, idx->strings + p->id) >= 0)
			return -EPROTO;
	}
	if (m->title >= idx->strings_size || m->updated >= idx->strings_size ||
	    m->tool_version >= idx->strings_size || m->sources >= idx->strings_size)
		return -EPROTO;
	return 0;
}

/* FNV-1a over little-endian 64-bit words (the last one padded with
 * zeros), with the checksum field read as zero: 8 bytes a step, and a
 * change to any one word always changes the result. */
uint64_t idx_checksum(const unsigned char *data, size_t size)
{
	const size_t skip = offsetof(struct idx_header, checksum);
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < size; i += 8) {
		uint64_t w = 0;

		if (i != skip)
			memcpy(&w, data + i, size - i < 8 ? size - i : 8);
		h = (h ^ w) * 1099511628211ull;
	}
	return h ^ h >> 32;
}

IANA_EXPORT int iana_index_verify(const struct iana_index *idx)
{
	const struct idx_header *h = (const void *)idx->map;

	if (idx_checksum(idx->map, idx->size) != h->checksum)
		return -EBADMSG;
	if (idx_validate_tables(idx) < 0)
		return -EPROTO;
	return idx_validate_records(idx);
}
