# capture-lib.sh — shared by the capture stages after the first
# (capture-innocent.sh, capture-outbound.sh). capture.sh, the first stage,
# keeps its own copy of these steps so that its logs stay as they were.
#
# Source it, set STAGE, call stage_enter "$@" first: outside the private
# namespaces it checks packages and re-executes the calling script inside
# `unshare --net --mount`; inside it sets up loopback, the Exim binary, the
# Debian-exim user and a TLS key. Every daemon started by stage_start_* is
# stopped by stop_all (installed as the EXIT trap).

HERE=$(cd "$(dirname "$0")" && pwd)
CONF=$HERE/conf
EXIM_DL=${EXIM_DL:-/var/tmp/dnsblaudit-exim-deb}   # kept between runs
export TZ=UTC LC_ALL=C
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

POSTFIXES=()
EXIMS=()
HELPER_PIDS=()

stage_enter() { # "$@" of the calling script
	[ "$(id -u)" = 0 ] || die "must run as root (MTAs bind port 25)"
	if [ "${1:-}" != --inside ]; then
		local need=() p
		for p in postfix swaks libfaketime openssl iproute2 python3 rbldnsd ${EXTRA_PACKAGES:-}; do
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
		exec unshare --net --mount --propagation private -- "$0" --inside
	fi

	ip link set lo up
	rm -rf "$SCRATCH"
	mkdir -p "$SCRATCH"/{mail,tls,etc,exim}
	chmod 1777 "$SCRATCH/mail"

	EXIM_DEB=$(ls "$EXIM_DL"/exim4-daemon-light_*.deb | sort | tail -n1)
	dpkg -x "$EXIM_DEB" "$SCRATCH/exim"
	EXIM=$SCRATCH/exim/usr/sbin/exim4

	cp /etc/passwd "$SCRATCH/etc/passwd"
	cp /etc/group "$SCRATCH/etc/group"
	if ! getent passwd Debian-exim >/dev/null; then
		echo "Debian-exim:x:64990:64990:Exim:/nonexistent:/usr/sbin/nologin" >>"$SCRATCH/etc/passwd"
		echo "Debian-exim:x:64990:" >>"$SCRATCH/etc/group"
	fi
	mount --bind "$SCRATCH/etc/passwd" /etc/passwd
	mount --bind "$SCRATCH/etc/group" /etc/group
	# The only name server in this namespace is the local rbldnsd (if any).
	echo "nameserver 127.0.0.53" >"$SCRATCH/etc/resolv.conf"
	mount --bind "$SCRATCH/etc/resolv.conf" "$(readlink -f /etc/resolv.conf)"

	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.test" \
		-keyout "$SCRATCH/tls/key.pem" -out "$SCRATCH/tls/cert.pem" 2>/dev/null
	chmod 0644 "$SCRATCH/tls/cert.pem" "$SCRATCH/tls/key.pem"
	trap stop_all EXIT
}

add_addrs() { # ip...
	local a
	for a in "$@"; do ip addr add "$a/8" dev lo; done
}

render() { # template KEY=VALUE... (@KEY@ replaced; @SCRATCH@ always)
	local t=$1 kv args=(-e "s|@SCRATCH@|$SCRATCH|g")
	shift
	for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
	sed "${args[@]}" "$t"
}

# start_postfix name template master [KEY=VALUE...]: main.cf =
# postfix-common.cf + template, both rendered with NAME=name and the pairs.
start_postfix() {
	local n=$1 tpl=$2 master=$3
	shift 3
	mkdir -p "$SCRATCH/$n"/{conf,queue,data}
	{ render "$CONF/postfix-common.cf" NAME="$n"; render "$CONF/$tpl" NAME="$n" "$@"; } >"$SCRATCH/$n/conf/main.cf"
	cp "$CONF/$master" "$SCRATCH/$n/conf/master.cf"
	POSTFIXES+=("$n")
}
run_postfix() { # name: start an instance prepared by start_postfix (+ any postconf -e)
	local n=$1 log
	log=$(postconf -c "$SCRATCH/$n/conf" -h maillog_file)
	[ -e "$log" ] || : >"$log"
	postfix -c "$SCRATCH/$n/conf" set-permissions >/dev/null 2>&1 || true
	postfix -c "$SCRATCH/$n/conf" check
	postfix -c "$SCRATCH/$n/conf" start
}

