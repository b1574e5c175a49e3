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
test: fmt-check vet
	@if [ -n "$(RACE)" ]; then echo "race detector: on"; \
	else echo "race detector: off ($(RACE_OFF))"; fi
	$(GO) test $(RACE) -count=1 ./...

# Rehearse the whole job on the built-in sandbox: nothing is bought.
demo: build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "== 1. dry run of a file with mistakes (exit 3: some rows invalid)"
	-./certbatch validate samples/client-with-errors.csv --config samples/client.yaml -o $(DEMO)/errors.results.csv --quiet
	@echo
	@echo "== 2. order client certificates on the sandbox"
	./certbatch submit samples/client.csv --config samples/client.yaml --sandbox --yes --quiet \
		--state $(DEMO)/certbatch.db -o $(DEMO)/client.results.csv
	@echo
	@echo "== 3. order document signing certificates (from .xlsx) on the sandbox"
	./certbatch submit samples/document_signing.xlsx --config samples/document_signing.yaml --sandbox --yes --quiet \
		--state $(DEMO)/certbatch.db -o $(DEMO)/document_signing.results.xlsx
	@echo
	@echo "== 4. run the client file again: everyone already has an order, nothing is sent"
	./certbatch submit samples/client.csv --config samples/client.yaml --sandbox --yes --quiet \
		--state $(DEMO)/certbatch.db -o $(DEMO)/client.rerun.results.csv
	@echo
	@echo "== 5. the results file of step 2 (order, request and certificate IDs per row)"
	./certbatch show $(DEMO)/client.results.csv
	@echo
	@echo "== 6. the audit trail"
	./certbatch history --state $(DEMO)/certbatch.db

# Micro-benchmarks and the scale harness (writes BENCHMARKS.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench

clean:
	rm -rf certbatch $(DEMO)
