#!/usr/bin/env python3
"""Differential test: tagbench's counts against seqeval 1.2.2, conlleval 0.2 and nervaluate 1.2.1.

Generates seeded random cases, scores each batch with one `tagbench score --format json` run
(one document per case), scores every case with the peers, and compares every count:

- tag cases (CoNLL files): every scheme, 2 to MAX_LABELS labels, 0 to 4 sentences of 0 to 12
  tokens, gold and predictions either encoded from random mentions (valid) or random tags of
  the scheme's alphabet (invalid sequences). `--chunking conlleval` (scheme detected) against
  seqeval's default mode and the `conlleval` package; `--chunking strict --tag-scheme S`
  against seqeval's strict mode with scheme S. Compared per case: correct, actual, possible of
  tagbench's strict scheme; per batch and label: correct and possible.
- span cases (JSONL files): random gold mentions, nested or overlapping in about a third of the
  cases (`--allow-overlaps`), and random predictions (which may overlap each other), empty
  documents included, against nervaluate's strict, exact, partial and ent_type (tagbench's
  type) counts: correct, incorrect, partial, missed, spurious. A case whose nervaluate result
  depends on the order of the mentions is not compared, and is counted as such: it is tried
  with both sides reversed, each side reversed, two shuffles, each prediction first and each
  gold mention first.

A disagreement fails the run unless a documented difference explains it (README, "Parity"),
in which case it is counted under that difference's name. Prints cases, agreements and
documented differences per peer and mode; exit 1 on any unexplained disagreement.
"""
import argparse
import collections
import fractions
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import conlleval
from nervaluate import Evaluator
from seqeval.metrics.sequence_labeling import get_entities
from seqeval import scheme as sq

# Labels are open: 2 to 6 of these per case, or, in a tenth of the cases, untyped tags (`B`,
# `I`, ...: the label `_`, seqeval's name for them). Every tag is written by `tag()`, so an
# untyped one is always `B`, never `B-_`.
LABELS = ["ACTOR", "PLACE", "FIGURE", "ORG", "MISC", "DATE"]
MAX_LABELS = 6
UNTYPED = True


def tag(prefix, label):
    """A tag: `O`, `B` (untyped: label `_`) or `B-X`."""
    if prefix == "O":
        return "O"
    return prefix if label == "_" else f"{prefix}-{label}"

# --min-overlap values tried against nervaluate's min_overlap_percentage (x 100), each on a
# sixth of --span-cases: shares that short spans hit exactly (1/4, 1/2, 3/4, 1/3 ...).
MIN_OVERLAPS = ["0.25", "0.5", "0.6", "0.75", "1"]

SCHEMES = ["iob1", "iob2", "ioe1", "ioe2", "iobes", "bilou"]
PREFIXES = {
    "iob1": "BI",
    "iob2": "BI",
    "ioe1": "IE",
    "ioe2": "IE",
    "iobes": "BIES",
    "bilou": "BILU",
}
class IOE1OneToken(sq.IOE1):
    """seqeval's IOE1 plus the one difference the README documents: an E-X after O or after
    another type starts a (one-token) chunk."""

    start_patterns = sq.IOE1.start_patterns | {
        (sq.Prefix.O, sq.Prefix.E, sq.Tag.ANY),
        (sq.Prefix.I, sq.Prefix.E, sq.Tag.DIFF),
    }


SEQEVAL_SCHEME = {
    "iob1": sq.IOB1,
    "iob2": sq.IOB2,
    "ioe1": sq.IOE1,
    "ioe2": sq.IOE2,
    "iobes": sq.IOBES,
    "bilou": sq.BILOU,
}


