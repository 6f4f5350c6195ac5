#!/bin/sh
# Benchmark of `dnsblaudit evidence scan` against grep and zcat on the same
# generated Postfix maillog (see bench/evidence-gen). Prints wall times,
# ratios and peak RSS; figures go to BENCHMARKS.md with this command line
# and the load average it prints.
#
#   bench/evidence.sh [SIZE_MB] [RUNS]     (default 600 MB, best of 3)
#
# Targets (issue 4): scan <= 1.5x `grep -cE 'from=<>|-testing@'` wall time,
# gzip input <= 1.3x `zcat | wc -l`, peak RSS < 100 MB whatever the size.
# Generated files go to $TMPDIR (default /tmp), never into the repository.
# Needs: go, GNU grep, gzip, GNU time (/usr/bin/time).
set -eu

SIZE_MB=${1:-600}
RUNS=${2:-3}
DIR=${TMPDIR:-/tmp}/dnsblaudit-evidence-bench
LOG=$DIR/maillog-${SIZE_MB}m
cd "$(dirname "$0")/.."
mkdir -p "$DIR"

command -v /usr/bin/time >/dev/null || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

go build -o "$DIR/evidence-gen" ./bench/evidence-gen
go build -o "$DIR/dnsblaudit" ./cmd/dnsblaudit
[ -s "$LOG" ] || "$DIR/evidence-gen" -size $((SIZE_MB * 1000000)) -o "$LOG"
[ -s "$LOG.gz" ] || gzip -c "$LOG" > "$LOG.gz"
cat "$LOG" "$LOG.gz" > /dev/null # page cache warm for every contender

# once NAME CMD...: runs CMD once and keeps, per NAME, the best wall
# seconds, the best user+system CPU seconds and the largest peak RSS (KB),
# in NAME_w, NAME_c, NAME_rss; NAME_last is this run's wall time. On a
# shared machine wall times swing with other load; CPU time shows the work.
once() {
	name=$1
	shift
	# Output to a file, not /dev/null: GNU grep stops at the first match
	# when its output is /dev/null.
	/usr/bin/time -f "%e %U %S %M" -o "$DIR/time.out" "$@" > "$DIR/cmd.out"
	read -r w u s rss < "$DIR/time.out"
	cpu=$(awk "BEGIN { print $u + $s }")
	eval "b=\${${name}_w:-} c=\${${name}_c:-} m=\${${name}_rss:-0}"
	if [ -z "$b" ] || awk "BEGIN { exit !($w < $b) }"; then b=$w; fi
	if [ -z "$c" ] || awk "BEGIN { exit !($cpu < $c) }"; then c=$cpu; fi
	if [ "$rss" -gt "$m" ]; then m=$rss; fi
	eval "${name}_w=$b ${name}_c=$c ${name}_rss=$m ${name}_last=$w"
}

ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }

# median LIST: the median of whitespace-separated numbers.
median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Each round runs the reference and the scan back to back, so both see the
# same load; besides the ratio of the best times, the median of the
# rounds' ratios is printed (less disturbed when the load changes between
# rounds).
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pair="" gzpair=""
i=0
while [ "$i" -lt "$RUNS" ]; do
	once grep grep -cE 'from=<>|-testing@' "$LOG"
	once scan "$DIR/dnsblaudit" evidence scan --domain victim.example "$LOG"
	pair="$pair $(ratio "$scan_last" "$grep_last")"
	once zcat sh -c "zcat '$LOG.gz' | wc -l"
	once gz "$DIR/dnsblaudit" evidence scan --domain victim.example "$LOG.gz"
	gzpair="$gzpair $(ratio "$gz_last" "$zcat_last")"
	i=$((i + 1))
done

lines=$(wc -l < "$LOG")
echo "input: $LOG ($(du -m "$LOG" | cut -f1) MiB, $lines lines; gzip $(du -m "$LOG.gz" | cut -f1) MiB), $(nproc) cores, best of $RUNS, load $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
printf '%-34s wall %6ss  cpu %6ss\n' "grep -cE 'from=<>|-testing@'" "$grep_w" "$grep_c"
printf '%-34s wall %6ss  cpu %6ss  wall ratio %sx (target <= 1.5, median round %sx)  cpu ratio %sx  peak RSS %s MB\n' \
	"dnsblaudit evidence scan" "$scan_w" "$scan_c" "$(ratio "$scan_w" "$grep_w")" "$(median "$pair")" "$(ratio "$scan_c" "$grep_c")" $((scan_rss / 1024))
printf '%-34s wall %6ss  cpu %6ss\n' "zcat | wc -l" "$zcat_w" "$zcat_c"
printf '%-34s wall %6ss  cpu %6ss  wall ratio %sx (target <= 1.3, median round %sx)  cpu ratio %sx  peak RSS %s MB\n' \
	"dnsblaudit evidence scan (gzip)" "$gz_w" "$gz_c" "$(ratio "$gz_w" "$zcat_w")" "$(median "$gzpair")" "$(ratio "$gz_c" "$zcat_c")" $((gz_rss / 1024))
