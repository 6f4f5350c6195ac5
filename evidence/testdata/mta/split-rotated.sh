#!/bin/bash
# split-rotated.sh — derive rotated10/ from postfix-innocent.log: the log cut
# into eleven files as Debian's logrotate leaves them with "rotate 10" and
# "delaycompress": maillog (newest), maillog.1, then maillog.2.gz ...
# maillog.10.gz (oldest), so that a reader must order them by number (not
# as strings: "maillog.10" sorts before "maillog.2") and read gzip.
#
# Cuts: the first one after the random-local-part RCPT of the first callout
# (kvarnhelm@victim.test), inside that session; the other nine split the
# rest into near-equal parts, wherever they fall (most inside sessions).
# `zcat -f` of the files from maillog.10.gz down to maillog gives
# postfix-innocent.log byte for byte. gzip -n: no name or time stamp in the
# .gz files, so a re-run gives the same bytes.
#
# Usage: evidence/testdata/mta/split-rotated.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
src=$HERE/postfix-innocent.log
out=$HERE/rotated10
rm -rf "$out"
mkdir -p "$out"

total=$(wc -l <"$src")
first=$(grep -n 'to=<mx42.prober.test-[0-9]*-testing@victim.test>' "$src" | head -n1 | cut -d: -f1)
[ -n "$first" ] || { echo "split-rotated.sh: first callout not found" >&2; exit 1; }

# cuts[i] = last line of the file numbered 10-i (i = 0 .. 10).
cuts=("$first")
rest=$((total - first))
for i in $(seq 1 9); do cuts+=($((first + rest * i / 10))); done
cuts+=("$total")

start=1
for i in $(seq 0 10); do
	n=$((10 - i))
	end=${cuts[$i]}
	name=maillog
	[ "$n" -gt 0 ] && name=maillog.$n
	sed -n "${start},${end}p" "$src" >"$out/$name"
	[ "$n" -ge 2 ] && gzip -n "$out/$name"
	start=$((end + 1))
done

# Check: the pieces, oldest first, are the source.
cmp <(for n in 10 9 8 7 6 5 4 3 2 1; do
	f=$out/maillog.$n
	[ -e "$f.gz" ] && f=$f.gz
	zcat -f "$f"
done; cat "$out/maillog") "$src"
echo "split-rotated.sh: rotated10/ cut at lines ${cuts[*]} of $total"
