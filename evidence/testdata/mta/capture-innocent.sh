#!/bin/bash
# capture-innocent.sh — second capture stage: real-MTA logs of the innocent
# look-alikes of a callout (sessions that share part of a callout's shape
# and are not one), with real callouts beside them in the same logs, so a
# test can tell the two apart. The first stage (capture.sh) and its logs
# are left as they are. scenarios.md lists every session with the verdict
# a correct tool must give.
#
#   own networks (127.0.1.0/24):
#   127.0.1.35  mx.victim.test    Postfix: postscreen + DNSBL bl.rbl.test (enforce),
#                                 reject_rbl_client zen.rbl.test, greylist access map,
#                                 milter (old-* mailboxes), smtpd_timeout 15s
#                                 -> postfix-innocent.log
#   127.0.1.36  mx.victim3.test   the same with smtpd_client_port_logging = yes
#                                 -> postfix-ports.log
#   127.0.1.37  mx1.victim5.test  Postfix, clock right   } one log file:
#   127.0.1.38  mx2.victim5.test  Postfix, clock +2 h    } multihost.log
#   127.0.1.40  gw.victim.test    Postfix gateway, reject_unverified_recipient -> .35
#                                 -> postfix-gateway.log
#   127.0.1.41  exch.victim.test  Exim internal server, bounces (NDR) -> exim-ownserver.log
#   127.0.1.45  mx.victim2.test   Exim MX, default log_selector -> exim-plain.log
#   127.0.1.46  mx.victim4.test   Exim MX, +pid +smtp_incomplete_transaction -> exim-pid.log
#   127.0.1.50  client.victim.test  alice's submission host
#   127.0.1.99  the milter (rcptmilter.py)
#   outside:
#   127.0.2.25  mx42.prober.test    Exim callout=random prober -> exim-prober-i.log
#   127.0.2.26  mx.greyprober.test  Exim callout=random prober, greylisted by .35/.36
#                                   -> exim-greyprober.log
#   127.0.2.27  mx.prober2.test     Postfix reject_unverified_sender prober -> postfix-prober-i.log
#   127.0.2.40  mx.partner.test     Exim, a partner: bounces alice's mail to an
#                                   unknown user; greylisted, then delivered -> exim-partner.log
#   127.0.2.60  mail.friend.test    a legitimate client (python3 smtpclient.py)
#   127.0.3.x   bots; 127.0.0.53 rbldnsd (bl.rbl.test, zen.rbl.test)
#
# Derived file: rotated/maillog.2, maillog.1, maillog = postfix-innocent.log
# cut in three, each cut inside a callout session (see the "collect" part).
#
# Usage (as root):  evidence/testdata/mta/capture-innocent.sh
#   GREY_RETRY=720  seconds between the greylisted first tries and the
#                   retries (the default: 12 minutes, as a real greylist
#                   retry; use ~60 for a quick trial run)
set -euo pipefail
SCRATCH=${SCRATCH:-/tmp/dnsblaudit-mta-innocent}
GREY_RETRY=${GREY_RETRY:-720}
. "$(dirname "$0")/capture-lib.sh"
stage_enter "$@"

add_addrs 127.0.0.53 127.0.1.35 127.0.1.36 127.0.1.37 127.0.1.38 127.0.1.40 127.0.1.41 \
	127.0.1.45 127.0.1.46 127.0.1.50 127.0.1.99 127.0.2.25 127.0.2.26 127.0.2.27 127.0.2.40 127.0.2.60
for i in 1 2 3 4 5 6 7 8 10 11 12 20 21 22 30 31 40 50 51 52 53 54 55 60 61 62; do add_addrs "127.0.3.$i"; done

SWAKS_LOG=$SCRATCH/swaks.log
: >"$SWAKS_LOG"

