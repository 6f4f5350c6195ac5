#!/bin/sh
# Benchmark `dnsblaudit check` against dnsperf on one rbldnsd: the same
# 4096 addresses (198.18.0.0/20) x 10 lists, 40,960 A queries. Prints each
# run, the ratio of our wall time to the run time dnsperf reports, our peak
# RSS, and PASS/FAIL against the targets (within 2x, under 150 MiB, every
# check a definite and correct verdict). Needs the Debian packages rbldnsd
# and dnsperf. Extra arguments go to checkbench (e.g. -runs 5).
#
#   bench/check.sh
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
go build -o "$out/dnsblaudit" ./cmd/dnsblaudit
go build -o "$out/checkbench" ./bench/checkbench
"$out/checkbench" -dnsblaudit "$out/dnsblaudit" "$@"
