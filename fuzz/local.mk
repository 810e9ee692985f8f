# fuzz/local.mk: libFuzzer harnesses (included by Makefile.am).
#
#   make fuzz [FUZZ_SECONDS=60]  build the harnesses, fuzz each for N seconds
#   make fuzz-smoke              the same, 10 seconds each, -timeout=1 (CI)
#   make fuzz-regress            run every corpus and regression input once
#   make fuzz-corpus             fuzz/corpus/index/ again, from this tool
#
# The harnesses are built with clang whatever CC configure chose: libFuzzer
# and the sanitizer runtimes come with it (Debian: clang libclang-rt-dev).
# They compile the library's sources from the automake lists in Makefile.am,
# so a file added to the library is fuzzed without a change here.
# fuzz/run.sh runs them: each on a scratch copy of fuzz/corpus/NAME in
# fuzz/work/NAME, so the source corpus is never written; crashes land in
# fuzz/work/NAME/artifacts. Nothing here is built by `make` or `make check`.

FUZZ_CC = clang
FUZZ_SECONDS = 60
# seconds one input may take before libFuzzer calls it a timeout
FUZZ_TIMEOUT = 10
FUZZ_HARNESSES = index csv text xml services protocols
# UBSan checks stay recoverable so that fuzz/known-bugs.supp can suppress
# them; common-index.c makes halt_on_error the default all the same.
FUZZ_SANITIZE = -fsanitize=address,undefined
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -Wall -Wextra
FUZZ_CPPFLAGS = -include $(abs_top_builddir)/config.h -I$(abs_top_srcdir)/include \
	-I$(abs_top_srcdir)/src/core -I$(abs_top_srcdir)/src/compile -I$(abs_top_srcdir)/fuzz \
	-DIANA_DEFAULT_INDEX='"/nonexistent"' $(EXPAT_CFLAGS)

fuzz_programs = fuzz/fuzz-index fuzz/fuzz-csv fuzz/fuzz-text fuzz/fuzz-xml \
	fuzz/fuzz-services fuzz/fuzz-protocols
fuzz_index_sources = fuzz/common.h fuzz/common-index.c
fuzz_compile_sources = $(fuzz_index_sources) fuzz/common-compile.c
fuzz_library_sources = $(libiana_core_la_SOURCES) $(libiana_compile_la_SOURCES)
# The libraries' own link flags, less the libtool archives.
fuzz_libs = `for l in $(libiana_core_la_LIBADD) $(libiana_compile_la_LIBADD); do \
	case $$l in *.la) ;; *) printf '%s ' "$$l";; esac; done`
# The harnesses' own code gets no coverage: the branches of its checks say
# nothing about the code under test and would only distract the fuzzer.
fuzz_link = $(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) -fsanitize=fuzzer \
	-fno-sanitize-coverage=inline-8bit-counters,pc-table,trace-cmp,indirect-calls

