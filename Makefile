# Development tasks. `make help` lists them. CI runs .ci/run.
.DEFAULT_GOAL := help
GO      ?= go
BIN     ?= bin/notes
PKGS    ?= ./...

.PHONY: help
help: ## list the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z][a-zA-Z_-]*:.*## /{printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: css ## regenerate templ components, CSS and the vendored htmx
	$(GO) tool templ generate

.PHONY: css
css: node_modules ## build static/css/app.css and copy htmx from node_modules
	npm run --silent build

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

.PHONY: build
build: ## build the binary into bin/notes
	$(GO) build -o $(BIN) ./cmd/notes

.PHONY: run
run: ## run the app in standalone mode on 127.0.0.1:8080
	$(GO) run ./cmd/notes

.PHONY: test
test: ## the README's test command
	$(GO) test $(PKGS)

.PHONY: e2e
e2e: ## browser and whole-binary tests only (needs chromium)
	$(GO) test -count=1 -run 'Browser|Binary' ./cmd/notes/...

.PHONY: soak
soak: ## reliability suite: the real binary under load, faults and crashes (docs/reliability.md)
	$(GO) test -tags soak -count=1 -timeout 20m -v ./soak/

.PHONY: bench
bench: ## benchmarks (engine vs hand-written SQL, whole stack)
	$(GO) test -run '^$$' -bench . -benchmem ./backend/... ./cmd/notes/...

.PHONY: lint
lint: ## gofmt, go vet and the dependency-direction test
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -run TestDependencyDirection ./internal/archtest

.PHONY: check
check: generate lint ## what CI checks: generated files current, lint, race tests
	git diff --exit-code
	$(GO) test -race $(PKGS)