def encode(n, mentions, scheme):
    """Tags of n tokens for non-overlapping mentions (first, last, label) in `scheme`."""
    tags = ["O"] * n
    at = {}
    for f, l, lab in mentions:
        for t in range(f, l + 1):
            at[t] = (f, l, lab)
    for t, (f, l, lab) in at.items():
        prev_same = t == f and t - 1 in at and at[t - 1][2] == lab
        next_same = t == l and t + 1 in at and at[t + 1][2] == lab
        if scheme == "iob1":
            p = "B" if prev_same else "I"
        elif scheme == "iob2":
            p = "B" if t == f else "I"
        elif scheme == "ioe1":
            p = "E" if next_same else "I"
        elif scheme == "ioe2":
            p = "E" if t == l else "I"
        elif scheme == "iobes":
            p = "S" if f == l else "B" if t == f else "E" if t == l else "I"
        else:
            p = "U" if f == l else "B" if t == f else "L" if t == l else "I"
        tags[t] = tag(p, lab)
    return tags


def random_mentions(rng, n, labels):
    out, t = [], 0
    while t < n:
        if rng.random() < 0.4:
            length = rng.choice([1, 1, 2, 3])
            last = min(n - 1, t + length - 1)
            out.append((t, last, rng.choice(labels)))
            t = last + 1 + (rng.random() < 0.5)
        else:
            t += 1
    return out


def random_sentence(rng, n, labels, scheme, valid):
    if valid:
        return encode(n, random_mentions(rng, n, labels), scheme)
    alphabet = PREFIXES[scheme]
    out = []
    for _ in range(n):
        if rng.random() < 0.35:
            out.append("O")
        else:
            lab = rng.choice(labels)
            p = rng.choice(alphabet)
            out.append(tag(p, lab))
    return out


def tag_case(rng, scheme):
    k = rng.randint(2, MAX_LABELS)
    labels = rng.sample(LABELS[:MAX_LABELS], k)
    if UNTYPED and rng.random() < 0.1:
        labels = ["_"]
    sentences = []
    for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
        n = rng.randint(0, 12)
        if n == 0:
            continue
        g = random_sentence(rng, n, labels, scheme, rng.random() < 0.6)
        if rng.random() < 0.5:
            p = random_sentence(rng, n, labels, scheme, rng.random() < 0.6)
        else:
            # A few edits of the gold: near misses.
            p = list(g)
            for _ in range(rng.randint(0, 3)):
                i = rng.randrange(n)
                lab = rng.choice(labels)
                p[i] = rng.choice(["O", tag(rng.choice(PREFIXES[scheme]), lab)])
        sentences.append((g, p))
    return sentences


def conll_file(cases, side):
    out = []
    for i, sentences in enumerate(cases):
        out.append(f"-DOCSTART-\tc{i}\n\n")
        for sent in sentences:
            for j, tag in enumerate(sent[side]):
                out.append(f"t{j}\t{tag}\n")
            out.append("\n")
    return "".join(out)


def run_tagbench(tagbench, args):
    r = subprocess.run([tagbench, "score", "--format", "json", *args], capture_output=True)
    if r.returncode != 0:
        sys.exit(f"tagbench {' '.join(args)} failed: {r.stderr.decode()}")
    report = json.loads(r.stdout)
    docs = {d["doc"]: d["schemes"] for d in report["documents"]}
    return docs, report


def seqeval_default(sentences):
    """seqeval's default mode (BILOU's L and U as E and S, as tagbench reads them)."""
    m = str.maketrans({"L": "E", "U": "S"})
    g = [[t[0].translate(m) + t[1:] for t in s[0]] for s in sentences]
    p = [[t[0].translate(m) + t[1:] for t in s[1]] for s in sentences]
    return get_entities(g) if g else [], get_entities(p) if p else []


def seqeval_strict(sentences, scheme):
    cls = SEQEVAL_SCHEME[scheme] if isinstance(scheme, str) else scheme
    g = sq.Entities([s[0] for s in sentences], cls)
    p = sq.Entities([s[1] for s in sentences], cls)
    to = lambda es: [(e.tag, e.sent_id, e.start, e.end) for s in es.entities for e in s]
    return to(g), to(p)