# ---- DNSBL: rbldnsd on 127.0.0.53, the resolver of this namespace.
mkdir -p "$SCRATCH/rbl"
cat >"$SCRATCH/rbl/bl" <<'EOF'
:127.0.0.2:Listed by bl.rbl.test, see http://rbl.test/query/$
127.0.3.10
127.0.3.11
127.0.3.12
EOF
cat >"$SCRATCH/rbl/zen" <<'EOF'
:127.0.0.4:https://www.rbl.test/query/ip/$
127.0.3.20
127.0.3.21
127.0.3.22
EOF
chmod -R a+rX "$SCRATCH/rbl"
rbldnsd -u rbldns -b 127.0.0.53/53 -r "$SCRATCH/rbl" -p "$SCRATCH/rbl/pid" -q \
	bl.rbl.test:ip4set:bl zen.rbl.test:ip4set:zen
HELPER_PIDS+=("$(cat "$SCRATCH/rbl/pid")")

# ---- the milter
python3 "$HERE/rcptmilter.py" 127.0.1.99 8899 &
HELPER_PIDS+=("$!")

# ---- Postfix instances
GREYLIST="127.0.2.40 450 4.7.1 Greylisted, try again later
127.0.2.26 450 4.7.1 Greylisted, try again later"
for spec in "postfix-innocent mx.victim.test 127.0.1.35 victim.test" \
	"postfix-ports mx.victim3.test 127.0.1.36 victim3.test"; do
	read -r n host ip dom <<<"$spec"
	extra=
	[ "$n" = postfix-ports ] && extra="smtpd_client_port_logging = yes"
	start_postfix "$n" postfix-innocent.cf master-postscreen.cf HOST="$host" IP="$ip" DOMAIN="$dom" EXTRA="$extra"
	echo "$GREYLIST" >"$SCRATCH/$n/conf/greylist"
	postmap -c "$SCRATCH/$n/conf" "$SCRATCH/$n/conf/greylist"
	run_postfix "$n"
done
start_postfix postfix-gateway postfix-gateway.cf master.cf
run_postfix postfix-gateway
start_postfix postfix-prober-i postfix-prober-i.cf master.cf
run_postfix postfix-prober-i
# Two hosts, one file: both postlogd daemons append to multihost.log.
: >"$SCRATCH/multihost.log"
start_postfix postfix-mx1 postfix-multihost.cf master.cf HOST=mx1.victim5.test IP=127.0.1.37
postconf -c "$SCRATCH/postfix-mx1/conf" -e "maillog_file=$SCRATCH/multihost.log"
run_postfix postfix-mx1
start_postfix postfix-mx2 postfix-multihost.cf master.cf HOST=mx2.victim5.test IP=127.0.1.38
postconf -c "$SCRATCH/postfix-mx2/conf" -e "maillog_file=$SCRATCH/multihost.log" \
	"import_environment=MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_PRELOAD=$FAKETIME_LIB FAKETIME=+2h FAKETIME_DONT_RESET=1"
run_postfix postfix-mx2

# ---- Exim instances
PROBER_ROUTES="victim.test 127.0.1.35 ; victim3.test 127.0.1.36 ; victim2.test 127.0.1.45 ; victim4.test 127.0.1.46 ; victim5.test 127.0.1.38"
start_exim exim-prober-i exim-prober-routes.conf "" HOST=mx42.prober.test IP=127.0.2.25 DOMAIN=prober.test \
	USERS="carol : dave" HELO=mx42.prober.test CALLOUT=callout=random ROUTES="$PROBER_ROUTES"
start_exim exim-greyprober exim-prober-routes.conf "" HOST=mx.greyprober.test IP=127.0.2.26 DOMAIN=greyprober.test \
	USERS="gus" HELO=mx.greyprober.test CALLOUT=callout=random ROUTES="$PROBER_ROUTES"
start_exim exim-plain exim-mx.conf "" HOST=mx.victim2.test IP=127.0.1.45 DOMAIN=victim2.test SELECTOR=
start_exim exim-pid exim-mx.conf "" HOST=mx.victim4.test IP=127.0.1.46 DOMAIN=victim4.test \
	SELECTOR="+pid +smtp_incomplete_transaction"
