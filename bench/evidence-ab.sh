#!/bin/sh
# Alternating runs of two dnsblaudit binaries on the same log, to compare
# one optimisation step with the tree before it under the same load:
#
#   bench/evidence-ab.sh OLD_BINARY NEW_BINARY [PAIRS] [LOG]
#
# (default 6 pairs, the 600 MB log that bench/evidence.sh generates).
# Prints each run's wall and user+system CPU seconds and peak RSS, then
# the sorted CPU and wall times per binary, and the load average before
# and after: on a shared machine compare medians and best times, and
# repeat in the other order.
# Needs: GNU time (/usr/bin/time).
set -eu

OLD=$1
NEW=$2
PAIRS=${3:-6}
LOG=${4:-${TMPDIR:-/tmp}/dnsblaudit-evidence-bench/maillog-600m}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "log $LOG, load $(cut -d' ' -f1-3 /proc/loadavg) before"
i=0
while [ "$i" -lt "$PAIRS" ]; do
	for bin in old new; do
		eval "path=\$$(echo "$bin" | tr a-z A-Z)"
		/usr/bin/time -f "%e %U %S %M" -o "$OUT/time" "$path" evidence scan --domain victim.example "$LOG" > "$OUT/report"
		read -r w u s rss < "$OUT/time"
		echo "$bin $w $(awk "BEGIN { print $u + $s }") $rss" | tee -a "$OUT/runs"
	done
	i=$((i + 1))
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg) after"
for bin in old new; do
	echo "$bin cpu: $(awk -v b="$bin" '$1 == b { print $3 }' "$OUT/runs" | sort -n | tr '\n' ' ')"
	echo "$bin wall: $(awk -v b="$bin" '$1 == b { print $2 }' "$OUT/runs" | sort -n | tr '\n' ' ')"
done
