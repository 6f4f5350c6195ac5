#!/bin/sh
# Callout storm: `dnsblaudit evidence scan` on 1M lines holding 250,000
# Exim random-local-part callouts from 256 hosts (bench/callout-storm).
# Prints wall and CPU time, peak RSS and JSON size against
# `grep -cE 'from=<>|-testing@'` (output to a file: GNU grep stops at the
# first match when writing to /dev/null), and checks every prober's
# probe_count against the generator's exact counts.
# Targets (issue 11): peak RSS <= 150 MB, JSON <= 20 MB, exact
# probe_count, wall <= 10x grep.
#
#   bench/evidence-storm.sh [RUNS]      (default 3; best wall and CPU)
set -eu
RUNS=${1:-3}
DIR=${TMPDIR:-/tmp}/dnsblaudit-storm-bench
cd "$(dirname "$0")/.."
mkdir -p "$DIR"
go build -o "$DIR/callout-storm" ./bench/callout-storm
go build -o "$DIR/dnsblaudit" ./cmd/dnsblaudit
[ -s "$DIR/storm.log" ] || "$DIR/callout-storm" -o "$DIR/storm.log" -counts "$DIR/storm.counts"
cat "$DIR/storm.log" > /dev/null

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
gw="" gc="" sw="" sc="" rss=0
i=0
while [ "$i" -lt "$RUNS" ]; do
	/usr/bin/time -f "%e %U %S %M" -o "$DIR/t" grep -cE 'from=<>|-testing@' "$DIR/storm.log" > "$DIR/grep.out"
	read -r w u s m < "$DIR/t"; gw=$(best "$w" "$gw"); gc=$(best "$(awk "BEGIN{print $u+$s}")" "$gc")
	/usr/bin/time -f "%e %U %S %M" -o "$DIR/t" "$DIR/dnsblaudit" --format json evidence scan --domain victim.example "$DIR/storm.log" > "$DIR/report.json"
	read -r w u s m < "$DIR/t"; sw=$(best "$w" "$sw"); sc=$(best "$(awk "BEGIN{print $u+$s}")" "$sc")
	[ "$m" -gt "$rss" ] && rss=$m
	i=$((i + 1))
done
# Exact counts: every generated prober with its count, and no other.
python3 - "$DIR/report.json" "$DIR/storm.counts" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
got = {p["ip"]: p["probe_count"] for p in rep["probers"]}
want = dict((l.split()[0], int(l.split()[1])) for l in open(sys.argv[2]))
bad = {ip: (got.get(ip), want.get(ip)) for ip in set(got) | set(want) if got.get(ip) != want.get(ip)}
print("probe_count: %d probers, %d probes, %s" % (len(got), sum(got.values()), "exact" if not bad else "WRONG %r" % list(bad.items())[:5]))
sys.exit(1 if bad else 0)
PY
echo "input: $DIR/storm.log ($(du -m "$DIR/storm.log" | cut -f1) MiB, $(wc -l < "$DIR/storm.log") lines), $(nproc) cores, best of $RUNS, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "grep -cE 'from=<>|-testing@'   wall %ss  cpu %ss\n" "$gw" "$gc"
printf "dnsblaudit evidence scan        wall %ss  cpu %ss  wall ratio %sx (target <= 10)  peak RSS %s MB (target <= 150)  JSON %s bytes (target <= 20 MB)\n" \
	"$sw" "$sc" "$(awk "BEGIN{printf \"%.2f\", $sw/$gw}")" $((rss / 1024)) "$(wc -c < "$DIR/report.json")"
