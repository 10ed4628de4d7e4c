# make demo / make test: everything from a fresh Debian machine.
# Meson does the real build; this file installs what is missing and wraps it.

BUILD      ?= build
ASAN_BUILD ?= build-asan
OUT        ?= out
AUPC        = $(BUILD)/aupc

PACKAGES = meson ninja-build pkg-config gcc python3 \
           libxml2-dev libxml2-utils libcmark-dev libhpdf-dev libcriterion-dev libinih-dev \
           libmicrohttpd-dev \
           fonts-liberation2 fonts-noto-mono poppler-utils qpdf hunspell hunspell-en-gb diction \
           lowdown groff valgrind mandoc libzip-dev zlib1g-dev pandoc libreoffice-writer-nogui \
           unzip nodejs chromium

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all install-deps browser-deps build demo test test-asan test-valgrind test-tsan fuzz fuzz-build fuzz-regress clean lint-eval

all: build

# npm is asked for by command, not package: a nodejs that bundles it (as
# NodeSource's does) conflicts with Debian's npm package.
install-deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

# puppeteer-core and axe-core for the browser test of aupc serve, at the
# versions tests/browser/package-lock.json pins; npm ci stamps the install.
BROWSER_DIR = tests/browser
$(BROWSER_DIR)/node_modules/.package-lock.json: $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

browser-deps: install-deps $(BROWSER_DIR)/node_modules/.package-lock.json

