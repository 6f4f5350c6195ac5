#!/usr/bin/env python3
"""scenarios-md.py — render scenarios.json (the manifest of the real-MTA
fixtures) as scenarios.md. scenarios.json is written by hand from what the
capture scripts SEND (their swaks / smtpclient.py calls and the transcripts),
never from a tool's output; this only lays it out for reading.

Usage: python3 scenarios-md.py > scenarios.md
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def cell(v):
    if isinstance(v, list):
        v = ", ".join(v) if v else "-"
    return str(v).replace("|", "\\|").replace("\n", " ")


def main():
    with open(os.path.join(HERE, "scenarios.json")) as f:
        d = json.load(f)
    out = []
    w = out.append
    w("# Manifest of the real-MTA log fixtures")
    w("")
    w("Generated from scenarios.json by scenarios-md.py; edit the JSON. Every entry is")
    w("written from what the capture scripts sent (capture.sh, capture-innocent.sh,")
    w("capture-outbound.sh, capture-farm.sh and their transcripts), not from any tool's output.")
    w("Stages: `capture` = capture.sh (PROVENANCE.md), `innocent` = capture-innocent.sh")
    w("(PROVENANCE-innocent.md, innocent-transcripts.txt), `outbound` = capture-outbound.sh")
    w("(PROVENANCE-outbound.md, outbound-transcripts.txt), `farm` = capture-farm.sh")
    w("(PROVENANCE-farm.md, farm-transcripts.txt).")
    w("In each scenario, \"received in\" names the logs of the MTAs the client connected")
    w("to; \"other side\" names the client's own log or the other end of the story.")
    w("check-manifest.py checks after a capture that the names and addresses still match.")
    w("")
    w("## Verdicts")
    w("")
    for k, v in d["verdicts"].items():
        w(f"- **{k}**: {v}")
    w("")
    w("## Per log: how to scan it and what a correct report holds")
    w("")
    w("| log | MTA | --domain | --network | probers | suspects | not probers | note |")
    w("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for l in d["logs"]:
        w("| " + " | ".join(cell(l.get(k, "")) for k in
                            ("log", "mta", "domains", "own_networks", "probers", "suspects", "not_probers", "note")) + " |")
    w("")
    w("## Scenarios")
    w("")
    for s in d["scenarios"]:
        w(f"### {s['id']} ({s['stage']})")
        w("")
        w(f"- received in: {cell(s['logs'])}")
        if s.get("context_logs"):
            w(f"- other side: {cell(s['context_logs'])}")
        w(f"- client: {s['client']}, HELO {s['helo']}")
        w(f"- sent: {s['sent']}")
        w(f"- class: {s['class']}")
        w(f"- expected: **{s['verdict']}** — {s['why']}")
        w("")
    w("## What could not be made here")
    w("")
    for line in d.get("not_made", []):
        w(f"- {line}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