start_exim exim-ownserver exim-bouncer.conf "" HOST=exch.victim.test IP=127.0.1.41 DOMAIN=internal.victim.test \
	RELAYHOSTS=127.0.1.35 USERS=ivan ROUTES="victim.test 127.0.1.35"
start_exim exim-partner exim-bouncer.conf "" HOST=mx.partner.test IP=127.0.2.40 DOMAIN=partner.test \
	RELAYHOSTS=127.0.2.40 USERS=paula ROUTES="victim.test 127.0.1.35"

for ip in 127.0.1.35 127.0.1.36 127.0.1.37 127.0.1.38 127.0.1.40 127.0.1.41 127.0.1.45 127.0.1.46 \
	127.0.2.25 127.0.2.26 127.0.2.27 127.0.2.40; do wait_listen "$ip"; done
wait_listen 127.0.1.99 8899
sleep 2

# ================================================================ traffic
# Phase A — the greylisted first tries.
# A1. alice sends to an unknown user at the partner; the partner's Exim
#     accepts, then bounces it (from <>) to alice@victim.test; the MX
#     greylists the partner: 450 at RCPT, the bounce waits in its queue.
send 127.0.1.50 client.victim.test 127.0.1.35 alice@victim.test nobody@partner.test
# A2. Spam forging victim.test / victim3.test senders to the greylisted
#     prober: its callout gets the 450, so it answers the bot 451.
send 127.0.3.30 pc30.dsl.spam.test 127.0.2.26 ghostgrey@victim.test gus@greyprober.test
send 127.0.3.31 pc31.dsl.spam.test 127.0.2.26 ghostgrey3@victim3.test gus@greyprober.test
GREY_T0=$(date +%s)

# Phase B — real callouts (the evidence the tool must keep finding).
# B1. Exim callout=random prober: forged senders in each own domain.
send 127.0.3.1 pc1.dsl.spam.test 127.0.2.25 kvarnhelm@victim.test carol@prober.test
send 127.0.3.2 pc2.dsl.spam.test 127.0.2.25 tozzleber@victim.test dave@prober.test
send 127.0.3.1 pc1.dsl.spam.test 127.0.2.25 kvarnhelm3@victim3.test carol@prober.test
send 127.0.3.2 pc2.dsl.spam.test 127.0.2.25 tozzleber3@victim3.test dave@prober.test
send 127.0.3.3 pc3.dsl.spam.test 127.0.2.25 ulmerdash@victim2.test carol@prober.test
send 127.0.3.3 pc3.dsl.spam.test 127.0.2.25 erin@victim2.test carol@prober.test
send 127.0.3.4 pc4.dsl.spam.test 127.0.2.25 ulmerdash4@victim4.test carol@prober.test
send 127.0.3.4 pc4.dsl.spam.test 127.0.2.25 erin@victim4.test carol@prober.test
# B2. A forged retired mailbox: the milter refuses the prober's RCPT.
send 127.0.3.5 pc5.dsl.spam.test 127.0.2.25 old-harriet@victim.test carol@prober.test
send 127.0.3.5 pc5.dsl.spam.test 127.0.2.25 old-harriet3@victim3.test carol@prober.test
# B3. Postfix reject_unverified_sender prober against the two Exim MXs.
send 127.0.3.6 pc6.dyn.spam.test 127.0.2.27 wobblequ@victim2.test frank@prober2.test
send 127.0.3.6 pc6.dyn.spam.test 127.0.2.27 erin@victim2.test frank@prober2.test
send 127.0.3.7 pc7.dyn.spam.test 127.0.2.27 wobblequ4@victim4.test frank@prober2.test
send 127.0.3.7 pc7.dyn.spam.test 127.0.2.27 erin@victim4.test frank@prober2.test

