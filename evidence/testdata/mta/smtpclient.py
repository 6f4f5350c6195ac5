#!/usr/bin/env python3
"""smtpclient.py — a plain SMTP client for the capture stages, for the
sessions swaks cannot play: a pause before DATA (a slow bounce), a client
that stops talking after RCPT (the server's smtpd_timeout ends it), a client
that drops the TCP connection after RCPT.

It writes a swaks-like transcript to stdout ("<-" server, " ->" client,
"<**" a 4xx/5xx reply), so the manifest can quote what was sent.

Usage:
  smtpclient.py --src IP --server IP --helo NAME --from ADDR --to ADDR [--to ADDR ...]
                [--pause-before-data SECONDS] [--stall-after-rcpt SECONDS]
                [--drop-after-rcpt]
"""
import argparse
import socket
import sys
import time


def reply(f):
    """Read one SMTP reply (RFC 5321 4.2.1: multi-line while the 4th char is '-')."""
    lines = []
    while True:
        line = f.readline()
        if not line:
            print("<** (connection closed by server)")
            return 0, lines
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        mark = "<**" if line[:1] in ("4", "5") else "<- "
        print(f"{mark} {line}")
        if len(line) < 4 or line[3] != "-":
            return int(line[:3]), lines


def send(sock, f, cmd):
    print(f" -> {cmd}")
    sock.sendall(cmd.encode() + b"\r\n")
    return reply(f)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, default=25)
    ap.add_argument("--helo", required=True)
    ap.add_argument("--from", dest="sender", required=True, help="'' for the null sender")
    ap.add_argument("--to", action="append", required=True)
    ap.add_argument("--pause-before-data", type=float, default=0)
    ap.add_argument("--stall-after-rcpt", type=float, default=0)
    ap.add_argument("--drop-after-rcpt", action="store_true")
    a = ap.parse_args()

    sock = socket.create_connection((a.server, a.port), timeout=300, source_address=(a.src, 0))
    f = sock.makefile("rb")
    print(f"=== connected {a.src}:{sock.getsockname()[1]} -> {a.server}:{a.port}")
    if reply(f)[0] != 220:
        return
    send(sock, f, f"EHLO {a.helo}")
    if send(sock, f, f"MAIL FROM:<{a.sender}>") != 250:
        send(sock, f, "QUIT")
        return
    accepted = 0
    for rcpt in a.to:
        code = send(sock, f, f"RCPT TO:<{rcpt}>")
        if code == 0:
            return
        if code == 250:
            accepted += 1
    if a.drop_after_rcpt:
        print("=== client drops the connection")
        sock.close()
        return
    if a.stall_after_rcpt:
        print(f"=== client stalls {a.stall_after_rcpt:g} s")
        time.sleep(a.stall_after_rcpt)
        # The server has given up by now; read what it said last.
        reply(f)
        sock.close()
        return
    if accepted == 0:
        send(sock, f, "QUIT")
        return
    if a.pause_before_data:
        print(f"=== client pauses {a.pause_before_data:g} s before DATA")
        time.sleep(a.pause_before_data)
    if send(sock, f, "DATA") == 354:
        body = (
            f"From: <{a.sender or 'MAILER-DAEMON@' + a.helo}>\r\n"
            f"To: <{a.to[-1]}>\r\n"
            "Subject: capture stage test message\r\n"
            "\r\n"
            "Test message from evidence/testdata/mta/smtpclient.py.\r\n"
        )
        sock.sendall(body.encode())
        print(" -> (message body)")
        send(sock, f, ".")
    send(sock, f, "QUIT")
    sock.close()


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
