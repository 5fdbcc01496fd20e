# Roster. `make dev` runs the whole product locally; `make test` checks all of it.
# Every step a fresh machine needs is here (npm installs, builds), so the two
# commands work on a clean checkout; see README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
FUNCTIONS := $(notdir $(wildcard functions/*))
BUILD     := .build
# Deployable Lambda binaries: linux/arm64, stripped, no RPC shim.
LAMBDA_FLAGS := -trimpath -tags lambda.norpc -ldflags='-s -w -buildid='
# The same functions for this machine's CPU, run by the local gateway.
HOST_ARCH := $(shell $(GO) env GOARCH)
BOOTSTRAP_MAX_BYTES := 10000000

# make dev settings (see README).
PORT          ?= 3000
DYNAMODB_PORT ?= 8000
SES_PORT      ?= 8005
PERSIST       ?= 0
CONTRACT      ?= 0
CATALOG       ?=
PROCESSES     ?= 10

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# ---- dependencies -----------------------------------------------------------

infra/node_modules/.installed: infra/package.json infra/package-lock.json
	cd infra && npm ci --no-audit --no-fund --loglevel=error
	@# A go.mod makes node_modules a module of its own, so ./... skips the Go
	@# files some npm packages ship (the CDK CLI's init templates).
	echo 'module ignore_node_modules' > infra/node_modules/go.mod
	touch $@

site/node_modules/.installed: site/package.json site/package-lock.json
	cd site && npm ci --no-audit --no-fund --loglevel=error
	echo 'module ignore_node_modules' > site/node_modules/go.mod
	touch $@

.PHONY: deps
deps: infra/node_modules/.installed site/node_modules/.installed ## Install the npm tools (DynamoDB Local, local SES, CDK CLI, Vite).
	$(GO) mod download

# ---- build -------------------------------------------------------------------

.PHONY: build
build: lambdas host site ## Build every function (arm64 for Lambda, host CPU for the gateway) and the site.

# One go build for all functions shares the work across them; each binary
# then moves to <dir>/<function>/bootstrap, the layout Lambda and
# template.yaml's CodeUri expect.
.PHONY: lambdas
lambdas:
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(LAMBDA_FLAGS) -o $(BUILD)/out-arm64/ ./functions/...
	@for f in $(FUNCTIONS); do mkdir -p $(BUILD)/functions/$$f && mv -f $(BUILD)/out-arm64/$$f $(BUILD)/functions/$$f/bootstrap; done
	@# Each bootstrap stays within 10 MB (10,000,000 bytes): a bigger one is
	@# slower to start and usually links something it never calls.
	@big=$$(find $(BUILD)/functions -name bootstrap -size +$(BOOTSTRAP_MAX_BYTES)c -printf '%s %p\n'); \
	  if [ -n "$$big" ]; then echo "bootstraps over $(BOOTSTRAP_MAX_BYTES) bytes:"; echo "$$big"; exit 1; fi

.PHONY: host
host:
	CGO_ENABLED=0 $(GO) build $(LAMBDA_FLAGS) -o $(BUILD)/out-host/ ./functions/...
	@for f in $(FUNCTIONS); do mkdir -p $(BUILD)/host/$$f && mv -f $(BUILD)/out-host/$$f $(BUILD)/host/$$f/bootstrap; done
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BUILD)/bin/ ./infra/local/cmd/roster-local ./infra/local/cmd/roster-seed

.PHONY: site
site: site/node_modules/.installed
	cd site && npm run --silent build

# ---- generated ----------------------------------------------------------------

.PHONY: template
template: ## Write the generated files: template.yaml and functions/*/main.go (shared/deploy, shared/store) and the OpenAPI document (shared/contract).
	$(GO) run ./infra/local/cmd/roster-template

# ---- run ---------------------------------------------------------------------

.PHONY: dev
dev: infra/node_modules/.installed build ## Run Roster locally on http://localhost:$(PORT) (Ctrl-C stops everything).
	$(BUILD)/bin/roster-local -port $(PORT) -dynamodb-port $(DYNAMODB_PORT) -ses-port $(SES_PORT) \
	  $(if $(filter 1 true yes,$(PERSIST)),-persist .local/dynamodb,) \
	  $(if $(filter 1 true yes,$(CONTRACT)),-contract,) \
	  $(if $(CATALOG),-catalog $(CATALOG),) \
	  -function-processes $(PROCESSES)

# ---- test --------------------------------------------------------------------

.PHONY: test
test: infra/node_modules/.installed build ## vet, Go tests (race) against DynamoDB Local and local SES, CDK synth and assertions, cfn-lint, site tests.
	$(GO) vet ./...
	$(BUILD)/bin/roster-local -standins-only -quiet -dynamodb-port 0 -ses-port 0 -env-file $(BUILD)/standins.env & echo $$! > $(BUILD)/standins.pid; \
	  trap 'kill $$(cat $(BUILD)/standins.pid) 2>/dev/null || true' EXIT; \
	  for i in $$(seq 1 300); do [ -s $(BUILD)/standins.env ] && break; sleep 0.1; done; \
	  set -a; . $(BUILD)/standins.env; set +a; \
	  $(GO) test -race -count=1 $$($(GO) list ./... | grep -v /infra/cdk); \
	  $(GO) test -count=1 ./infra/cdk/...
	$(MAKE) --no-print-directory lint-templates
	cd site && npm run -s lint:api && npm test

# ---- fuzz --------------------------------------------------------------------

# Every decoder of outside input: request bodies, session cookies and
# tokens, names and emails, the cursors, SES's SNS events and stream records.
FUZZTIME     ?= 30s
FUZZ_TARGETS := shared/api:FuzzDecode shared/auth:FuzzSessionToken shared/auth:FuzzParseToken \
  shared/domain:FuzzNormalizeName shared/domain:FuzzNormalizeEmail shared/members:FuzzCursor \
  shared/projects:FuzzCursor shared/history:FuzzCursor shared/store:FuzzPendingCursor \
  shared/invitehttp:FuzzSESEvent shared/invitehttp:FuzzStreamRecord

.PHONY: fuzz
fuzz: ## Fuzz every decoder of outside input for FUZZTIME each (make test runs their corpora); a failing input lands in testdata/fuzz: fix it and commit it.
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; echo "== $$pkg $$fn ($(FUZZTIME))"; \
	  $(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$(FUZZTIME) ./$$pkg || exit 1; done

.PHONY: lint-templates
lint-templates: synth
	cfn-lint template.yaml
	cfn-lint infra/cdk/cdk.out/*.template.json

# ---- measure -------------------------------------------------------------------

.PHONY: bench
bench: infra/node_modules/.installed build ## One table: gateway against direct invocation, ready times, items read against returned at 100/1k/10k members, export time and memory, sizes (a few minutes).
	$(GO) run ./infra/local/cmd/roster-bench $(BENCH_FLAGS)

site/perf/node_modules/.installed: site/perf/package.json site/perf/package-lock.json
	cd site/perf && npm ci --no-audit --no-fund --loglevel=error
	echo 'module ignore_node_modules' > site/perf/node_modules/go.mod
	touch $@

.PHONY: lighthouse
lighthouse: site/perf/node_modules/.installed build ## Lighthouse (mobile) on the sign-in page and a 10,000-member account's members page, as make dev serves them.
	cd site && node perf/lighthouse.mjs

# ---- deploy --------------------------------------------------------------------

CDK := cd infra/cdk && ../node_modules/.bin/cdk

.PHONY: synth
synth: infra/node_modules/.installed lambdas site ## Synthesize the CDK stack offline into infra/cdk/cdk.out.
	$(CDK) synth --quiet

# Deployment settings, all optional but MAIL_FROM (README: Deploying).
DEPLOY_CONTEXT = $(if $(STAGE),-c stage=$(STAGE),) $(if $(SITE_URL),-c siteUrl=$(SITE_URL),) \
  $(if $(CERTIFICATE_ARN),-c certificateArn=$(CERTIFICATE_ARN),) $(if $(MAIL_FROM),-c mailFrom=$(MAIL_FROM),) \
  $(if $(MAIL_DOMAIN),-c mailDomain=$(MAIL_DOMAIN),) \
  $(if $(HISTORY_RETENTION_DAYS),-c historyRetentionDays=$(HISTORY_RETENTION_DAYS),) \
  $(if $(SIGNING_KEYS),-c signingKeys=$(SIGNING_KEYS),) $(if $(TOKEN_AUDIENCE),-c tokenAudience=$(TOKEN_AUDIENCE),) \
  $(if $(EVENT_BUS),-c eventBusName=$(EVENT_BUS),) $(if $(ALARM_EMAIL),-c alarmEmail=$(ALARM_EMAIL),) \
  $(if $(WAF),-c waf=$(WAF),)

# The pinned CDK CLI supports Node 22 and 24 (it warns on 20, which CI's
# offline synth tolerates); talking to AWS wants a supported one.
define need_node
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' || \
	  { echo "make $@: the pinned AWS CDK CLI needs Node.js 22 or 24 (this is $$(node --version))." >&2; exit 2; }
endef

.PHONY: bootstrap
bootstrap: infra/node_modules/.installed ## Once per AWS account and region before the first deploy: cdk bootstrap of every environment the app deploys to (us-east-1 too with WAF=1).
	$(need_node)
	$(CDK) bootstrap $(DEPLOY_CONTEXT)

.PHONY: deploy
deploy: ## Deploy with CDK: make deploy MAIL_FROM=... [STAGE=] [SITE_URL= CERTIFICATE_ARN=] [MAIL_DOMAIN=] [ALARM_EMAIL=] [WAF=1] [HISTORY_RETENTION_DAYS=] [SIGNING_KEYS=] [TOKEN_AUDIENCE=] [EVENT_BUS=]
	@test -n "$(MAIL_FROM)" || { echo "make deploy: set MAIL_FROM to the address Roster's emails come from (an SES verified identity, or one at MAIL_DOMAIN). See README: Deploying." >&2; exit 2; }
	@test -z "$(CERTIFICATE_ARN)" || test -n "$(SITE_URL)" || { echo "make deploy: CERTIFICATE_ARN needs SITE_URL (https://your.domain)." >&2; exit 2; }
	$(need_node)
	$(MAKE) --no-print-directory infra/node_modules/.installed lambdas site
	$(CDK) deploy --all --require-approval broadening $(DEPLOY_CONTEXT)

.PHONY: destroy
destroy: ## Delete the stack (STAGE=... for a stage's); the table and the site bucket are kept (README: what destroy keeps).
	$(need_node)
	$(CDK) destroy --all $(DEPLOY_CONTEXT)

.PHONY: clean
clean:
	rm -rf $(BUILD) site/dist infra/cdk/cdk.out
