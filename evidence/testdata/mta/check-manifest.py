#!/usr/bin/env python3
"""check-manifest.py — after a capture run, check that scenarios.json still
matches the logs: every log it names exists, and every scenario's client
shows up as a connecting client in the logs listed under "logs" (the
"context_logs" are the client's own log or the other side). It reads the logs only to
find the addresses; the verdicts in scenarios.json are never derived from
here.

Usage: python3 check-manifest.py   (exit status 1 on a mismatch)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IP = re.compile(r"\b127(?:\.\d{1,3}){3}\b")


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8", errors="replace") as f:
        return f.read()


def main():
    with open(os.path.join(HERE, "scenarios.json")) as f:
        d = json.load(f)
    bad = 0
    for s in d["scenarios"]:
        ips = IP.findall(s["client"])
        for log in s["logs"] + s.get("context_logs", []):
            if not os.path.exists(os.path.join(HERE, log)):
                print(f"{s['id']}: missing log {log}")
                bad += 1
        # In the logs where the scenario's client connects, the receiving
        # MTA names it: Postfix [ip] or [ip]:port, Exim [ip], postscreen [ip]:port.
        seen = {ip: False for ip in ips}
        for log in s["logs"]:
            if not os.path.exists(os.path.join(HERE, log)):
                continue
            text = read(log)
            hits = [ip for ip in ips if f"[{ip}]" in text]
            if not hits:
                print(f"{s['id']}: none of {ips} connects in {log}")
                bad += 1
            for ip in hits:
                seen[ip] = True
        for ip, ok in seen.items():
            if s["logs"] and not ok:
                print(f"{s['id']}: {ip} connects in none of {s['logs']}")
                bad += 1
    for l in d["logs"]:
        for name in re.split(r"[ ,]+", l["log"]):
            if name and name != "..." and not os.path.exists(os.path.join(HERE, name)):
                print(f"logs table: missing {name}")
                bad += 1
    print(f"check-manifest: {len(d['scenarios'])} scenarios, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