# Phase C — innocent look-alikes, each at both Postfix MXs (.35 plain,
# .36 with port logging) unless said otherwise.
for spec in "127.0.1.35 victim.test" "127.0.1.36 victim3.test"; do
	read -r mx dom <<<"$spec"
	# C1. Bots listed in bl.rbl.test: postscreen rejects their RCPT.
	#     A null sender, three reconnects; then one forging postmaster@own.
	for _ in 1 2 3; do send 127.0.3.10 pc10.bot.spam.test "$mx" '' "alice@$dom"; done
	send 127.0.3.11 pc11.bot.spam.test "$mx" "postmaster@$dom" "bob@$dom"
	# C2. Bots listed in zen.rbl.test: postscreen passes them, smtpd's
	#     reject_rbl_client refuses them (554), same two shapes.
	for _ in 1 2 3; do send 127.0.3.20 pc20.bot.spam.test "$mx" '' "alice@$dom"; done
	send 127.0.3.21 pc21.bot.spam.test "$mx" "postmaster@$dom" "bob@$dom"
	# C3. A dictionary bot: 30 RCPTs from <> in one session (smtpd stops it
	#     after smtpd_hard_error_limit = 20 errors).
	rcpts=$(for w in adams baker clark davis evans frank green hall irwin jones king lewis moore \
		nash owen parker quinn reed smith taylor underwood vance walker xavier young zimmer alice abbot \
		bishop carter; do printf '%s@%s,' "$w" "$dom"; done)
	send 127.0.3.50 pc50.dict.spam.test "$mx" '' "${rcpts%,}" --quit-after RCPT
	# C4. A bot that drops the connection after a rejected RCPT, and one
	#     after an accepted RCPT (no QUIT either time).
	pysend "drop-rejected-$dom" --src 127.0.3.51 --server "$mx" --helo pc51.bot.spam.test \
		--from '' --to "nosuchuser@$dom" --drop-after-rcpt
	pysend "drop-accepted-$dom" --src 127.0.3.52 --server "$mx" --helo pc52.bot.spam.test \
		--from '' --to "bob@$dom" --drop-after-rcpt
	sleep 2
	# C5. A legitimate bounce with one bad and one good recipient, DATA in
	#     the same session.
	pysend "bounce-2rcpt-$dom" --src 127.0.2.60 --server "$mx" --helo mail.friend.test \
		--from '' --to "formeruser@$dom" --to "alice@$dom"
	sleep 2
	# C6. A legitimate client that stops talking after an accepted RCPT:
	#     smtpd_timeout (15 s) ends the session ("timeout after RCPT").
	pysend "timeout-$dom" --src 127.0.2.60 --server "$mx" --helo mail.friend.test \
		--from '' --to "alice@$dom" --stall-after-rcpt 25 &
	BG+=("$!")
	sleep 2
	# C7. Plain inbound mail from a friend, for contrast.
	send 127.0.2.60 mail.friend.test "$mx" dan@friend.test "bob@$dom"
	wait_bg
done

# C8. Own gateway: a friend's mail to the gateway makes it probe the MX
#     (double-bounce@victim.test) for each recipient: bob exists (the mail
#     is then relayed), the two others do not.
send 127.0.2.60 mail.friend.test 127.0.1.40 dan@friend.test bob@victim.test
send 127.0.2.60 mail.friend.test 127.0.1.40 dan@friend.test formerstaff@victim.test
send 127.0.2.60 mail.friend.test 127.0.1.40 dan@friend.test typo-bob@victim.test
# C9. Own internal server: spam forging jdoe@victim.test reaches it for an
#     unknown internal user; it bounces from <> to jdoe@victim.test, which
#     the MX refuses (550), and the bounce is frozen.
send 127.0.3.60 pc60.bot.spam.test 127.0.1.41 jdoe@victim.test nobody@internal.victim.test
send 127.0.3.61 pc61.bot.spam.test 127.0.1.41 rsmith@victim.test nobody2@internal.victim.test

