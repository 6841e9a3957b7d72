# NeuStart Familienportal — the two commands are `make run` and `make test`.
# Everything else here is a step they use, or a tool for developers.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORTAL_ENV ?= development
LOCALES := de en ar uk ru tr fa
# Languages that address a young person otherwise than an adult ("du", "ты", "ти", "sen", "تو")
# have a youth catalog, translations/<lang>/LC_MESSAGES/youth.po (see README "Languages").

# What the tests need from Debian besides Python: the browser, its driver, fonts for
# Arabic, Persian and Cyrillic, openssl for the production test's certificate, and a
# Java runtime for the W3C HTML checker.
TEST_PACKAGES := chromium chromium-driver fonts-noto-core fonts-dejavu-core openssl default-jre-headless
PYTEST_ARGS ?=
# The W3C Nu Html Checker (vnu.jar), from its npm package; tests/test_html_validates.py runs it.
VNU_VERSION := 26.9.27
export VNU_JAR := $(abspath $(VENV))/vnu-$(VNU_VERSION).jar

.PHONY: run test venv catalogs extract update-catalogs compile-catalogs migrate migration \
        browser-deps bench clean demo-code

run: venv compile-catalogs migrate ## set up everything and serve the portal with demo data and the notification worker
	@$(BIN)/flask --app wsgi demo --if-empty
	@$(BIN)/flask --app wsgi sign-ins
	@test -f instance/vapid.env || $(BIN)/flask --app wsgi vapid-keys > instance/vapid.env
	@$(BIN)/flask --app wsgi mail-info
	@echo "Serving on http://127.0.0.1:$(PORT)/  (family: /login, staff: /staff/login); notification worker beside it"
	@set -a; . instance/vapid.env; set +a; \
	  $(BIN)/flask --app wsgi worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

STAFF ?= demo.caseworker
demo-code: ## the current second-factor code of a demo staff account: make demo-code STAFF=demo.lead
	@$(BIN)/flask --app wsgi demo-code $(STAFF)

test: venv compile-catalogs browser-deps $(VNU_JAR) ## the whole suite (TEST_DATABASE_URL selects PostgreSQL)
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VNU_JAR): | venv
	@command -v npm >/dev/null || { echo "The HTML checker comes from the npm registry: install Node.js with npm first"; exit 1; }
	@tmp=$$(mktemp -d) && npm pack --silent --pack-destination $$tmp vnu-jar@$(VNU_VERSION) >/dev/null \
		&& tar -xzf $$tmp/vnu-jar-$(VNU_VERSION).tgz -C $$tmp && cp $$tmp/package/build/dist/vnu.jar $@ && rm -rf $$tmp

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: venv ## bring the database (DATABASE_URL, default instance/) to the newest schema
	@mkdir -p instance
	@$(BIN)/alembic upgrade head

migration: venv ## write a new migration from model changes: make migration m="what changed"
	@$(BIN)/alembic revision --autogenerate -m "$(m)"

# --- translations: extract → update → (translate) → compile --------------------------
extract: venv
	@$(BIN)/pybabel -q extract -F translations/babel.cfg -k _l -k lazy_pgettext:1c,2 --add-comments=i18n: \
		--add-location=file --sort-by-file --omit-header --no-wrap -o translations/messages.pot .

update-catalogs: extract
	@for l in $(LOCALES); do \
		test -f translations/$$l/LC_MESSAGES/messages.po || \
			$(BIN)/pybabel -q init -i translations/messages.pot -d translations -l $$l --no-wrap; \
		$(BIN)/pybabel -q update -i translations/messages.pot -d translations -l $$l --ignore-obsolete --no-fuzzy-matching --no-wrap; \
	done
	@$(BIN)/python -m portal.catalogs translations  # youth.po: only what is worded otherwise

compile-catalogs: venv
	@$(BIN)/pybabel -q compile -d translations -D messages
	@$(BIN)/pybabel -q compile -d translations -D youth

catalogs: update-catalogs compile-catalogs

# $(call debian-packages,PACKAGES,WHAT): as root install the missing ones, else say how and stop.
define debian-packages
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages for $(2):" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Debian packages for $(2) are missing. Run:"; \
			echo "  sudo apt-get install -y" $$missing; \
			exit 1; \
		fi; \
	fi
endef

browser-deps: ## the Debian packages the tests need (installs them as root, else says how)
	$(call debian-packages,$(TEST_PACKAGES),the tests)

# make bench [BENCH_DATABASE_URL=postgresql+psycopg://…/own_db] [BENCH_PORT=8471] [BENCH_CASES=400]
bench: venv compile-catalogs ## the portal under gunicorn against bare Flask, with wrk (see README "Performance")
	$(call debian-packages,wrk,make bench)
	@$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) instance/*.sqlite3 translations/*/LC_MESSAGES/*.mo
