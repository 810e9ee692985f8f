/* cmd_lookup.c: iana-services lookup [-i INDEX] [--json] QUERY [PROTO]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A number is a port, anything else a service name. Shows every entry
 * that matches, in entry order, as services(5) lines.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tool.h"

static int is_port(const char *s, unsigned *port)
{
	char *end;
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return 0;
	v = strtoul(s, &end, 10);
	*port = (unsigned)v;
	return v <= 65535;
}

static int matches(const struct iana_entry *e, const char *query, int by_port,
                   unsigned port, const char *proto)
{
	const char *a = e->aliases;

	if (proto && strcasecmp(proto, e->proto) != 0)
		return 0;
	if (by_port)
		return e->port == port;
	if (strcasecmp(e->name, query) == 0)
		return 1;
	for (unsigned i = 0; i < e->alias_count; i++, a += strlen(a) + 1)
		if (strcasecmp(a, query) == 0)
			return 1;
	return 0;
}

int cmd_lookup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ 0 }
	};
	const char *path = NULL, *query, *proto;
	struct iana_index *idx;
	unsigned port = 0;
	size_t found = 0;
	int c, by_port;

	while ((c = getopt_long(argc, argv, "i:j", opts, NULL)) != -1) {
		switch (c) {
		case 'i': path = optarg; break;
		case 'j': break;
		default: return usage_error("lookup", "bad option");
		}
	}
	if (optind == argc || argc - optind > 2)
		return usage_error("lookup", "expected QUERY [PROTO]");
	query = argv[optind];
	proto = argc - optind == 2 ? argv[optind + 1] : NULL;
	by_port = is_port(query, &port);
	idx = open_index(path);
	if (!idx)
		return EXIT_BAD;
	for (size_t i = 0; i < iana_index_entry_count(idx); i++) {
		struct iana_entry e;
		const char *a;

		iana_index_entry(idx, i, &e);
		if (!matches(&e, query, by_port, port, proto))
			continue;
		printf("%-15s %u/%s", e.name, e.port, e.proto);
		a = e.aliases;
		for (unsigned k = 0; k < e.alias_count; k++, a += strlen(a) + 1)
			printf(" %s", a);
		printf("\n");
		found++;
	}
	iana_index_close(idx);
	if (!found)
		report(NULL, 0, "%s%s%s: not found", query, proto ? "/" : "", proto ? proto : "");
	return found ? EXIT_OK : EXIT_NOTFOUND;
}
