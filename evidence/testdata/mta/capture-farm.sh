#!/bin/bash
# capture-farm.sh — fourth capture stage, two more shapes of real callouts:
#
# 1. postfix-farm.log: a filtering service's prober FARM — three Exim nodes
#    in one /24, one primary_hostname (mx42.farm.test, so one random local
#    part form) and a HELO per node (mx18-12.smtp.farm.test, ...), as in the
#    case the tool exists for. The victim greylists node .25 (access map);
#    the spam is retried through node .26, whose callout gets the answer. A
#    tool that groups retries only by exact IP sees three small probers
#    instead of one farm, and the greylisted first try alone.
# 2. postfix-yeargap.log: an MX and a prober whose clocks (libfaketime)
#    stand at 2026-01-12, then at 2026-08-14: one RFC 3164 log with a
#    seven-month forward gap. Its lines carry no year; the epoch in the
#    random local parts does (the prober's clock).
#
#   127.0.7.35  mx.victim6.test   Postfix, greylist access map -> postfix-farm.log
#   127.0.7.36  mx.victim7.test   Postfix, clock January then August -> postfix-yeargap.log
#   127.0.8.25  farm node, HELO mx18-12.smtp.farm.test  } Exim callout=random,
#   127.0.8.26  farm node, HELO mx18-14.smtp.farm.test  } primary_hostname
#   127.0.8.27  farm node, HELO mx19-3.smtp.farm.test   } mx42.farm.test
#   127.0.8.40  mx.prober7.test   Exim callout=random, clock with the year-gap MX
#   127.0.9.x   bots
#
# The year-gap instance's master(8) is started and stopped directly (not by
# `postfix start/stop`): postfix-script logs through the setgid postlog,
# which ignores LD_PRELOAD, so its lines would carry the real date.
#
# Usage (as root):  evidence/testdata/mta/capture-farm.sh
set -euo pipefail
SCRATCH=${SCRATCH:-/tmp/dnsblaudit-mta-farm}
. "$(dirname "$0")/capture-lib.sh"
stage_enter "$@"

add_addrs 127.0.7.35 127.0.7.36 127.0.8.25 127.0.8.26 127.0.8.27 127.0.8.40
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do add_addrs "127.0.9.$i"; done
SWAKS_LOG=$SCRATCH/swaks.log
: >"$SWAKS_LOG"

# ---- 1. the farm
start_postfix postfix-farm postfix-farm.cf master.cf
echo "127.0.8.25 450 4.7.1 Greylisted, try again later" >"$SCRATCH/postfix-farm/conf/greylist"
postmap -c "$SCRATCH/postfix-farm/conf" "$SCRATCH/postfix-farm/conf/greylist"
run_postfix postfix-farm
ROUTES="victim6.test 127.0.7.35 ; victim7.test 127.0.7.36"
for spec in "farm25 127.0.8.25 mx18-12.smtp.farm.test" "farm26 127.0.8.26 mx18-14.smtp.farm.test" \
	"farm27 127.0.8.27 mx19-3.smtp.farm.test"; do
	read -r n ip helo <<<"$spec"
	start_exim "exim-$n" exim-prober-routes.conf "" HOST=mx42.farm.test IP="$ip" DOMAIN=farm.test \
		USERS="fred" HELO="$helo" CALLOUT=callout=random ROUTES="$ROUTES"
done
for ip in 127.0.7.35 127.0.8.25 127.0.8.26 127.0.8.27; do wait_listen "$ip"; done
sleep 2

# F1. Spam through node .25: its callout is greylisted (450), the bot gets 451.
send 127.0.9.1 pc1.cable.spam.test 127.0.8.25 kpqowe@victim6.test fred@farm.test
# F2. The bot's retry lands on node .26: random part + kpqowe@, both 550.
send 127.0.9.1 pc1.cable.spam.test 127.0.8.26 kpqowe@victim6.test fred@farm.test
# The greylist lets .25 through from now on.
: >"$SCRATCH/postfix-farm/conf/greylist"
postmap -c "$SCRATCH/postfix-farm/conf" "$SCRATCH/postfix-farm/conf/greylist"
postfix -c "$SCRATCH/postfix-farm/conf" reload
sleep 2
# F3. More forged senders, spread over the three nodes (each node has its
#     own callout cache, so each asks the random part once).
send 127.0.9.2 pc2.cable.spam.test 127.0.8.25 wuvzab@victim6.test fred@farm.test
send 127.0.9.3 pc3.cable.spam.test 127.0.8.27 wuvzab@victim6.test fred@farm.test
send 127.0.9.4 pc4.cable.spam.test 127.0.8.26 hoxelm@victim6.test fred@farm.test
send 127.0.9.5 pc5.cable.spam.test 127.0.8.27 hoxelm@victim6.test fred@farm.test
send 127.0.9.6 pc6.cable.spam.test 127.0.8.25 alice@victim6.test fred@farm.test
send 127.0.9.7 pc7.cable.spam.test 127.0.8.27 jyrtew@victim6.test fred@farm.test

