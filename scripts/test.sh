#!/usr/bin/env bash
# The whole test suite: formatting, vet, staticcheck and the race-enabled
# tests of every package. Installs the programs the tests drive (a real
# rbldnsd, Chromium, an SMTP server, promtool) when run as root and they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: real servers, not mocks.
packages=(rbldnsd chromium python3-aiosmtpd prometheus)

missing=()
command -v rbldnsd >/dev/null 2>&1 || missing+=(rbldnsd)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Debian's python3, not whatever python3 comes first on PATH: the SMTP test
# server is Debian's package.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing: ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "note: missing ${missing[*]} (of ${packages[*]}); the tests that need them will skip" >&2
	fi
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
staticcheck=$(go env GOPATH)/bin/staticcheck
if ! "$staticcheck" -version 2>/dev/null | grep -q '(0.8.2)'; then
	go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
"$staticcheck" ./...

echo "== go test -race"
go test -race -count=1 -timeout 30m ./...