# The library instrumented for libFuzzer, as one archive: each harness
# links the part it calls. index_write.c walks all 65,536 ports of every
# index it writes; tracing the comparisons there costs more than the rest
# of a run and guides nothing.
fuzz/libiana-fuzz.a: $(fuzz_library_sources) config.h
	$(AM_V_GEN)rm -rf fuzz/obj && $(MKDIR_P) fuzz/obj && \
	for f in $(fuzz_library_sources); do \
		case $$f in \
		*/index_write.c) extra=-fno-sanitize-coverage=trace-cmp ;; \
		*.c) extra= ;; \
		*) continue ;; \
		esac; \
		o=fuzz/obj/`echo "$$f" | sed 's|/|_|g; s|\.c$$|.o|'`; \
		$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) \
			-fsanitize=fuzzer-no-link $$extra -c -o $$o "$(abs_top_srcdir)/$$f" || exit 1; \
	done && \
	rm -f $@ && $(AR) cr $@ fuzz/obj/*.o && $(RANLIB) $@

fuzz/fuzz-index: fuzz/fuzz-index.c $(fuzz_index_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-index.c \
		$(srcdir)/fuzz/common-index.c fuzz/libiana-fuzz.a $(fuzz_libs)
fuzz/fuzz-csv: fuzz/fuzz-csv.c $(fuzz_compile_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-csv.c $(srcdir)/fuzz/common-index.c \
		$(srcdir)/fuzz/common-compile.c fuzz/libiana-fuzz.a $(fuzz_libs)
fuzz/fuzz-text: fuzz/fuzz-text.c $(fuzz_compile_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-text.c $(srcdir)/fuzz/common-index.c \
		$(srcdir)/fuzz/common-compile.c fuzz/libiana-fuzz.a $(fuzz_libs)
fuzz/fuzz-xml: fuzz/fuzz-xml.c $(fuzz_compile_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-xml.c $(srcdir)/fuzz/common-index.c \
		$(srcdir)/fuzz/common-compile.c fuzz/libiana-fuzz.a $(fuzz_libs)
fuzz/fuzz-services: fuzz/fuzz-services.c $(fuzz_compile_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-services.c \
		$(srcdir)/fuzz/common-index.c $(srcdir)/fuzz/common-compile.c \
		fuzz/libiana-fuzz.a $(fuzz_libs)
fuzz/fuzz-protocols: fuzz/fuzz-protocols.c $(fuzz_index_sources) fuzz/libiana-fuzz.a
	$(AM_V_CCLD)$(fuzz_link) -o $@ $(srcdir)/fuzz/fuzz-protocols.c \
		$(srcdir)/fuzz/common-index.c fuzz/libiana-fuzz.a $(fuzz_libs)

fuzz-build:
	@echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	$(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - >/dev/null 2>&1 || { \
		echo "fuzz: '$(FUZZ_CC)' cannot build a libFuzzer program" \
		     "(Debian: apt-get install clang libclang-rt-dev; or FUZZ_CC=clang-NN)" >&2; \
		exit 1; }
	@$(MAKE) $(AM_MAKEFLAGS) $(fuzz_programs)

fuzz: fuzz-build
	FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) $(SHELL) $(srcdir)/fuzz/run.sh fuzz $(FUZZ_SECONDS) \
		$(srcdir)/fuzz fuzz $(FUZZ_HARNESSES)

# Every input of these seeds takes microseconds: one that takes a second
# is a bug (issue 20 found a quadratic check this way).
fuzz-smoke:
	@$(MAKE) $(AM_MAKEFLAGS) fuzz FUZZ_SECONDS=10 FUZZ_TIMEOUT=1

fuzz-regress: fuzz-build
	FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) $(SHELL) $(srcdir)/fuzz/run.sh regress 0 \
		$(srcdir)/fuzz fuzz $(FUZZ_HARNESSES)

# The index seeds, compiled by this tree's tool from the other corpora's
# inputs (each alone, and a registry merged with a services(5) file), so
# that fuzz-index starts from files of the current format. Each input is
# compiled from its own directory: the index records the names it was
# given, and no build path gets in. An input that does not compile (some
# are there to exercise a parser's errors) gives no seed. tests/hostile-
# corpus.sh fails while a seed does not pass `iana-services check`.
# Protocols indexes too (SPEC 9): each protocols(5) seed, the Protocol
# Numbers seed of corpus/xml (--format xml reads either registry, as its
# root says), and netbase's /etc/protocols merged with the shipped
# registry, compiled from the top source directory, so that fuzz-index
# also starts from the other database's header and entries.
fuzz_corpus_formats = csv text xml services protocols
fuzz_corpus_merged = csv/system-ports.csv services/etc-services
fuzz_corpus_merged_protocols = tests/data/netbase-protocols data/protocol-numbers.xml
fuzz-corpus: iana-services$(EXEEXT)
	$(AM_V_GEN)tool=`pwd`/iana-services$(EXEEXT); \
	corpus=`cd $(srcdir)/fuzz/corpus && pwd`; \
	rm -f "$$corpus"/index/*.idx; \
	for d in $(fuzz_corpus_formats); do \
		for f in "$$corpus/$$d"/*; do \
			b=`basename "$$f"`; \
			( cd "$$corpus/$$d" && "$$tool" compile --format $$d \
				-o "$$corpus/index/$$d-$${b%.*}.idx" "$$b" >/dev/null 2>&1 ) || \
				echo "fuzz-corpus: $$d/$$b does not compile: no seed"; \
		done; \
	done; \
	( cd "$$corpus" && "$$tool" compile -o index/merged.idx \
		$(fuzz_corpus_merged) >/dev/null ) && \
	( cd $(srcdir) && "$$tool" compile -o "$$corpus/index/merged-protocols.idx" \
		$(fuzz_corpus_merged_protocols) >/dev/null ) && \
	for f in "$$corpus"/index/*.idx; do \
		"$$tool" check -i "$$f" >/dev/null || exit 1; \
	done; \
	echo "fuzz-corpus: `ls "$$corpus"/index | wc -l` seeds in $$corpus/index"

clean-local: fuzz-clean
fuzz-clean:
	-rm -rf fuzz/obj fuzz/work

CLEANFILES += fuzz/libiana-fuzz.a $(fuzz_programs)
EXTRA_DIST += fuzz/README.md fuzz/run.sh fuzz/known-bugs.supp fuzz/common.h \
	fuzz/common-index.c fuzz/common-compile.c fuzz/fuzz-index.c fuzz/fuzz-csv.c \
	fuzz/fuzz-text.c fuzz/fuzz-xml.c fuzz/fuzz-services.c fuzz/fuzz-protocols.c \
	fuzz/index.dict fuzz/csv.dict fuzz/text.dict fuzz/xml.dict fuzz/services.dict \
	fuzz/protocols.dict \
	fuzz/corpus fuzz/regressions

.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-build fuzz-clean fuzz-corpus
