# Canvass. `make run` starts the service on the embedded database; `make test`
# runs every test. See README.md.

GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Budgets are execution counts, not durations: a duration races Go's fuzz
# coordinator at its deadline and fails with "context deadline exceeded" and no
# crasher on a loaded machine (golang/go#75804).
FUZZTIME    ?= 100000x
# New corpus entries are minimized for at most this many runs, so a slow parser keeps fuzzing.
FUZZMINIMIZE ?= 1000x

.PHONY: run test lint bench bench-embed fuzz load build clean

## run: start the service on :8080 with the embedded database in ./data
run:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/canvass serve

## test: every test, with the race detector (the web package alone runs for minutes on a
## loaded 2-core machine, past go test's 10-minute default)
test:
	$(GO) test -race -count=1 -timeout 30m ./...

## lint: go vet, gofmt and staticcheck
lint:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

## bench: the benchmarks the issues ask for (a few minutes)
bench:
	$(GO) test -run '^$$' -bench Submissions -benchtime 10000x ./survey/web/
	$(GO) test -run '^$$' -bench AnalysisEndToEnd -benchtime 5x ./survey/web/
	$(GO) test -run '^$$' -bench ImpactReport -benchtime 5x ./analysis/
	$(GO) test -run '^$$' -bench SeriesExport -benchtime 2x ./export/
	$(GO) test -run '^$$' -bench RawExport -benchtime 1x ./export/
	$(GO) test -run '^$$' -bench 'Report(PDF|XLSX)' -benchtime 20x ./feedback/
	$(GO) test -run '^$$' -bench BuildAll -benchtime 3x ./feedback/
	$(GO) test -run '^$$' -bench ReportPage -benchtime 20x ./survey/web/

## bench-embed: counts.json under wrk against a bare gin handler in the same process (needs wrk)
bench-embed:
	bash bench/embed.sh

## fuzz: every fuzz target for FUZZTIME each; crashers land in testdata/fuzz (commit them)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseDefinition$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./survey/
	$(GO) test -run '^$$' -fuzz '^FuzzCheckAnswers$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./survey/
	$(GO) test -run '^$$' -fuzz '^FuzzFormAnswers$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./survey/
	$(GO) test -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./survey/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./survey/xlsform/
	$(GO) test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./directory/

## load: 5,000 simulated respondents at concurrency 64 against a fresh server; checks nothing is lost or doubled
load:
	RESPONDENTS=$${RESPONDENTS:-5000} CONCURRENCY=$${CONCURRENCY:-64} bash bench/load.sh

## build: a static binary in bin/, version stamped
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/canvass ./cmd/canvass

clean:
	rm -rf bin
