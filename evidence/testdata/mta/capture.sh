#!/bin/bash
# capture.sh — produce the real-MTA log fixtures of the evidence package.
#
# Runs real Exim and Postfix on loopback addresses so that each performs SMTP
# callouts against the other, sends forged-sender spam and some legitimate
# mail with swaks, and keeps the logs each MTA wrote:
#
#   Exim probers  (verify = sender/callout=random)  ──►  Postfix victim MX
#   Postfix prober (reject_unverified_sender)        ──►  Exim victim MX
#
#   127.0.0.25  mx42.prober.test         Exim prober, clock right
#   127.0.0.27  mx7.cloud.prober3.test   Exim prober, clock 47 s slow (libfaketime),
#                                        HELO mx7-3.smtp.prober3.test
#   127.0.0.28  mx.prober4.test          Exim prober, plain callout (no random)
#   127.0.0.26  mx.prober2.test          Postfix prober
#   127.0.0.35  mx.victim.test           Postfix victim (victim.test)
#   127.0.0.45  mx.victim2.test          Exim victim (victim2.test)
#   127.0.0.50, .60, .70                 legitimate clients
#   127.0.0.101-.115, .120               spamming clients
#
# Everything runs as root inside a private network namespace (only its own
# loopback: no packet can leave the machine, no DNS server is reachable) and a
# private mount namespace (the Exim binary needs a "Debian-exim" user, added to
# a copy of /etc/passwd bind-mounted there only). Every daemon is stopped at
# the end, whatever happens. Re-runnable: the scratch area is wiped first.
#
# Postfix is installed as a Debian package; Exim conflicts with it as a
# package, so exim4-daemon-light is fetched with `apt-get download` and
# unpacked with `dpkg -x` into the scratch area.
#
# Usage (as root):  evidence/testdata/mta/capture.sh
# Output: *.log and PROVENANCE.md beside this script. After a new capture,
# review and rewrite the golden reports:
#   go test ./evidence -run TestRealMTALogs -update
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CONF=$HERE/conf
SCRATCH=${SCRATCH:-/tmp/dnsblaudit-mta}
EXIM_DL=${EXIM_DL:-/var/tmp/dnsblaudit-exim-deb}   # kept between runs
export TZ=UTC LC_ALL=C

