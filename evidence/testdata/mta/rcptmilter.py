#!/usr/bin/env python3
"""rcptmilter.py — the smallest milter that rejects recipients, so that
Postfix writes real "NOQUEUE: milter-reject: RCPT from ..." lines.

It speaks the Sendmail milter protocol, version 6 (the packet layout of
libmilter's mfdef.h: a 4-byte big-endian length, a command byte, data). It
asks Postfix for RCPT events only and answers every other event with
"continue". A recipient whose local part starts with "old-" (a retired
mailbox) is refused with a 550 reply of the milter's own; everything else
continues.

Usage: rcptmilter.py IP PORT
"""
import socket
import struct
import sys
import threading

SMFIP_NOCONNECT = 0x01
SMFIP_NOHELO = 0x02
SMFIP_NOMAIL = 0x04
SMFIP_NOBODY = 0x10
SMFIP_NOHDRS = 0x20
SMFIP_NOEOH = 0x40
SMFIP_NOUNKNOWN = 0x100
SMFIP_NODATA = 0x200
SKIP = (SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NOBODY | SMFIP_NOHDRS
        | SMFIP_NOEOH | SMFIP_NOUNKNOWN | SMFIP_NODATA)


def read_packet(conn):
    head = recv_exact(conn, 4)
    if head is None:
        return None, None
    (n,) = struct.unpack(">I", head)
    body = recv_exact(conn, n)
    if body is None:
        return None, None
    return body[:1], body[1:]


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def write_packet(conn, cmd, data=b""):
    conn.sendall(struct.pack(">I", len(data) + 1) + cmd + data)


def serve(conn):
    with conn:
        while True:
            cmd, data = read_packet(conn)
            if cmd is None or cmd == b"Q":
                return
            if cmd == b"O":  # option negotiation: version 6, no actions
                write_packet(conn, b"O", struct.pack(">III", 6, 0, SKIP))
            elif cmd in (b"D", b"A", b"K"):  # macros, abort, quit-new-connection: no reply
                continue
            elif cmd == b"R":
                rcpt = data.split(b"\0")[0].decode("utf-8", "replace")
                local = rcpt.strip("<>").split("@")[0]
                if local.startswith("old-"):
                    msg = f"550 5.1.1 {rcpt}: mailbox retired\0"
                    write_packet(conn, b"y", msg.encode())
                else:
                    write_packet(conn, b"c")
            else:
                write_packet(conn, b"c")


def main():
    ip, port = sys.argv[1], int(sys.argv[2])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((ip, port))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