# C10. The Exim MXs: the same look-alikes (both selectors), in parallel
#      where they wait: a bounce with one bad recipient whose DATA comes
#      45 s after the RCPTs (Exim's "<=" line 45 s after "rejected RCPT").
for spec in "127.0.1.45 victim2.test" "127.0.1.46 victim4.test"; do
	read -r mx dom <<<"$spec"
	pysend "bounce-45s-$dom" --src 127.0.2.60 --server "$mx" --helo mail.friend.test \
		--from '' --to "formeruser@$dom" --to "erin@$dom" --pause-before-data 45 &
	BG+=("$!")
	sleep 1
done
for spec in "127.0.1.45 victim2.test" "127.0.1.46 victim4.test"; do
	read -r mx dom <<<"$spec"
	rcpts=$(for w in adams baker clark davis evans frank green hall irwin jones king lewis moore \
		nash owen parker quinn reed smith taylor underwood vance walker xavier young zimmer erin abbot \
		bishop carter; do printf '%s@%s,' "$w" "$dom"; done)
	send 127.0.3.50 pc50.dict.spam.test "$mx" '' "${rcpts%,}" --quit-after RCPT
	pysend "drop-rejected-$dom" --src 127.0.3.51 --server "$mx" --helo pc51.bot.spam.test \
		--from '' --to "nosuchuser@$dom" --drop-after-rcpt
	pysend "drop-accepted-$dom" --src 127.0.3.52 --server "$mx" --helo pc52.bot.spam.test \
		--from '' --to "erin@$dom" --drop-after-rcpt
	sleep 2
	send 127.0.2.60 mail.friend.test "$mx" dan@friend.test "erin@$dom"
done
wait_bg

# C11. Multi-host log: a bounce to mx1 (right clock) with one bad recipient
#      whose DATA comes 30 s later; meanwhile mx2 (clock 2 h ahead) is
#      probed by the Exim prober and receives mail, so mx2's lines, stamped
#      2 h later, fall inside mx1's open session.
pysend bounce-multihost --src 127.0.2.60 --server 127.0.1.37 --helo mail.friend.test \
	--from '' --to formeruser@victim5.test --to alice@victim5.test --pause-before-data 30 &
	BG+=("$!")
sleep 3
send 127.0.3.8 pc8.dsl.spam.test 127.0.2.25 zarnowiec@victim5.test carol@prober.test
send 127.0.3.8 pc8.dsl.spam.test 127.0.2.25 bob@victim5.test carol@prober.test
send 127.0.2.60 mail.friend.test 127.0.1.38 dan@friend.test alice@victim5.test
wait_bg
send 127.0.2.60 mail.friend.test 127.0.1.37 dan@friend.test bob@victim5.test

# Phase D — the greylist is lifted (the map emptied, postmap, reload), and
# the retries come GREY_RETRY s after the first tries.
now=$(date +%s)
[ $((GREY_T0 + GREY_RETRY - now)) -gt 0 ] && sleep $((GREY_T0 + GREY_RETRY - now))
for n in postfix-innocent postfix-ports; do
	: >"$SCRATCH/$n/conf/greylist"
	postmap -c "$SCRATCH/$n/conf" "$SCRATCH/$n/conf/greylist"
	postfix -c "$SCRATCH/$n/conf" reload
done
sleep 2
# D1. The partner's queue run retries its bounce: delivered with DATA.
"$EXIM" -C "$SCRATCH/exim-partner/exim.conf" -qff
# D2. The bots retry: the prober's callout now gets its answer (550).
send 127.0.3.30 pc30.dsl.spam.test 127.0.2.26 ghostgrey@victim.test gus@greyprober.test
send 127.0.3.31 pc31.dsl.spam.test 127.0.2.26 ghostgrey3@victim3.test gus@greyprober.test

drain
stop_all
trap - EXIT

