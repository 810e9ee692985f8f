/* nss-loop.c: COUNT lookups through glibc's NSS (nsswitch.conf's line),
 * spread evenly over SECONDS, so that strace(1) can count the system calls
 * a long-running process makes per lookup and per second (SPEC section 10,
 * F2: none on the lookup path, the once-a-second check aside).
 *
 *   nss-loop COUNT SECONDS
 *
 * The lookups cycle through a registry name, a registry port, a local name
 * (netbase's ssh) and a miss. Between lookups it waits by reading
 * CLOCK_MONOTONIC, which the vDSO answers without a system call. Prints the
 * number of lookups that found something and the seconds they took.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <arpa/inet.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct servent s, *res;
	char buf[4096];
	long count, found = 0;
	double seconds, start;

	if (argc != 3) {
		fprintf(stderr, "usage: nss-loop COUNT SECONDS\n");
		return 2;
	}
	count = atol(argv[1]);
	seconds = atof(argv[2]);
	start = now();
	for (long i = 0; i < count; i++) {
		res = NULL;
		switch (i % 4) {
		case 0: getservbyname_r("neo4j", "tcp", &s, buf, sizeof(buf), &res); break;
		case 1: getservbyport_r((int)htons(7474), "tcp", &s, buf, sizeof(buf), &res); break;
		case 2: getservbyname_r("ssh", NULL, &s, buf, sizeof(buf), &res); break;
		case 3: getservbyname_r("no-such-service", NULL, &s, buf, sizeof(buf), &res); break;
		}
		found += res != NULL;
		while (now() < start + seconds * (double)(i + 1) / (double)count)
			;
	}
	printf("%ld %.2f\n", found, now() - start);
	return 0;
}
