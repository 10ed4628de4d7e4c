# make demo / make test: everything from a fresh Debian machine.
# Meson does the real build; this file installs what is missing and wraps it.

BUILD      ?= build
ASAN_BUILD ?= build-asan
OUT        ?= out
AUPC        = $(BUILD)/aupc

PACKAGES = meson ninja-build pkg-config gcc python3 \
           libxml2-dev libxml2-utils libcmark-dev libhpdf-dev libcriterion-dev \
           fonts-liberation2 poppler-utils qpdf hunspell hunspell-en-gb diction

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all install-deps build demo test test-asan clean

all: build

install-deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: install-deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@rm -rf $(OUT)
	$(AUPC) compile -o $(OUT) examples/*.xml
	@find $(OUT) -type f | sort

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# The sanitizer run comes first so the suite's closing line is the last one printed.
test-asan: install-deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    AUPC=$(CURDIR)/$(ASAN_BUILD)/aupc ./tests/aupc-tests --jobs 2 --short-filename

test: build test-asan
	cd $(BUILD) && AUPC=$(CURDIR)/$(AUPC) ./tests/aupc-tests --jobs 2 --short-filename

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(OUT)