# ================================================================ collect
cp "$SCRATCH/postfix-innocent/maillog" "$HERE/postfix-innocent.log"
cp "$SCRATCH/postfix-ports/maillog" "$HERE/postfix-ports.log"
cp "$SCRATCH/postfix-gateway/maillog" "$HERE/postfix-gateway.log"
cp "$SCRATCH/postfix-prober-i/maillog" "$HERE/postfix-prober-i.log"
cp "$SCRATCH/multihost.log" "$HERE/multihost.log"
for n in exim-prober-i exim-greyprober exim-plain exim-pid exim-ownserver exim-partner; do
	cp "$SCRATCH/$n/log/mainlog" "$HERE/$n.log"
done
cp "$SWAKS_LOG" "$HERE/innocent-transcripts.txt"

# Rotation: postfix-innocent.log cut in three, as logrotate would if it ran
# in the middle of a session. Cut 1: after the random-local-part RCPT of the
# first callout for kvarnhelm@ (the real address's reject is in the next
# file); cut 2: after the first RCPT reject of the greylisted prober's retry.
mkdir -p "$HERE/rotated"
f=$HERE/postfix-innocent.log
c1=$(grep -n 'to=<mx42.prober.test-[0-9]*-testing@victim.test>' "$f" | head -n1 | cut -d: -f1)
c2=$(grep -n 'to=<mx.greyprober.test-[0-9]*-testing@victim.test>' "$f" | grep -v ' 450 ' | head -n1 | cut -d: -f1)
[ -n "$c1" ] && [ -n "$c2" ] && [ "$c1" -lt "$c2" ] || die "rotation cut lines not found"
head -n "$c1" "$f" >"$HERE/rotated/maillog.2"
sed -n "$((c1 + 1)),${c2}p" "$f" >"$HERE/rotated/maillog.1"
tail -n "+$((c2 + 1))" "$f" >"$HERE/rotated/maillog"
echo "$c1 $c2" >"$SCRATCH/cuts"

# ---- provenance
{
	echo "# Provenance of the second capture stage: innocent look-alikes"
	echo
	echo "Written by \`capture-innocent.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC') (logs in UTC except"
	echo "mx2 in multihost.log, whose clock ran 2 h ahead; Postfix lines carry no year: it is $(date -u +%Y))."
	echo "GREY_RETRY = $GREY_RETRY s. Every session, with the verdict a correct tool must"
	echo "give, is in scenarios.md; the full client transcripts are innocent-transcripts.txt."
	echo
	versions_table
	echo
	echo "Configurations: the templates in \`conf/\` named in capture-innocent.sh, rendered"
	echo "with @SCRATCH@ = \`$SCRATCH\`."
	echo
	echo "rotated/: postfix-innocent.log cut at lines $c1 and $((c2)) (maillog.2 = lines 1-$c1,"
	echo "maillog.1 = $((c1 + 1))-$c2, maillog = the rest); the concatenation"
	echo "\`cat rotated/maillog.2 rotated/maillog.1 rotated/maillog\` is byte-identical to"
	echo "postfix-innocent.log."
	echo
	echo "| file | sha256 |"
	echo "| --- | --- |"
	sha_table capture-innocent.sh capture-lib.sh smtpclient.py rcptmilter.py \
		conf/master-postscreen.cf conf/postfix-innocent.cf conf/postfix-gateway.cf \
		conf/postfix-prober-i.cf conf/postfix-multihost.cf conf/exim-prober-routes.conf \
		conf/exim-mx.conf conf/exim-bouncer.conf conf/postfix-common.cf conf/master.cf \
		postfix-innocent.log postfix-ports.log postfix-gateway.log postfix-prober-i.log multihost.log \
		exim-prober-i.log exim-greyprober.log exim-plain.log exim-pid.log exim-ownserver.log \
		exim-partner.log rotated/maillog.2 rotated/maillog.1 rotated/maillog innocent-transcripts.txt
} >"$HERE/PROVENANCE-innocent.md"

[ "${KEEP_SCRATCH:-}" = 1 ] || rm -rf "$SCRATCH"
echo "capture-innocent.sh: wrote its logs and PROVENANCE-innocent.md in $HERE"
