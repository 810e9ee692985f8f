# tests/xml.mk: included by Makefile.am
check_PROGRAMS += tests/test-xml
TESTS += tests/test-xml
tests_test_xml_SOURCES = tests/test-xml.c
tests_test_xml_CFLAGS = $(test_cflags)
tests_test_xml_LDADD = $(test_ldadd)
