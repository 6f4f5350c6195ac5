#!/bin/bash
# capture-outbound.sh — third capture stage: the OUTBOUND side of our own
# mail servers, the causes a blocklist operator most often has right:
#
#   own (127.0.4.0/24):
#   127.0.4.35  mx.ours.test      Postfix MX that accepts mail for unknown users
#                                 and bounces it to the forged senders
#                                 (backscatter) -> postfix-backscatter.log
#   127.0.4.36  smtp.ours.test    Postfix with SASL submission (port 587): a
#                                 stolen account's burst -> postfix-sasl.log
#   127.0.4.45  mail.ours2.test   Exim: MX with verify = sender/callout (our own
#                                 MX probing others) and smarthost with AUTH
#                                 PLAIN (a stolen account's burst) -> exim-outbound.log
#   127.0.4.50  client.ours.test  alice's and dora's own machine (normal mail)
#   remote (127.0.5.0/24), other organisations:
#   127.0.5.45  mx.remote1.test   Exim, users rita ron; unknown users 550 at RCPT
#                                 -> exim-remote1.log
#   127.0.5.46  mx.remote2.test   Exim, users sam; refuses messages whose Subject
#                                 says "Cheap" after DATA (550 5.7.1) -> exim-remote2.log
#   127.0.6.x   bots (spam with forged senders; the stolen-password users)
#
# Cyrus SASL's sasldb needs saslpasswd2 (Debian sasl2-bin) to create it.
#
# Usage (as root):  evidence/testdata/mta/capture-outbound.sh
set -euo pipefail
SCRATCH=${SCRATCH:-/tmp/dnsblaudit-mta-outbound}
EXTRA_PACKAGES="sasl2-bin libsasl2-modules"
. "$(dirname "$0")/capture-lib.sh"
stage_enter "$@"

add_addrs 127.0.4.35 127.0.4.36 127.0.4.45 127.0.4.50 127.0.5.45 127.0.5.46
for i in 1 2 3 4 5 6 7 8 9 10 11 12 20 21 22 100 101; do add_addrs "127.0.6.$i"; done

SWAKS_LOG=$SCRATCH/swaks.log
: >"$SWAKS_LOG"
PASSWORD=capture-test-password

# ---- SASL: a sasldb with alice and bob (ours.test), readable by postfix.
mkdir -p "$SCRATCH/sasl"
render "$CONF/sasl-smtpd.conf" >"$SCRATCH/sasl/smtpd.conf"
for u in alice bob; do
	echo "$PASSWORD" | saslpasswd2 -p -c -f "$SCRATCH/sasl/sasldb2" -u ours.test "$u"
done
chown root:postfix "$SCRATCH/sasl/sasldb2"
chmod 0640 "$SCRATCH/sasl/sasldb2"
chmod 0755 "$SCRATCH/sasl"
# Debian's Postfix + Cyrus SASL 2.1.28 opened /etc/sasldb2 whatever
# sasldb_path said (seen on the first trial run); in this private mount
# namespace, put ours there (sasl2-bin's postinst creates the file).
[ -e /etc/sasldb2 ] || die "/etc/sasldb2 missing (is sasl2-bin installed?)"
mount --bind "$SCRATCH/sasl/sasldb2" /etc/sasldb2

# ---- Postfix
start_postfix postfix-backscatter postfix-backscatter.cf master.cf
run_postfix postfix-backscatter
start_postfix postfix-sasl postfix-sasl.cf master-submission.cf
run_postfix postfix-sasl

# ---- Exim
start_exim exim-outbound exim-outbound.conf ""
start_exim exim-remote1 exim-remote.conf "" HOST=mx.remote1.test IP=127.0.5.45 DOMAIN=remote1.test \
	USERS="rita : ron : postmaster" SPAMWORD=NEVER-MATCHES-xq7
start_exim exim-remote2 exim-remote.conf "" HOST=mx.remote2.test IP=127.0.5.46 DOMAIN=remote2.test \
	USERS="sam : postmaster" SPAMWORD=Cheap

for ip in 127.0.4.35 127.0.4.36 127.0.4.45 127.0.5.45 127.0.5.46; do wait_listen "$ip"; done
wait_listen 127.0.4.36 587
sleep 2

# ================================================================ traffic
# 1. Backscatter: spam forging senders at remote1/remote2 to made-up users
#    at ours.test. mx.ours.test accepts each (no recipient table), local(8)
#    finds no such user, and the bounce (from <>) goes to the forged sender's
#    MX: delivered when that user exists there (rita@, ron@, sam@), refused
#    (550) when not (then Postfix tells its own postmaster). One spam to a
#    real user (alice) for contrast: delivered, no bounce.
PAUSE=1
n=0
for spec in "rita@remote1.test info" "ron@remote1.test sales" "kqzvt@remote1.test office" \
	"sam@remote2.test admin" "plorwe@remote2.test billing" "rita@remote1.test hr" \
	"ron@remote1.test support" "yxfep@remote1.test contact" "sam@remote2.test jobs" \
	"rita@remote1.test webmaster" "ron@remote1.test accounts" "sam@remote2.test marketing"; do
	read -r from to <<<"$spec"
	n=$((n + 1))
	bot=127.0.6.$(( (n - 1) % 12 + 1 ))
	send "$bot" "pc$n.dyn.spam.test" 127.0.4.35 "$from" "$to@ours.test" --header "Subject: Cheap watches $n"
done
send 127.0.6.20 pc20.dyn.spam.test 127.0.4.35 ron@remote1.test alice@ours.test --header "Subject: Cheap watches"

