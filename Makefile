# certbatch: make demo (rehearse on the built-in sandbox), make test (what CI runs).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/certbatch/certbatch/cli.Version=$(VERSION)
DEMO    := demo-out

.PHONY: build test vet fmt-check demo bench clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o certbatch .

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The race detector needs cgo and a C compiler. `go env CGO_ENABLED` is 0
# when the compiler is missing (or cgo is turned off); the compiler named by
# `go env CC` must be on PATH too. RACE is -race when both hold, else empty.
# `make test RACE=` skips it.
ifeq ($(origin RACE),undefined)
RACE := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && cc=$$($(GO) env CC) && \
	command -v "$${cc%% *}" >/dev/null 2>&1 && echo -race)
RACE_OFF = no C compiler: cgo is disabled or '$(shell $(GO) env CC)' is not on PATH
else
RACE_OFF := RACE= was given
endif

# The test command (README, .ci/run): formatting, vet, and every test, with
# the race detector when a C compiler is there (it says which it ran).
# -timeout: go test's default (10 minutes per package) is a bet on the
# machine's load; the cli package takes 5 on 2 loaded cores. The bound
# only turns a hang into a failure. The shared-journal tests start a private PostgreSQL server (internal/pgtest)
# when one is installed, and say they were skipped, and why, when not.
PGBIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb) $(shell command -v initdb 2>/dev/null))
test: fmt-check vet
	@if [ -n "$(RACE)" ]; then echo "race detector: on"; \
	else echo "race detector: off ($(RACE_OFF))"; fi
	@if [ -n "$(PGBIN)" ]; then echo "PostgreSQL tests: on ($(PGBIN))"; \
	else echo "PostgreSQL tests: skipped (no PostgreSQL server installed: apt-get install postgresql)"; fi
	$(GO) test $(RACE) -count=1 -timeout 60m ./...

# Rehearse the whole job on sandboxes: nothing is bought. A dry run with
# mistakes, an order in a pseudo-terminal (plan, confirmation, progress bar)
# on a sandbox that drops answers, the re-run that recovers them, and the
# audit trail (scripts/demo.sh; its files land in $(DEMO)/).
demo: build
	@./scripts/demo.sh $(DEMO)

# Micro-benchmarks and the scale harness (writes BENCHMARKS.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench

clean:
	rm -rf certbatch $(DEMO)
