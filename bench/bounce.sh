#!/bin/sh
# Benchmark `dnsblaudit bounce` on the whole sisimai set (623 real
# bounces: ../shared/bounces/sisimai-set-of-emails beside the checkout).
#
# 1. Wall and CPU time of the command itself, text and JSON output, over
#    ROUNDS runs, with PASS/FAIL against the target: the whole set in
#    under a second (worst run).
# 2. The ratio to a reference in the same process: BenchmarkWholeSet
#    (read, parse, classify) against BenchmarkWholeSetReference (the same
#    files read and their headers parsed by net/mail, the least any
#    reader of bounces must do), -count 5, medians.
#
#   bench/bounce.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
dir=../shared/bounces/sisimai-set-of-emails
rounds=${1:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
go build -o "$out/dnsblaudit" ./cmd/dnsblaudit

# seconds CMD...: "wall cpu" of one run (GNU time); the command's exit
# status 2 (blocklistings found) is a result, not a failure.
seconds() {
	/usr/bin/time -f '%e %U %S' -o "$out/t" "$@" >/dev/null 2>&1 || true
	# GNU time puts "Command exited with non-zero status" first.
	tail -n 1 "$out/t" | awk '{printf "%.2f %.2f\n", $1, $2 + $3}'
}

mid=$(((rounds + 1) / 2))
: >"$out/runs"
i=0
while [ "$i" -lt "$rounds" ]; do
	echo "$(seconds "$out/dnsblaudit" bounce "$dir") $(seconds "$out/dnsblaudit" --format json bounce "$dir")" >>"$out/runs"
	i=$((i + 1))
done
awk '{printf "run %d: text %ss (cpu %ss), json %ss (cpu %ss)\n", NR, $1, $2, $3, $4}' "$out/runs"
worst=$(awk '{print ($1 > $3 ? $1 : $3)}' "$out/runs" | sort -n | tail -n 1)
median=$(awk '{print $1}' "$out/runs" | sort -n | sed -n "${mid}p")
echo "bounce text: median ${median}s, worst run (text or json) ${worst}s"
if awk -v w="$worst" 'BEGIN { exit !(w < 1.0) }'; then
	echo "PASS: the whole set in under a second"
else
	echo "FAIL: a run took a second or more"
fi
"$out/dnsblaudit" --format json bounce "$dir" >"$out/report.json" || true
awk '/"messages"|"no_failure"/ { gsub(/[ ",]/, ""); printf "%s  ", $0 } /"blocklisted": true/ { n++ } END { printf "blocklisted failures: %d\n", n }' "$out/report.json"

go test -run '^$' -bench 'WholeSet' -count 5 ./bounce >"$out/bench"
awk '/^BenchmarkWholeSet-/ { print $3 }' "$out/bench" | sort -n | sed -n 3p >"$out/full"
awk '/^BenchmarkWholeSetReference-/ { print $3 }' "$out/bench" | sort -n | sed -n 3p >"$out/ref"
awk -v f="$(cat "$out/full")" -v r="$(cat "$out/ref")" 'BEGIN {
	printf "in process (median of 5): read+parse+classify %.1f ms, reference (read + net/mail) %.1f ms, ratio %.1fx\n", f / 1e6, r / 1e6, f / r }'
