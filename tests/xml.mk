# tests/xml.mk: included by Makefile.am