die() { echo "capture.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (MTAs bind port 25)"

# ---------------------------------------------------------------- outside
if [ "${1:-}" != --inside ]; then
	need=()
	for p in postfix swaks libfaketime openssl iproute2 libdb5.3 libgnutls-dane0 \
		libgnutls30 libidn12 libidn2-0 libnsl2 libpcre2-8-0; do
		dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
	done
	if [ ${#need[@]} -gt 0 ]; then
		echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
	fi
	mkdir -p "$EXIM_DL"
	if ! ls "$EXIM_DL"/exim4-daemon-light_*.deb >/dev/null 2>&1; then
		(cd "$EXIM_DL" && apt-get download exim4-daemon-light)
	fi
	# A system-wide Postfix left running would hold port 25 on 0.0.0.0 in
	# the main namespace only; ours runs in its own, so they cannot clash.
	exec unshare --net --mount --propagation private -- "$0" --inside
fi

# ---------------------------------------------------------------- inside
ip link set lo up
# Postfix binds only to addresses configured on an interface.
for a in 25 26 27 28 35 45; do ip addr add "127.0.0.$a/8" dev lo; done

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"/{mail,tls,etc,exim}
chmod 1777 "$SCRATCH/mail"

deb=$(ls "$EXIM_DL"/exim4-daemon-light_*.deb | sort | tail -n1)
dpkg -x "$deb" "$SCRATCH/exim"
EXIM=$SCRATCH/exim/usr/sbin/exim4

# The Debian Exim binary resolves its user "Debian-exim" at start-up.
cp /etc/passwd "$SCRATCH/etc/passwd"
cp /etc/group "$SCRATCH/etc/group"
if ! getent passwd Debian-exim >/dev/null; then
	echo "Debian-exim:x:64990:64990:Exim:/nonexistent:/usr/sbin/nologin" >>"$SCRATCH/etc/passwd"
	echo "Debian-exim:x:64990:" >>"$SCRATCH/etc/group"
fi
mount --bind "$SCRATCH/etc/passwd" /etc/passwd
mount --bind "$SCRATCH/etc/group" /etc/group

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.test" \
	-keyout "$SCRATCH/tls/key.pem" -out "$SCRATCH/tls/cert.pem" 2>/dev/null
chmod 0644 "$SCRATCH/tls/cert.pem" "$SCRATCH/tls/key.pem"

render() { # template name host ip domain users helo callout-options
	sed -e "s|@SCRATCH@|$SCRATCH|g" -e "s|@NAME@|$2|g" -e "s|@HOST@|${3:-}|g" \
		-e "s|@IP@|${4:-}|g" -e "s|@DOMAIN@|${5:-}|g" -e "s|@USERS@|${6:-}|g" \
		-e "s|@HELO@|${7:-}|g" -e "s|@CALLOUT@|${8:-}|g" "$1"
}

POSTFIXES=(postfix-victim postfix-prober)
EXIMS=(exim-prober exim-prober3 exim-prober4 exim-victim)

stop_all() {
	set +e
	for n in "${POSTFIXES[@]}"; do
		[ -d "$SCRATCH/$n/conf" ] && postfix -c "$SCRATCH/$n/conf" stop >/dev/null 2>&1
	done
	for n in "${EXIMS[@]}"; do
		pidf=$SCRATCH/$n/exim.pid
		[ -s "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null
	done
	sleep 2
	# Anything still alive in this private network namespace was started
	# by this script: end it by pid.
	me=$(readlink /proc/$$/ns/net)
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = $$ ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$me" ] || continue
		grep -qE '^(exim4|master|pickup|qmgr|smtpd|smtp|cleanup|postlogd|verify|tlsmgr|anvil|scache|proxymap|trivial-rewrite|local|bounce)$' "$p/comm" 2>/dev/null || continue
		kill "$pid" 2>/dev/null
	done
}
trap stop_all EXIT

# ---- Postfix instances
for n in "${POSTFIXES[@]}"; do
	mkdir -p "$SCRATCH/$n"/{conf,queue,data}
	{ render "$CONF/postfix-common.cf" "$n"; render "$CONF/$n.cf" "$n"; } >"$SCRATCH/$n/conf/main.cf"
	cp "$CONF/master.cf" "$SCRATCH/$n/conf/master.cf"
	: >"$SCRATCH/$n/maillog"
	postfix -c "$SCRATCH/$n/conf" set-permissions >/dev/null 2>&1 || true
	postfix -c "$SCRATCH/$n/conf" check
	postfix -c "$SCRATCH/$n/conf" start
done

# ---- Exim instances
start_exim() { # name faketime-offset
	local n=$1 skew=${2:-}
	mkdir -p "$SCRATCH/$n"/{spool,log}
	chown -R Debian-exim:Debian-exim "$SCRATCH/$n/spool" "$SCRATCH/$n/log"
	chmod 0644 "$SCRATCH/$n/exim.conf"
	if [ -n "$skew" ]; then
		LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
			FAKETIME="$skew" FAKETIME_DONT_RESET=1 \
			"$EXIM" -C "$SCRATCH/$n/exim.conf" -bd
	else
		"$EXIM" -C "$SCRATCH/$n/exim.conf" -bd
	fi
}
mkdir -p "$SCRATCH"/{exim-prober,exim-prober3,exim-prober4,exim-victim}
render "$CONF/exim-prober.conf" exim-prober mx42.prober.test 127.0.0.25 prober.test "carol : dave" mx42.prober.test callout=random \
	>"$SCRATCH/exim-prober/exim.conf"
render "$CONF/exim-prober.conf" exim-prober3 mx7.cloud.prober3.test 127.0.0.27 prober3.test "gina" mx7-3.smtp.prober3.test callout=random \
	>"$SCRATCH/exim-prober3/exim.conf"
render "$CONF/exim-prober.conf" exim-prober4 mx.prober4.test 127.0.0.28 prober4.test "hank" mx.prober4.test callout \
	>"$SCRATCH/exim-prober4/exim.conf"
render "$CONF/exim-victim.conf" exim-victim >"$SCRATCH/exim-victim/exim.conf"
start_exim exim-prober
start_exim exim-prober3 -47
start_exim exim-prober4
start_exim exim-victim

wait_listen() { # ip
	for _ in $(seq 50); do
		ss -ltnH "src $1 and sport = :25" | grep -q . && return 0
		sleep 0.2
	done
	die "nothing listens on $1:25"
}
for ip in 127.0.0.25 127.0.0.26 127.0.0.27 127.0.0.28 127.0.0.35 127.0.0.45; do wait_listen "$ip"; done

# ---- traffic
SWAKS_LOG=$SCRATCH/swaks.log
send() { # client-ip helo server from to [extra swaks args]
	local src=$1 helo=$2 server=$3 from=$4 to=$5
	shift 5
	echo "=== $src -> $server from=<$from> to=<$to> $*" >>"$SWAKS_LOG"
	swaks --server "$server" --port 25 --local-interface "$src" --helo "$helo" \
		--from "$from" --to "$to" --timeout 30 \
		--header "Subject: capture.sh test message" \
		--body "Test message from evidence/testdata/mta/capture.sh." \
		"$@" >>"$SWAKS_LOG" 2>&1 || true
	sleep "${PAUSE:-2}"
}

# 1. Forged-sender spam to the Exim prober: random callout, then the forged
#    address; Postfix victim rejects both, so Exim rejects the spam.
send 127.0.0.101 pc101.dsl.spam.test 127.0.0.25 keerheior@victim.test carol@prober.test
send 127.0.0.102 pc102.dsl.spam.test 127.0.0.25 anecowuutp@victim.test dave@prober.test
# Same forged sender again from another client: Exim's callout cache answers.
send 127.0.0.103 pc103.dsl.spam.test 127.0.0.25 keerheior@victim.test carol@prober.test
# An existing address forged: the victim accepts the probe's RCPT (Postfix
# logs only client= and a disconnect without data), and the spam gets in.
send 127.0.0.104 pc104.dsl.spam.test 127.0.0.25 alice@victim.test carol@prober.test

# 2. Spam to the second Exim prober, whose clock is 47 s slow.
send 127.0.0.105 pc105.cable.spam.test 127.0.0.27 pkgreewaa@victim.test gina@prober3.test
send 127.0.0.106 pc106.cable.spam.test 127.0.0.27 eemioiyv@victim.test gina@prober3.test

# 2b. Spam to an Exim prober with a plain callout: it asks for the forged
#     address only, with MAIL FROM:<>.
send 127.0.0.107 pc107.cable.spam.test 127.0.0.28 vbehmonmin@victim.test hank@prober4.test
send 127.0.0.108 pc108.cable.spam.test 127.0.0.28 euiosvob@victim.test hank@prober4.test

# 3. Forged-sender spam to the Postfix prober, which probes the Exim victim
#    with MAIL FROM:<double-bounce@prober2.test>.
send 127.0.0.111 pc111.dyn.spam.test 127.0.0.26 hjkyu@victim2.test frank@prober2.test
send 127.0.0.112 pc112.dyn.spam.test 127.0.0.26 zqwerty@victim2.test frank@prober2.test
send 127.0.0.113 pc113.dyn.spam.test 127.0.0.26 erin@victim2.test frank@prober2.test
# The prober's operator turns on address_verify_sender_ttl: from now on the
# probe sender carries a base-31 time stamp, double-bounceXXXX@prober2.test.
postconf -c "$SCRATCH/postfix-prober/conf" -e address_verify_sender_ttl=1h
postfix -c "$SCRATCH/postfix-prober/conf" reload
sleep 2
send 127.0.0.114 pc114.dyn.spam.test 127.0.0.26 otjllo@victim2.test frank@prober2.test
# Then the pre-2.5 default sender, postmaster, without the time stamp.
postconf -c "$SCRATCH/postfix-prober/conf" -e address_verify_sender=postmaster address_verify_sender_ttl=0
postfix -c "$SCRATCH/postfix-prober/conf" reload
sleep 2
send 127.0.0.115 pc115.dyn.spam.test 127.0.0.26 akuolsymwt@victim2.test frank@prober2.test

# 4. Legitimate traffic for contrast.
# Outbound from victim.test through its own MX to the Exim prober (sender
# verified from Exim's cache, delivered).
send 127.0.0.50 client.victim.test 127.0.0.35 alice@victim.test dave@prober.test
# Inbound to victim.test from a friendly MTA, delivered to a mailbox file.
send 127.0.0.70 mail.friend.test 127.0.0.35 dan@friend.test bob@victim.test
# Outbound from victim2.test through Exim to the Postfix prober.
send 127.0.0.60 client.victim2.test 127.0.0.45 erin@victim2.test frank@prober2.test
# A client that says EHLO and leaves; a relay attempt.
send 127.0.0.70 mail.friend.test 127.0.0.35 dan@friend.test bob@victim.test --quit-after EHLO
send 127.0.0.120 pc120.open.spam.test 127.0.0.35 promo@spam.test someone@elsewhere.test

# Let queues drain. Deliveries are immediate, but on a loaded machine an
# Exim delivery is sometimes left for a queue run: start one by hand then
# (not from the daemon: its re-exec would lose the libfaketime clock).
for i in $(seq 60); do
	busy=0
	for n in "${POSTFIXES[@]}"; do
		[ -z "$(find "$SCRATCH/$n/queue"/{incoming,active,deferred} -type f 2>/dev/null)" ] || busy=1
	done
	for n in "${EXIMS[@]}"; do
		[ "$("$EXIM" -C "$SCRATCH/$n/exim.conf" -bpc 2>/dev/null)" = 0 ] && continue
		busy=1
		[ $((i % 10)) = 0 ] && "$EXIM" -C "$SCRATCH/$n/exim.conf" -q 2>/dev/null
	done
	[ $busy = 0 ] && break
	sleep 1
done

stop_all
trap - EXIT

# ---- collect
cp "$SCRATCH/postfix-victim/maillog" "$HERE/postfix-victim.log"
cp "$SCRATCH/postfix-prober/maillog" "$HERE/postfix-prober.log"
cp "$SCRATCH/exim-prober/log/mainlog" "$HERE/exim-prober.log"
cp "$SCRATCH/exim-prober3/log/mainlog" "$HERE/exim-prober3.log"
cp "$SCRATCH/exim-prober4/log/mainlog" "$HERE/exim-prober4.log"
cp "$SCRATCH/exim-victim/log/mainlog" "$HERE/exim-victim.log"

ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
{
	echo "# Provenance of the real-MTA log fixtures"
	echo
	echo "Written by \`capture.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC') (logs in UTC; the"
	echo "Postfix lines carry no year: it is $(date -u +%Y))."
	echo
	echo "| component | version |"
	echo "| --- | --- |"
	echo "| Debian | $(cat /etc/debian_version) |"
	echo "| postfix | $(ver postfix) (installed package) |"
	echo "| exim4-daemon-light | $(dpkg-deb -f "$deb" Version) (\`apt-get download\` + \`dpkg -x\`) |"
	echo "| swaks | $(ver swaks) |"
	echo "| libfaketime | $(ver libfaketime) |"
	echo "| openssl | $(ver openssl) |"
	echo
	echo "Configurations: the templates in \`conf/\`, rendered by \`capture.sh\` with"
	echo "@SCRATCH@ = \`$SCRATCH\` (Postfix main.cf = postfix-common.cf + <instance>.cf)."
	echo
	echo "| file | sha256 |"
	echo "| --- | --- |"
	(cd "$HERE" && sha256sum capture.sh conf/* ./*.log | sed 's|  \./|  |' | awk '{print "| " $2 " | " $1 " |"}')
	echo
	echo "All MTAs ran as root in a private network namespace holding only its loopback"
	echo "(\`unshare --net --mount\`), with static routes to 127.0.0.x and no DNS at all."
	echo
	echo "Artefacts of the set-up, not of the scenario: Exim logs \"exim user lost"
	echo "privilege for using -C option\" (the alternate configuration file), and the"
	echo "Postfix lines name the scratch configuration directory."
	echo
	echo "## Scenario"
	echo
	echo "| log | MTA | role |"
	echo "| --- | --- | --- |"
	echo "| postfix-victim.log | Postfix, mx.victim.test 127.0.0.35 | probed by the three Exim probers |"
	echo "| exim-prober.log | Exim, mx42.prober.test 127.0.0.25 | callout=random prober, clock right |"
	echo "| exim-prober3.log | Exim, mx7.cloud.prober3.test 127.0.0.27, HELO mx7-3.smtp.prober3.test | callout=random prober, clock 47 s slow |"
	echo "| exim-prober4.log | Exim, mx.prober4.test 127.0.0.28 | plain callout prober (no random local part) |"
	echo "| postfix-prober.log | Postfix, mx.prober2.test 127.0.0.26 | reject_unverified_sender prober; before the last two spams \`postconf -e\` + reload set address_verify_sender_ttl=1h (sender double-bounceXXXX@), then address_verify_sender=postmaster with ttl 0 |"
	echo "| exim-victim.log | Exim, mx.victim2.test 127.0.0.45 | probed by the Postfix prober (+smtp_incomplete_transaction) |"
	echo
	echo "Forged senders: keerheior, anecowuutp, alice (exists: accepted probe), pkgreewaa,"
	echo "eemioiyv, vbehmonmin, euiosvob @victim.test; hjkyu, zqwerty, erin (exists: accepted"
	echo "probe), otjllo, akuolsymwt @victim2.test."
	echo "Spamming clients 127.0.0.101-115 and .120 (relay attempt); legitimate clients"
	echo "127.0.0.50 (victim.test users), .60 (victim2.test users), .70 (mail.friend.test)."
	echo "Legitimate deliveries: alice@victim.test -> dave@prober.test,"
	echo "dan@friend.test -> bob@victim.test, erin@victim2.test -> frank@prober2.test."
	echo
	echo "## What the client side saw (swaks transcripts, abridged)"
	echo
	echo '```'
	grep -E '^(=== [0-9]|<\*\* |<- +[0-9]{3} | -> (MAIL|RCPT|QUIT))' "$SWAKS_LOG" | grep -v '^<- *250 [A-Z0-9]*$' || true
	echo '```'
} >"$HERE/PROVENANCE.md"

# The scratch area holds nothing worth keeping once the logs are copied
# (KEEP_SCRATCH=1 keeps it for a look at the spools and mailboxes).
[ "${KEEP_SCRATCH:-}" = 1 ] || rm -rf "$SCRATCH"

echo "capture.sh: wrote $(ls "$HERE"/*.log | wc -l) logs and PROVENANCE.md in $HERE"