# start_exim name template faketime-offset [KEY=VALUE...]
start_exim() {
	local n=$1 tpl=$2 skew=$3
	shift 3
	mkdir -p "$SCRATCH/$n"/{spool,log}
	render "$CONF/$tpl" NAME="$n" "$@" >"$SCRATCH/$n/exim.conf"
	chown -R Debian-exim:Debian-exim "$SCRATCH/$n/spool" "$SCRATCH/$n/log"
	chmod 0644 "$SCRATCH/$n/exim.conf"
	EXIMS+=("$n")
	if [ -n "$skew" ]; then
		LD_PRELOAD=$FAKETIME_LIB FAKETIME="$skew" FAKETIME_DONT_RESET=1 \
			"$EXIM" -C "$SCRATCH/$n/exim.conf" -bd
	else
		"$EXIM" -C "$SCRATCH/$n/exim.conf" -bd
	fi
}

wait_listen() { # ip [port]
	local _
	for _ in $(seq 50); do
		ss -ltnH "src $1 and sport = :${2:-25}" | grep -q . && return 0
		sleep 0.2
	done
	die "nothing listens on $1:${2:-25}"
}

stop_all() {
	set +e
	local n pidf p pid me
	for n in "${POSTFIXES[@]}"; do
		[ -d "$SCRATCH/$n/conf" ] && postfix -c "$SCRATCH/$n/conf" stop >/dev/null 2>&1
	done
	for n in "${EXIMS[@]}"; do
		pidf=$SCRATCH/$n/exim.pid
		[ -s "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null
	done
	for pid in "${HELPER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
	sleep 2
	# Anything still alive in this private network namespace was started
	# by this script: end it by pid.
	me=$(readlink /proc/$$/ns/net)
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = $$ ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$me" ] || continue
		grep -qE '^(exim4|master|pickup|qmgr|smtpd|smtp|cleanup|postlogd|verify|tlsmgr|anvil|scache|proxymap|trivial-rewrite|local|bounce|postscreen|dnsblog|tlsproxy|rbldnsd|python3)$' "$p/comm" 2>/dev/null || continue
		kill "$pid" 2>/dev/null
	done
}

# ---- traffic
send() { # client-ip helo server from to [extra swaks args]; from '' = <>
	local src=$1 helo=$2 server=$3 from=$4 to=$5
	shift 5
	echo "=== $src -> $server from=<$from> to=<$to> $*" >>"$SWAKS_LOG"
	swaks --server "$server" --port 25 --local-interface "$src" --helo "$helo" \
		--from "${from:-<>}" --to "$to" --timeout 60 \
		--header "Subject: capture stage test message" \
		--body "Test message from evidence/testdata/mta/$(basename "$0")." \
		"$@" >>"$SWAKS_LOG" 2>&1 || true
	sleep "${PAUSE:-2}"
}
# pysend label smtpclient.py-args...: its transcript goes to its own file,
# appended to the swaks log when it ends (it may run in the background).
pysend() {
	local label=$1
	shift
	local out="$SCRATCH/py-$label.txt"
	{ echo "=== [$label] python3 smtpclient.py $*"; python3 "$HERE/smtpclient.py" "$@" 2>&1; } >"$out" || true
	cat "$out" >>"$SWAKS_LOG"
}

# Background clients: "cmd & BG+=("$!")", then wait_bg (a plain wait would
# also wait for the helpers, which never end).
BG=()
wait_bg() {
	local p
	for p in "${BG[@]}"; do wait "$p" || true; done
	BG=()
}

drain() { # wait until no Postfix queue has mail in flight (or 60 s); Exim
	# delivers at once, and what it defers or freezes stays by design.
	local i n busy
	for i in $(seq 60); do
		busy=0
		for n in "${POSTFIXES[@]}"; do
			[ -z "$(find "$SCRATCH/$n/queue"/{incoming,active} -type f 2>/dev/null)" ] || busy=1
		done
		[ $busy = 0 ] && break
		sleep 1
	done
	sleep 3
}

sha_table() { # files relative to $HERE
	(cd "$HERE" && sha256sum "$@" | awk '{print "| " $2 " | " $1 " |"}')
}
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
versions_table() {
	echo "| component | version |"
	echo "| --- | --- |"
	echo "| Debian | $(cat /etc/debian_version) |"
	echo "| postfix | $(ver postfix) (installed package) |"
	echo "| exim4-daemon-light | $(dpkg-deb -f "$EXIM_DEB" Version) (\`apt-get download\` + \`dpkg -x\`) |"
	echo "| swaks | $(ver swaks) |"
	echo "| libfaketime | $(ver libfaketime) |"
	echo "| rbldnsd | $(ver rbldnsd) |"
	echo "| python3 | $(ver python3) |"
	echo "| openssl | $(ver openssl) |"
	local p
	for p in ${EXTRA_PACKAGES:-}; do echo "| $p | $(ver "$p") |"; done
}
