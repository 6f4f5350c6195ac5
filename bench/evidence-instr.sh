#!/bin/sh
# Instructions executed by `dnsblaudit evidence scan`, counted by
# valgrind's callgrind, for one binary or two (OLD and NEW) on the same
# log, with the ratio NEW/OLD. Wall and CPU times on a shared machine
# swing by 15-50 % from run to run; the instruction count of the same
# binary on the same log repeats to 0.05 %, so it is how one step of an
# optimisation is judged before the timed runs (bench/evidence.sh,
# bench/evidence-ab.sh) confirm it. It is not time: cache misses, the
# kernel's read copies and parallelism are not counted.
#
#   bench/evidence-instr.sh OLD_BINARY [NEW_BINARY] [LOG]
#
# LOG defaults to a generated 20 MB maillog under $TMPDIR (about 25 s a
# binary under valgrind). GOMAXPROCS=1 and GOGC=off keep the count
# repeatable (no scheduler spinning, no collector); asynchronous
# preemption is off because its signals upset callgrind.
# Needs: valgrind (Debian package valgrind), go.
set -eu

OLD=$1
NEW=${2:-}
DIR=${TMPDIR:-/tmp}/dnsblaudit-evidence-bench
LOG=${3:-$DIR/maillog-20m}
cd "$(dirname "$0")/.."
mkdir -p "$DIR"
command -v valgrind >/dev/null || { echo "bench: valgrind is needed (apt-get install -y valgrind)" >&2; exit 1; }
if [ ! -s "$LOG" ]; then
	go build -o "$DIR/evidence-gen" ./bench/evidence-gen
	"$DIR/evidence-gen" -size 20000000 -o "$LOG"
fi

count() {
	GOMAXPROCS=1 GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
		--callgrind-out-file=/dev/null "$1" evidence scan --domain victim.example "$LOG" 2>&1 >/dev/null |
		sed -n 's/.*refs: *//p' | tr -d ,
}

old=$(count "$OLD")
echo "$OLD: $old instructions ($LOG)"
if [ -n "$NEW" ]; then
	new=$(count "$NEW")
	echo "$NEW: $new instructions, $(awk "BEGIN { printf \"%.3f\", $new / $old }")x of $OLD"
fi