# ---- 2. the year gap
# One instance, started twice with a different faked clock; the prober too.
start_gap() { # faketime-offset
	local off=$1 d=$SCRATCH/postfix-yeargap/conf
	postconf -c "$d" -e "import_environment=MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_PRELOAD=$FAKETIME_LIB FAKETIME=$off FAKETIME_DONT_RESET=1"
	MAIL_CONFIG=$d LD_PRELOAD=$FAKETIME_LIB FAKETIME=$off FAKETIME_DONT_RESET=1 \
		/usr/lib/postfix/sbin/master -c "$d" -w
	start_exim exim-prober7 exim-prober-routes.conf "$off" HOST=mx.prober7.test IP=127.0.8.40 DOMAIN=prober7.test \
		USERS="gina" HELO=mx.prober7.test CALLOUT=callout=random ROUTES="$ROUTES"
	wait_listen 127.0.7.36
	wait_listen 127.0.8.40
	sleep 2
}
stop_gap() {
	local pid
	pid=$(tr -d ' \n' <"$SCRATCH/postfix-yeargap/queue/pid/master.pid")
	kill "$pid"
	kill "$(cat "$SCRATCH/exim-prober7/exim.pid")"
	sleep 3
	rm -rf "$SCRATCH/exim-prober7/spool/db"   # a new start, a cold callout cache
}
mkdir -p "$SCRATCH/postfix-yeargap"/{conf,queue,data}
{ render "$CONF/postfix-common.cf" NAME=postfix-yeargap; render "$CONF/postfix-yeargap.cf" NAME=postfix-yeargap; } \
	>"$SCRATCH/postfix-yeargap/conf/main.cf"
cp "$CONF/master.cf" "$SCRATCH/postfix-yeargap/conf/master.cf"
: >"$SCRATCH/postfix-yeargap/maillog"
postfix -c "$SCRATCH/postfix-yeargap/conf" set-permissions >/dev/null 2>&1 || true
postfix -c "$SCRATCH/postfix-yeargap/conf" check

now=$(date +%s)
JAN=$(($(date -d '2026-01-12 08:00:00 UTC' +%s) - now))
AUG=$(($(date -d '2026-08-14 09:30:00 UTC' +%s) - now))
# Y1. January: two forged senders probed.
start_gap "$JAN"
send 127.0.9.10 pc10.dsl.spam.test 127.0.8.40 qerwiu@victim7.test gina@prober7.test
send 127.0.9.11 pc11.dsl.spam.test 127.0.8.40 zmbvoa@victim7.test gina@prober7.test
stop_gap
# Y2. August: two more, and a delivery to an existing user.
start_gap "$AUG"
send 127.0.9.12 pc12.dsl.spam.test 127.0.8.40 lkjhyt@victim7.test gina@prober7.test
send 127.0.9.10 pc10.dsl.spam.test 127.0.8.40 bob@victim7.test gina@prober7.test
stop_gap

drain
stop_all
trap - EXIT

# ================================================================ collect
cp "$SCRATCH/postfix-farm/maillog" "$HERE/postfix-farm.log"
cp "$SCRATCH/postfix-yeargap/maillog" "$HERE/postfix-yeargap.log"
# exim-prober7's log is not kept: the delivery of the August spam to an
# existing user runs in a re-executed Exim that loses the faked clock, so
# its log ends with lines of the real date.
for n in exim-farm25 exim-farm26 exim-farm27; do cp "$SCRATCH/$n/log/mainlog" "$HERE/$n.log"; done
cp "$SWAKS_LOG" "$HERE/farm-transcripts.txt"
{
	echo "# Provenance of the fourth capture stage: a prober farm and a year gap"
	echo
	echo "Written by \`capture-farm.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC'). postfix-farm.log and the"
	echo "farm's Exim logs are in UTC, real time (Postfix lines carry no year: it is $(date -u +%Y))."
	echo "postfix-yeargap.log was written with faked clocks (the MX's and its prober's,"
	echo "libfaketime, FAKETIME=$JAN s, then $AUG s): 2026-01-12 then 2026-08-14,"
	echo "UTC. A file with that content would have an mtime of 2026-08-14 (git keeps none)."
	echo
	versions_table
	echo
	echo "Configurations: the templates in \`conf/\` named in capture-farm.sh, rendered"
	echo "with @SCRATCH@ = \`$SCRATCH\`."
	echo
	echo "| file | sha256 |"
	echo "| --- | --- |"
	sha_table capture-farm.sh capture-lib.sh conf/postfix-common.cf conf/master.cf conf/postfix-farm.cf \
		conf/postfix-yeargap.cf conf/exim-prober-routes.conf postfix-farm.log postfix-yeargap.log \
		exim-farm25.log exim-farm26.log exim-farm27.log farm-transcripts.txt
} >"$HERE/PROVENANCE-farm.md"

[ "${KEEP_SCRATCH:-}" = 1 ] || rm -rf "$SCRATCH"
echo "capture-farm.sh: wrote its logs and PROVENANCE-farm.md in $HERE"