def conlleval_counts(sentences):
    lines = []
    m = str.maketrans({"L": "E", "U": "S"})
    for g, p in sentences:
        for j, (a, b) in enumerate(zip(g, p)):
            lines.append(f"t{j} {a[0].translate(m) + a[1:]} {b[0].translate(m) + b[1:]}")
        lines.append("")
    if not lines:
        return 0, 0, 0
    s = conlleval.evaluate(lines)["overall"]["chunks"]["stats"]
    return s["correct"], s["pred"], s["gold"]


class Tally:
    def __init__(self):
        self.rows = collections.OrderedDict()
        self.failures = []

    def add(self, peer, mode, outcome):
        row = self.rows.setdefault((peer, mode), collections.Counter())
        row["cases"] += 1
        row[outcome] += 1

    def fail(self, msg):
        self.failures.append(msg)


def check_tags(tagbench, tmp, rng, n_cases, tally):
    for scheme in SCHEMES:
        cases = [tag_case(rng, scheme) for _ in range(n_cases)]
        g = os.path.join(tmp, f"{scheme}.gold.conll")
        p = os.path.join(tmp, f"{scheme}.pred.conll")
        with open(g, "w") as f:
            f.write(conll_file(cases, 0))
        with open(p, "w") as f:
            f.write(conll_file(cases, 1))
        for chunking in ["conlleval", "strict"]:
            args = ["--gold", g, "--pred", p, "--chunking", chunking]
            if chunking == "strict":
                args += ["--tag-scheme", scheme]
            docs, report = run_tagbench(tagbench, args)
            per_label = collections.Counter()
            for i, sentences in enumerate(cases):
                got = docs[f"c{i}"]["strict"]
                got = (got["correct"], got["actual"], got["possible"])
                if chunking == "conlleval":
                    ge, pe = seqeval_default(sentences)
                    peers = {"seqeval default": (ge, pe)}
                    want_c = conlleval_counts(sentences)
                    tally.add("conlleval 0.2", scheme, "agree" if got == want_c else "DISAGREE")
                    if got != want_c:
                        tally.fail(f"conlleval {scheme} c{i}: tagbench {got}, conlleval {want_c}: {sentences}")
                else:
                    ge, pe = seqeval_strict(sentences, scheme)
                    peers = {"seqeval strict": (ge, pe)}
                counts = lambda ge, pe: (len(set(ge) & set(pe)), len(pe), len(ge))
                # The documented IOE1 difference: tagbench equals seqeval with it, exactly.
                documented = None
                if scheme == "ioe1" and chunking == "strict":
                    documented = counts(*seqeval_strict(sentences, IOE1OneToken))
                    ge, pe = seqeval_strict(sentences, IOE1OneToken)
                    for e in ge:
                        per_label[("possible", e[0])] += 1
                    for e in set(ge) & set(pe):
                        per_label[("correct", e[0])] += 1
                for peer, (ge, pe) in peers.items():
                    want = counts(ge, pe)
                    if documented is None:
                        for e in ge:
                            per_label[("possible", e[0])] += 1
                        for e in set(ge) & set(pe):
                            per_label[("correct", e[0])] += 1
                    if got == want:
                        outcome = "agree"
                    elif got == documented:
                        outcome = "documented: IOE1 one-token mention"
                    else:
                        outcome = "DISAGREE"
                        tally.fail(f"{peer} {scheme} c{i}: tagbench {got}, {peer} {want}: {sentences}")
                    tally.add(peer, f"{scheme}", outcome)
            # Per label, over the batch: correct and possible are filed under the gold label
            # by both (actual differs by design: tagbench files a wrong-label prediction
            # under the gold label). For IOE1 strict, against seqeval with the documented
            # difference.
            peer = "seqeval default" if chunking == "conlleval" else "seqeval strict"
            for (what, label), n in sorted(per_label.items()):
                by = report["schemes"]["strict"]["by_label"].get(label, {})
                ok = by.get(what) == n
                tally.add(peer, "per label", "agree" if ok else "DISAGREE")
                if not ok:
                    tally.fail(f"{peer} {scheme} label {label} {what}: tagbench {by.get(what)}, {peer} {n}")


