#!/usr/bin/env python3
"""A tiny external tagger speaking tagbench's command protocol, for the tests.

Reads {"id", "text"} lines on standard input, writes {"id", "spans"} lines on standard
output: "Mali" and "Niger" as PLACE, "UN" as ACTOR (whole words, code-point offsets).

The first argument picks a behaviour, good or broken:
  ok        the protocol, followed
  stream    answers each line as soon as it is read (flushing), so input and output overlap
  exit      reads everything, writes a traceback-like line on stderr, exits 3
  sleep     reads everything, then sleeps 30 s (a timeout)
  malformed writes a line that is not JSON for the second document
  skip      leaves out the last document
  invent    adds a document it was not sent
  badspan   gives the first document a span past the end of its text
  spaces    the protocol, and "United Nations" as ACTOR with any whitespace between the words
  one-space the same, but only with one plain space between them (a change that broke names
            across line breaks, for check's perturbations)
"""
import json
import re
import sys
import time

WORDS = {"Mali": "PLACE", "Niger": "PLACE", "UN": "ACTOR"}
PATTERN = re.compile(r"\b(" + "|".join(WORDS) + r")\b")


NAMES = {"spaces": re.compile(r"\bUnited\s+Nations\b"), "one-space": re.compile(r"\bUnited Nations\b")}


def tag(text, mode="ok"):
    spans = [
        {"start": m.start(), "end": m.end(), "label": WORDS[m.group(1)], "norm": m.group(1)}
        for m in PATTERN.finditer(text)
    ]
    if mode in NAMES:
        spans += [
            {"start": m.start(), "end": m.end(), "label": "ACTOR", "norm": "United Nations"}
            for m in NAMES[mode].finditer(text)
        ]
    return sorted(spans, key=lambda s: (s["start"], s["end"]))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
    out = sys.stdout
    if mode == "stream":
        for line in sys.stdin:
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["id"], "spans": tag(doc["text"])}) + "\n")
            out.flush()
        return 0
    docs = [json.loads(line) for line in sys.stdin if line.strip()]
    print(f"tagger.py: {len(docs)} documents read", file=sys.stderr)
    if mode == "exit":
        print("Traceback (most recent call last):", file=sys.stderr)
        print("ValueError: the model is missing", file=sys.stderr)
        return 3
    if mode == "sleep":
        sys.stderr.flush()
        time.sleep(30)
    lines = [{"id": d["id"], "spans": tag(d["text"], mode)} for d in docs]
    if mode == "skip":
        lines = lines[:-1]
    if mode == "invent":
        lines.append({"id": docs[0]["id"] + ".txt", "spans": []})
    if mode == "badspan":
        n = len(docs[0]["text"])
        lines[0]["spans"] = [{"start": 0, "end": n + 1, "label": "PLACE"}]
    for i, l in enumerate(lines):
        if mode == "malformed" and i == 1:
            out.write("{'id': 'not json'}\n")
            continue
        out.write(json.dumps(l) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
