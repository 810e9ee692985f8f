/* nss-dump.c: answer queries through glibc's NSS with one chosen service
 * ("files", "iana", ...), one line per query, so two services' answers can
 * be compared with diff(1).
 *
 *   nss-dump SERVICE < QUERIES    each line "name NAME PROTO" or "port N PROTO"
 *                                 (PROTO "-" for NULL, "\"\"" for the empty
 *                                 protocol of a services(5) line "name 80"),
 *                                 or "enumerate"; protocols: "protoname NAME",
 *                                 "protonumber N" or "protoenumerate"
 *   nss-dump - < QUERIES          the same through /etc/nsswitch.conf's lines
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

static void print(const char *query, const struct servent *s, int r)
{
	printf("%s\t", query);
	if (r != 0 || !s) {
		printf("%s\n", r ? strerror(r) : "not found");
		return;
	}
	printf("%s %d/%s", s->s_name, ntohs((uint16_t)s->s_port), s->s_proto);
	for (char **a = s->s_aliases; *a; a++)
		printf(" %s", *a);
	printf("\n");
}

static void enumerate(void)
{
	struct servent s, *res;
	char buf[65536];
	size_t n = 0;

	setservent(0);
	while (getservent_r(&s, buf, sizeof(buf), &res) == 0 && res) {
		print("enumerate", res, 0);
		n++;
	}
	endservent();
	printf("enumerated\t%zu\n", n);
}

static void print_proto(const char *query, const struct protoent *p, int r)
{
	printf("%s\t", query);
	if (r != 0 || !p) {
		printf("%s\n", r ? strerror(r) : "not found");
		return;
	}
	printf("%s %d", p->p_name, p->p_proto);
	for (char **a = p->p_aliases; *a; a++)
		printf(" %s", *a);
	printf("\n");
}

static void enumerate_protocols(void)
{
	struct protoent p, *res;
	char buf[65536];
	size_t n = 0;

	setprotoent(0);
	while (getprotoent_r(&p, buf, sizeof(buf), &res) == 0 && res) {
		print_proto("protoenumerate", res, 0);
		n++;
	}
	endprotoent();
	printf("protoenumerated\t%zu\n", n);
}

/* "protoname NAME", "protonumber N" (as atoi reads it, so "-1" is -1). */
static void query_protocols(const char *line)
{
	struct protoent p, *res = NULL;
	char buf[65536], kind[16], what[1024];
	int r;

	if (sscanf(line, "%15s %1023s", kind, what) != 2) {
		fprintf(stderr, "nss-dump: bad query: %s\n", line);
		exit(2);
	}
	if (strcmp(kind, "protonumber") == 0)
		r = getprotobynumber_r(atoi(what), &p, buf, sizeof(buf), &res);
	else
		r = getprotobyname_r(what, &p, buf, sizeof(buf), &res);
	print_proto(line, res, r);
}

int main(int argc, char **argv)
{
	char line[4096], kind[16], what[1024], proto[1024];

	if (argc != 2) {
		fprintf(stderr, "usage: nss-dump SERVICE|- < QUERIES\n");
		return 2;
	}
	if (strcmp(argv[1], "-") != 0 && (__nss_configure_lookup("services", argv[1]) != 0 ||
	                                  __nss_configure_lookup("protocols", argv[1]) != 0)) {
		perror("__nss_configure_lookup");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		struct servent s, *res = NULL;
		char buf[65536];
		const char *p;
		int r;

		line[strcspn(line, "\n")] = 0;
		if (strcmp(line, "enumerate") == 0) {
			enumerate();
			continue;
		}
		if (strcmp(line, "protoenumerate") == 0) {
			enumerate_protocols();
			continue;
		}
		if (strncmp(line, "proto", 5) == 0) {
			query_protocols(line);
			continue;
		}
		if (sscanf(line, "%15s %1023s %1023s", kind, what, proto) != 3) {
			fprintf(stderr, "nss-dump: bad query: %s\n", line);
			return 2;
		}
		p = strcmp(proto, "-") == 0 ? NULL : strcmp(proto, "\"\"") == 0 ? "" : proto;
		if (strcmp(kind, "port") == 0)
			r = getservbyport_r((int)htons((uint16_t)atoi(what)), p, &s, buf,
			                    sizeof(buf), &res);
		else
			r = getservbyname_r(what, p, &s, buf, sizeof(buf), &res);
		print(line, res, r);
	}
	return 0;
}
