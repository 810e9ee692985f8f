# tests/lookup.mk: lookup, diff and bad input; included by Makefile.am.
# SPDX-License-Identifier: LGPL-2.1-or-later

TESTS += tests/bad-input.sh tests/lookup-diff.sh
EXTRA_DIST += tests/bad-input.sh tests/lookup-diff.sh \
	tests/bad/backwards-range.csv \
	tests/bad/billion-laughs.xml \
	tests/bad/empty.csv \
	tests/bad/external-dtd.xml \
	tests/bad/external-entity.xml \
	tests/bad/invalid-name.csv \
	tests/bad/invalid-utf8.csv \
	tests/bad/nul-byte.csv \
	tests/bad/port-70000.csv \
	tests/bad/services-no-port.services \
	tests/bad/services-no-slash.services \
	tests/bad/truncated.xml \
	tests/bad/unknown-protocol.csv \
	tests/bad/unterminated-quote.csv \
	tests/bad/wrong-column-count.csv