build: install-deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@rm -rf $(OUT)
	$(AUPC) compile -o $(OUT) examples/*.xml
	@find $(OUT) -type f | sort

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# The sanitizer run comes first so the suite's closing line is the last one printed.
test-asan: install-deps browser-deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    AUPC=$(CURDIR)/$(ASAN_BUILD)/aupc ./tests/aupc-tests --jobs 2 --short-filename

# Valgrind over a handful of representative aupc runs (the normal build, not
# the ASan one); skipped when valgrind is not installed.
test-valgrind: build
	@if command -v valgrind >/dev/null 2>&1; then \
	    cd $(BUILD) && AUPC_VALGRIND=1 AUPC=$(CURDIR)/$(AUPC) \
	        ./tests/aupc-tests --filter 'valgrind/*' --jobs 1 --short-filename; \
	else echo "valgrind not installed: skipping the valgrind run"; fi

# ThreadSanitizer over compile's two kinds of parallelism (many profiles at
# once, and one profile's documents at once), serve, and lint of a draft big
# enough to be read on more than one thread.
TSAN_BUILD ?= build-tsan
$(TSAN_BUILD)/build.ninja:
	meson setup $(TSAN_BUILD) -Db_sanitize=thread -Dbuildtype=debug

test-tsan: install-deps $(TSAN_BUILD)/build.ninja
	ninja -C $(TSAN_BUILD) aupc
	@tmp=$$(mktemp -d) && export TSAN_OPTIONS=halt_on_error=1:exitcode=66 && \
	for p in examples/*.xml examples; do \
	    $(TSAN_BUILD)/aupc compile -q -j 2 -f all -o $$tmp $$p || { rm -rf $$tmp; exit 1; }; \
	done; rm -rf $$tmp; echo "ThreadSanitizer: compile -j 2 clean"
	@TSAN_OPTIONS=halt_on_error=1:exitcode=66 python3 tests/serve_load.py $(TSAN_BUILD)/aupc && \
	echo "ThreadSanitizer: serve under concurrent requests clean"
	@tmp=$$(mktemp -d) && export TSAN_OPTIONS=halt_on_error=1:exitcode=66 && \
	python3 bench/gendraft.py $$tmp/draft.md 1048576 && \
	{ $(TSAN_BUILD)/aupc lint --today 2026-11-24 $$tmp/draft.md >/dev/null; \
	  test $$? -le 1 || { rm -rf $$tmp; exit 1; }; } && \
	rm -rf $$tmp && echo "ThreadSanitizer: lint of a 1 MiB draft clean"

test: build browser-deps test-asan test-valgrind test-tsan
	cd $(BUILD) && AUPC=$(CURDIR)/$(AUPC) ./tests/aupc-tests --jobs 2 --short-filename

# Precision and recall of `aupc lint` on hand-judged drafts (tests/lint/corpus/README.md).
# A benchmark, not a test: LINT_EVAL_ARGS="--strict" makes a missed target fail,
# and a folder given there (the held-out drafts) replaces the corpus.
LINT_EVAL_ARGS ?=
lint-eval: build
	python3 tools/lint-eval --aupc $(AUPC) $(LINT_EVAL_ARGS)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang straight from
# the library sources. `make fuzz FUZZ_SECONDS=N` runs each for N seconds,
# one after another; new inputs go to $(FUZZ_BUILD)/corpus-NAME and crashes
# to $(FUZZ_BUILD)/NAME-crash-*. tests/fuzz/README.md has the details.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_NAMES    = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SRCS     = $(filter-out src/main.c src/cli_%.c,$(wildcard src/*.c)) $(wildcard src/util/*.c)
FUZZ_OBJS     = $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRCS)) $(FUZZ_BUILD)/obj/embedded.o
FUZZ_CFLAGS   = -std=c17 -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
                -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -DAUPC_VERSION='"$(shell sed -n "s/^ *version *: *'\(.*\)',/\1/p" meson.build)"' \
                -Isrc -I$(FUZZ_BUILD) \
                $(shell pkg-config --cflags libxml-2.0 libcmark inih libzip libmicrohttpd 2>/dev/null)
# libzip and libmicrohttpd are opened when needed (src/lazylib.c), not linked.
FUZZ_LIBS     = $(shell pkg-config --libs libxml-2.0 libcmark inih zlib 2>/dev/null) \
                -lhpdf -lm -lpthread -ldl

FUZZ_DATA     = $(wildcard schema/*.xsd statements/*.xml templates/*.md)

$(FUZZ_BUILD)/embedded.c: tools/embed.py $(FUZZ_DATA)
	@mkdir -p $(dir $@)
	python3 tools/embed.py $@ . $(FUZZ_DATA)

$(FUZZ_BUILD)/obj/embedded.o: $(FUZZ_BUILD)/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# The sonames src/lazylib.c opens, as meson writes them for the real build.
$(FUZZ_BUILD)/lazylib_names.h: tools/soname.py
	@mkdir -p $(dir $@)
	@for lib in ZIP:zip:libzip MHD:microhttpd:libmicrohttpd; do \
	    set -- $$(echo $$lib | tr : ' '); \
	    names=$$(python3 tools/soname.py "$$(pkg-config --variable=libdir $$3)" $$2) || exit 1; \
	    echo "#define LAZYLIB_$${1}_SONAME \"$$(echo "$$names" | sed -n 1p)\""; \
	    echo "#define LAZYLIB_$${1}_PACKAGE \"$$(echo "$$names" | sed -n 2p)\""; \
	done > $@.tmp && mv $@.tmp $@

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/*.h src/util/*.h) | $(FUZZ_BUILD)/lazylib_names.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(FUZZ_LIBS) -o $@

.SECONDARY: $(FUZZ_OBJS)

fuzz-build: install-deps $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))

# Each harness over its seed corpus once, no fuzzing: the regression check.
fuzz-regress: fuzz-build
	@for n in $(FUZZ_NAMES); do \
	    echo "== $$n: seed corpus"; \
	    $(FUZZ_BUILD)/fuzz_$$n -runs=0 tests/fuzz/corpus/$$n || exit 1; \
	done

fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
	    echo "== fuzz_$$n for $(FUZZ_SECONDS)s"; \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$n; \
	    dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	    $(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	        -timeout=20 -print_final_stats=1 $$dict \
	        -artifact_prefix=$(FUZZ_BUILD)/$$n- \
	        $(FUZZ_BUILD)/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

# Speed, memory and size figures against the targets (see bench/RESULTS.md).
# The tagged PDF is weighed against the last commit whose PDFs were not
# tagged, built from git in $(BENCH_BASE); without git history, it is not.
BENCH_N ?= 1000
BENCH_BASE_REV ?= 9f6123f
BENCH_BASE ?= build-bench-base
bench: build
	@if [ ! -x $(BENCH_BASE)/build/aupc ] && git cat-file -e $(BENCH_BASE_REV) 2>/dev/null; then \
	    rm -rf $(BENCH_BASE) && mkdir -p $(BENCH_BASE)/src && \
	    git archive $(BENCH_BASE_REV) | tar -x -C $(BENCH_BASE)/src && \
	    meson setup $(BENCH_BASE)/build $(BENCH_BASE)/src >/dev/null && \
	    ninja -C $(BENCH_BASE)/build aupc >/dev/null; \
	fi
	python3 bench/bench.py $(AUPC) $(BENCH_N) \
	    $$([ -x $(BENCH_BASE)/build/aupc ] && echo --baseline $(BENCH_BASE)/build/aupc)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(BENCH_BASE) $(OUT)
