/* iana-services.h: read the compiled IANA service registry index.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Functions return 0 on success or a negative errno value:
 *   -ENOENT  no such service (or, from iana_index_open, no such file)
 *   -ERANGE  the caller's buffer is too small
 *   -EPROTO  the index file is not a valid index
 * They never print and never allocate on the lookup path.
 */
#ifndef IANA_SERVICES_H
#define IANA_SERVICES_H

#include <stddef.h>
#include <stdint.h>
#include <netdb.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iana_index;

/* The index read by default: $NSS_IANA_INDEX unless the process is
 * privileged (secure_getenv), else the path chosen at configure time. */
const char *iana_index_default_path(void);

int iana_index_open(const char *path, struct iana_index **idx);
void iana_index_close(struct iana_index *idx);

/* Which database an index holds (SPEC 9, P5). A protocols index has the
 * same entries, records and lookups as a services one: an entry's port is
 * the protocol number and its protocol is "" (pass NULL to the finds). */
enum iana_database {
	IANA_DATABASE_SERVICES = 1,
	IANA_DATABASE_PROTOCOLS = 2,
};
enum iana_database iana_index_database(const struct iana_index *idx);
/* The index of a database read by default, as iana_index_default_path()
 * for services: $NSS_IANA_PROTOCOLS_INDEX for protocols. */
const char *iana_index_database_path(enum iana_database database);

/* Structure and checksum of the whole file, as `iana-services check`. */
int iana_index_verify(const struct iana_index *idx);

/* An index compiled with --watch is stale once a services(5) file it was
 * compiled from has changed: -ESTALE, with *path (if path is not NULL)
 * naming the first such file; 0 when none has. One stat() per file. */
int iana_index_stale(const struct iana_index *idx, const char **path);

/* Entries: the services(5) lines, in entry order, numbered from 0. */
size_t iana_index_entry_count(const struct iana_index *idx);
int iana_index_find_name(const struct iana_index *idx, const char *name,
                         const char *proto, size_t *entry);
/* port in network byte order, as in struct servent. */
int iana_index_find_port(const struct iana_index *idx, int port,
                         const char *proto, size_t *entry);

struct iana_entry {
	const char *name;
	const char *proto;
	unsigned port;          /* host byte order */
	unsigned alias_count;
	const char *aliases;    /* alias_count NUL-terminated strings, back to back */
};
int iana_index_entry(const struct iana_index *idx, size_t entry,
                     struct iana_entry *out);

/* Copy an entry into the caller's buffer as glibc's getservbyname_r does. */
int iana_index_servent(const struct iana_index *idx, size_t entry,
                       struct servent *result, char *buf, size_t buflen);
/* The same for a protocols index, as getprotobyname_r does. */
int iana_index_protoent(const struct iana_index *idx, size_t entry,
                        struct protoent *result, char *buf, size_t buflen);

/* Records: every row of the registry, including those that give no entry
 * (no name, no port, no protocol: Reserved and Unassigned ranges). */
enum {
	IANA_RECORD_HAS_PORT = 1,
	IANA_RECORD_ALIAS = 2,   /* folded into another entry as an alias (R3) */
	IANA_RECORD_LOCAL = 4,   /* from a services(5) or protocols(5) file */
	IANA_RECORD_IPV6 = 8,    /* protocols: an IPv6 extension header */
};

struct iana_record {
	const char *name;          /* "" when unnamed */
	const char *proto;         /* "" when none */
	unsigned port_lo, port_hi; /* valid when flags & IANA_RECORD_HAS_PORT */
	unsigned flags;
	const char *description;
	const char *assignee;
	const char *contact;
	const char *registered;
	const char *modified;
	const char *reference;
	const char *service_code;
	const char *unauthorized;
	const char *notes;
};
size_t iana_index_record_count(const struct iana_index *idx);
int iana_index_record(const struct iana_index *idx, size_t record,
                      struct iana_record *out);
/* Where a record of a services(5) file stood, "FILE:LINE"; "" for the
 * registry's records. */
int iana_index_record_source(const struct iana_index *idx, size_t record,
                             const char **source);

struct iana_person {
	const char *id;
	const char *name;
	const char *org;
	const char *uri;
	const char *updated;
};
int iana_index_person(const struct iana_index *idx, const char *id,
                      struct iana_person *out);

struct iana_meta {
	const char *title;
	const char *updated;
	const char *tool_version;
	const char *sources;     /* one "sha256  file" line per input */
};
int iana_index_meta(const struct iana_index *idx, struct iana_meta *out);

/* The calls of getservbyname(3) and its family, with glibc's signatures and
 * semantics, answering from the default index, mapped on first use and
 * reloaded within a second when the file is replaced. Thread-safe.
 * The _r forms return 0 (with *result NULL when there is no such service),
 * ERANGE when buf is too small, or an errno value when the index cannot be
 * read. The others return per-thread storage, or NULL. */
int iana_getservbyname_r(const char *name, const char *proto, struct servent *result_buf,
                         char *buf, size_t buflen, struct servent **result);
int iana_getservbyport_r(int port, const char *proto, struct servent *result_buf,
                         char *buf, size_t buflen, struct servent **result);
void iana_setservent(int stayopen);
int iana_getservent_r(struct servent *result_buf, char *buf, size_t buflen,
                      struct servent **result);
void iana_endservent(void);
struct servent *iana_getservbyname(const char *name, const char *proto);
struct servent *iana_getservbyport(int port, const char *proto);
struct servent *iana_getservent(void);

/* The calls of getprotobyname(3) and its family likewise, from the default
 * protocols index (SPEC 9; iana_index_database_path). */
int iana_getprotobyname_r(const char *name, struct protoent *result_buf, char *buf,
                          size_t buflen, struct protoent **result);
int iana_getprotobynumber_r(int number, struct protoent *result_buf, char *buf,
                            size_t buflen, struct protoent **result);
void iana_setprotoent(int stayopen);
int iana_getprotoent_r(struct protoent *result_buf, char *buf, size_t buflen,
                       struct protoent **result);
void iana_endprotoent(void);
struct protoent *iana_getprotobyname(const char *name);
struct protoent *iana_getprotobynumber(int number);
struct protoent *iana_getprotoent(void);

#ifdef __cplusplus
}
#endif
#endif