def span_case(rng):
    k = rng.randint(2, MAX_LABELS)
    labels = rng.sample(LABELS[:MAX_LABELS], k)
    n = rng.choice([0, rng.randint(1, 60)])
    text = "".join(rng.choice("ab ") for _ in range(n))
    gold, t = [], 0
    while t < n:
        if rng.random() < 0.3:
            e = min(n, t + rng.randint(1, 8))
            gold.append((t, e, rng.choice(labels)))
            t = e + rng.randint(0, 2)
        else:
            t += 1
    if gold and rng.random() < 0.3:
        # Overlapping and nested gold mentions (tagbench reads them with --allow-overlaps).
        for _ in range(rng.randint(1, 3)):
            s, e, _ = rng.choice(gold)
            if rng.random() < 0.5:
                s2 = rng.randint(s, e - 1)
                e2 = rng.randint(s2 + 1, e)
            else:
                s2 = min(n - 1, max(0, s + rng.randint(-4, 4)))
                e2 = min(n, max(s2 + 1, e + rng.randint(-4, 4)))
            if (s2, e2) != (s, e) or rng.random() < 0.3:
                gold.append((s2, e2, rng.choice(labels)))
        gold = sorted(set(gold))
    pred = []
    for s, e, lab in gold:
        r = rng.random()
        if r < 0.3:
            pred.append((s, e, lab))
        elif r < 0.45:
            pred.append((s, e, rng.choice(labels)))
        elif r < 0.8:
            s2 = max(0, min(n - 1, s + rng.randint(-3, 3)))
            e2 = max(s2 + 1, min(n, e + rng.randint(-3, 3)))
            pred.append((s2, e2, rng.choice([lab, lab, rng.choice(labels)])))
    for _ in range(rng.randint(0, 2) if n else 0):
        s = rng.randrange(n)
        pred.append((s, min(n, s + rng.randint(1, 8)), rng.choice(labels)))
    return text, gold, pred, labels


