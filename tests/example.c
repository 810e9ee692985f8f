/* example.c: the example of iana_services(3). Who is on a port?
 *
 *   cc example.c $(pkg-config --cflags --libs iana-services)
 *   ./a.out /var/lib/nss-iana/services.idx 7474
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <iana-services.h>

int main(int argc, char **argv)
{
	struct iana_index *idx;
	struct iana_entry e;
	struct iana_record r;
	size_t entry;
	int port;

	if (argc != 3) {
		fprintf(stderr, "usage: %s INDEX PORT\n", argv[0]);
		return 2;
	}
	if (iana_index_open(argv[1], &idx) < 0) {
		fprintf(stderr, "%s: cannot open\n", argv[1]);
		return 2;
	}
	port = atoi(argv[2]);
	if (iana_index_find_port(idx, htons(port), NULL, &entry) < 0) {
		printf("%d: not assigned\n", port);
		iana_index_close(idx);
		return 1;
	}
	iana_index_entry(idx, entry, &e);
	printf("%s %u/%s", e.name, e.port, e.proto);
	/* the registry record behind it, for its description */
	for (size_t i = 0; i < iana_index_record_count(idx); i++) {
		if (iana_index_record(idx, i, &r) == 0 && strcmp(r.name, e.name) == 0 &&
		    strcmp(r.proto, e.proto) == 0) {
			printf(": %s", r.description);
			break;
		}
	}
	printf("\n");
	iana_index_close(idx);
	return 0;
}