# 2. SASL burst: bob's password, stolen, used from an outside address
#    (127.0.6.100) for 20 messages of 3 recipients each at the two remote
#    domains; remote1 refuses unknown users at RCPT, remote2 refuses the
#    "Cheap" subject after DATA. Postfix bounces the failures to bob.
#    Before and after it, alice sends her normal mail from her machine.
send 127.0.4.50 client.ours.test 127.0.4.36 alice@ours.test rita@remote1.test --port 587 \
	--auth PLAIN --auth-user alice@ours.test --auth-password "$PASSWORD" --header "Subject: Minutes of Monday"
PAUSE=0.5
for i in $(seq 1 20); do
	send 127.0.6.100 localhost 127.0.4.36 bob@ours.test \
		"ron@remote1.test,user$i@remote1.test,sam@remote2.test" --port 587 \
		--auth PLAIN --auth-user bob@ours.test --auth-password "$PASSWORD" --header "Subject: Cheap pills $i"
done
PAUSE=2
send 127.0.4.50 client.ours.test 127.0.4.36 alice@ours.test sam@remote2.test --port 587 \
	--auth PLAIN --auth-user alice@ours.test --auth-password "$PASSWORD" --header "Subject: Re: invoice"
# A wrong password: refused (a stolen-password attempt that failed).
send 127.0.6.101 localhost 127.0.4.36 alice@ours.test rita@remote1.test --port 587 \
	--auth PLAIN --auth-user alice@ours.test --auth-password wrong-password

# 3. Exim: dora's normal mail, then carl's stolen password used from
#    127.0.6.101 for 12 messages (2 recipients each); then spam TO ours2.test
#    forging remote senders, which mail.ours2.test verifies with callouts to
#    the remote MXs (our own MX probing others).
send 127.0.4.50 client.ours.test 127.0.4.45 dora@ours2.test rita@remote1.test \
	--auth PLAIN --auth-user dora@ours2.test --auth-password "$PASSWORD" --header "Subject: Lunch?"
PAUSE=0.5
for i in $(seq 1 12); do
	send 127.0.6.101 localhost 127.0.4.45 carl@ours2.test "ron@remote1.test,victim$i@remote1.test" \
		--auth PLAIN --auth-user carl@ours2.test --auth-password "$PASSWORD" --header "Subject: Cheap loans $i"
	send 127.0.6.101 localhost 127.0.4.45 carl@ours2.test "sam@remote2.test" \
		--auth PLAIN --auth-user carl@ours2.test --auth-password "$PASSWORD" --header "Subject: Cheap loans $i"
done
PAUSE=2
for spec in "127.0.6.21 pc21.dyn.spam.test zyxwq@remote1.test" "127.0.6.21 pc21.dyn.spam.test rita@remote1.test" \
	"127.0.6.22 pc22.dyn.spam.test mmvbe@remote2.test" "127.0.6.22 pc22.dyn.spam.test plorwe@remote2.test"; do
	read -r bot helo from <<<"$spec"
	send "$bot" "$helo" 127.0.4.45 "$from" carl@ours2.test
done

drain
stop_all
trap - EXIT

# ================================================================ collect
cp "$SCRATCH/postfix-backscatter/maillog" "$HERE/postfix-backscatter.log"
cp "$SCRATCH/postfix-sasl/maillog" "$HERE/postfix-sasl.log"
for n in exim-outbound exim-remote1 exim-remote2; do
	cp "$SCRATCH/$n/log/mainlog" "$HERE/$n.log"
done
# The transcripts, without the password: neither the base64 AUTH PLAIN
# blobs nor the --auth-password arguments (a fixed test password, but no
# need to carry it).
sed -E 's/(--auth-password )[^ ]+/\1(removed)/g; s/^( -> AUTH PLAIN ).*/\1(credentials removed)/; s/^( -> )[A-Za-z0-9+\/=]{16,}$/\1(credentials removed)/' \
	"$SWAKS_LOG" >"$HERE/outbound-transcripts.txt"

{
	echo "# Provenance of the third capture stage: outbound"
	echo
	echo "Written by \`capture-outbound.sh\` on $(date -u '+%Y-%m-%d %H:%M:%S UTC') (logs in UTC;"
	echo "Postfix lines carry no year: it is $(date -u +%Y)). Every session, with what a"
	echo "correct tool must conclude, is in scenarios.md; the client transcripts (AUTH"
	echo "credentials removed) are outbound-transcripts.txt."
	echo
	versions_table
	echo
	echo "Configurations: the templates in \`conf/\` named in capture-outbound.sh, rendered"
	echo "with @SCRATCH@ = \`$SCRATCH\`."
	echo
	echo "| file | sha256 |"
	echo "| --- | --- |"
	sha_table capture-outbound.sh capture-lib.sh conf/postfix-common.cf conf/master.cf \
		conf/master-submission.cf conf/postfix-backscatter.cf conf/postfix-sasl.cf conf/sasl-smtpd.conf \
		conf/exim-outbound.conf conf/exim-remote.conf \
		postfix-backscatter.log postfix-sasl.log exim-outbound.log exim-remote1.log exim-remote2.log \
		outbound-transcripts.txt
} >"$HERE/PROVENANCE-outbound.md"

[ "${KEEP_SCRATCH:-}" = 1 ] || rm -rf "$SCRATCH"
echo "capture-outbound.sh: wrote its logs and PROVENANCE-outbound.md in $HERE"