def nervaluate_counts(gold, pred, labels, percentage=1.0):
    true = [[{"label": l, "start": s, "end": e - 1} for s, e, l in gold]]
    p = [[{"label": l, "start": s, "end": e - 1} for s, e, l in pred]]
    res = Evaluator(true, p, tags=labels, loader="dict",
                    min_overlap_percentage=percentage).evaluate()["overall"]
    return {
        k: (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
        for k, r in res.items()
    }


def nested_gold_pairing(gold, pred):
    """The README's documented difference: a prediction with the boundaries of a gold mention
    of another label that also overlaps a gold mention of its own label (only nested or
    overlapping gold can do this). nervaluate's ent_type pairs it with the second, its exact
    and partial with the first; tagbench pairs once, for every scheme, with the first."""
    def overlaps(a, b):
        return a[0] < b[1] and b[0] < a[1]
    return any(
        any(g[:2] == p[:2] and g[2] != p[2] for g in gold)
        and any(g[2] == p[2] and overlaps(g, p) for g in gold)
        for p in pred
    )


def float_percentage(gold, pred, min_overlap):
    """The README's documented difference: nervaluate computes the overlap percentage in
    floating point, so an overlap of exactly F of a gold mention can fall short of 100 F
    (29 of 100 units: 28.999999999999996 < 29); tagbench compares exact fractions."""
    if min_overlap is None:
        return False
    f = fractions.Fraction(min_overlap)
    for gs, ge, _ in gold:
        for ps, pe, _ in pred:
            o = min(ge, pe) - max(gs, ps)
            if o > 0 and fractions.Fraction(o, ge - gs) >= f and (o / (ge - gs)) * 100.0 < float(f * 100):
                return True
    return False


def check_spans(tagbench, tmp, rng, n_cases, tally, min_overlap=None):
    """Span cases against nervaluate; with `min_overlap` (a decimal string F), tagbench's
    --min-overlap F against nervaluate's min_overlap_percentage 100 F."""
    cases = [span_case(rng) for _ in range(n_cases)]
    percentage = 1.0 if min_overlap is None else float(fractions.Fraction(min_overlap) * 100)
    extra = [] if min_overlap is None else ["--min-overlap", min_overlap]
    g = os.path.join(tmp, "gold.jsonl")
    p = os.path.join(tmp, "pred.jsonl")
    with open(g, "w") as fg, open(p, "w") as fp:
        for i, (text, gold, pred, _) in enumerate(cases):
            for f, spans in ((fg, gold), (fp, pred)):
                f.write(json.dumps({"id": f"s{i}", "text": text, "spans": [
                    {"start": s, "end": e, "label": l} for s, e, l in spans]}) + "\n")
    docs, _ = run_tagbench(tagbench, ["--gold", g, "--pred", p, "--allow-overlaps", *extra])
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "ent_type": "type"}
    for i, (text, gold, pred, labels) in enumerate(cases):
        orders = [(gold, pred), (gold[::-1], pred[::-1]), (gold[::-1], pred), (gold, pred[::-1])]
        orders += [(rng.sample(gold, len(gold)), rng.sample(pred, len(pred))) for _ in range(2)]
        # Each prediction first once, each gold mention first once: nervaluate takes
        # predictions in order, each with the first free gold mention that suits it.
        orders += [(gold, pred[k:] + pred[:k]) for k in range(1, len(pred))]
        orders += [(gold[k:] + gold[:k], pred) for k in range(1, len(gold))]
        orders += [(gold[k:] + gold[:k], pred[::-1]) for k in range(1, len(gold))]
        results = [nervaluate_counts(a, b, labels, percentage) for a, b in orders]
        for nv, ours in names.items():
            mode = nv if min_overlap is None else f"{nv} >={min_overlap}"
            if any(r[nv] != results[0][nv] for r in results[1:]):
                tally.add("nervaluate 1.2.1", mode, "order-dependent (not compared)")
                continue
            c = docs[f"s{i}"][ours]
            got = (c["correct"], c["incorrect"], c["partial"], c["missed"], c["spurious"])
            want = results[0][nv]
            if got == want:
                outcome = "agree"
            elif nv == "ent_type" and nested_gold_pairing(gold, pred):
                outcome = "documented: nested gold, one pairing for all schemes"
            elif float_percentage(gold, pred, min_overlap):
                outcome = "documented: float percentage"
            else:
                outcome = "DISAGREE"
                tally.fail(f"nervaluate {nv} s{i}: tagbench {got}, nervaluate {want}: gold {gold} pred {pred}")
            tally.add("nervaluate 1.2.1", mode, outcome)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tagbench", required=True)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--tag-cases", type=int, default=1000, help="per scheme")
    ap.add_argument("--span-cases", type=int, default=6000)
    ap.add_argument("--show", type=int, default=5, help="disagreements to print")
    a = ap.parse_args()
    started = time.time()
    rng = random.Random(a.seed)
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        check_tags(a.tagbench, tmp, rng, a.tag_cases, tally)
        check_spans(a.tagbench, tmp, rng, a.span_cases, tally)
        for f in MIN_OVERLAPS:
            check_spans(a.tagbench, tmp, rng, a.span_cases // 6, tally, f)
    print(f"differential test, seed {a.seed}: peer, mode: cases, agreements, other outcomes")
    total = collections.Counter()
    for (peer, mode), row in tally.rows.items():
        other = ", ".join(f"{k} {v}" for k, v in sorted(row.items()) if k not in ("cases", "agree"))
        print(f"  {peer:18} {mode:16} {row['cases']:6} cases, {row['agree']:6} agree"
              + (f"; {other}" if other else ""))
        total.update(row)
    print(f"  total: {total['cases']} comparisons, {total['agree']} agree, "
          f"{total['DISAGREE']} unexplained disagreements ({time.time() - started:.1f} s)")
    for msg in tally.failures[: a.show]:
        print("DISAGREE:", msg[:2000])
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
