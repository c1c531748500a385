"""tagbench.evaluate against nervaluate and seqeval, in one run.

    pip install ./python nervaluate seqeval
    python python/bench/bench.py [--repeat 3] [--seed 1]

Three workloads, each generated once (outside the timed part) and scored by both sides from
the same Python objects:

- nervaluate, 200k spans in 10k documents (20 a document);
- nervaluate, one document with 8k spans (nervaluate is quadratic per document);
- seqeval, 1M tokens in 40k sentences of 25 tags (IOB2), `classification_report`.

Predictions are the gold with errors: a label changed, a boundary moved, a span dropped, a
spurious span added. Each side's time is the best CPU time of --repeat runs and includes everything
the call does (for tagbench: reading the Python objects, scoring, building the report dict).
Both sides must agree on the strict counts before a time is printed.
"""

import argparse
import random
import sys
import time

import tagbench

LABELS = ["ACTOR", "PLACE", "FIGURE"]


def gold_doc(rng: random.Random, n_spans: int) -> list[dict]:
    """n_spans non-overlapping spans in token offsets, nervaluate-style (inclusive ends)."""
    doc, pos = [], 0
    for _ in range(n_spans):
        pos += rng.randrange(4, 9)
        length = rng.randrange(1, 4)
        doc.append({"label": rng.choice(LABELS), "start": pos, "end": pos + length - 1})
        pos += length
    return doc


def perturb(rng: random.Random, doc: list[dict]) -> list[dict]:
    out = []
    for s in doc:
        r = rng.random()
        if r < 0.05:
            continue  # missed
        s = dict(s)
        if r < 0.15:
            s["label"] = rng.choice([l for l in LABELS if l != s["label"]])
        elif r < 0.25:
            s["end"] += 1  # a token too many (gold spans are at least 4 tokens apart)
        out.append(s)
        if rng.random() < 0.05:  # a spurious one-token span in the gap after it
            out.append({"label": rng.choice(LABELS), "start": s["end"] + 2, "end": s["end"] + 2})
    return out


def best(repeat: int, f):
    """The best CPU time of `repeat` calls (both sides run on one thread, and CPU time does
    not count the time a busy machine makes a process wait), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = f()
        times.append(time.process_time() - t0)
    return min(times), result


def nervaluate_workload(name, rng, n_docs, spans_per_doc, repeat):
    from nervaluate import Evaluator

    gold = [gold_doc(rng, spans_per_doc) for _ in range(n_docs)]
    pred = [perturb(rng, d) for d in gold]
    t_tb, tb = best(repeat, lambda: tagbench.evaluate(gold, pred, inclusive_ends=True))
    t_nv, nv = best(
        1 if spans_per_doc > 1000 else repeat,
        lambda: Evaluator(gold, pred, tags=LABELS, loader="dict").evaluate(),
    )
    ours = tb["schemes"]["strict"]["overall"]
    theirs = nv["overall"]["strict"]
    for k in ["correct", "incorrect", "missed", "spurious"]:
        assert ours[k] == getattr(theirs, k), (name, k, ours[k], getattr(theirs, k))
    n_spans = sum(map(len, gold)) + sum(map(len, pred))
    return name, n_spans, t_nv, t_tb


def bio(spans: list[dict], n: int) -> list[str]:
    tags = ["O"] * n
    for s in spans:
        if s["end"] < n:
            tags[s["start"]] = "B-" + s["label"]
            for i in range(s["start"] + 1, s["end"] + 1):
                tags[i] = "I-" + s["label"]
    return tags


def seqeval_workload(rng, n_tokens, sentence, repeat):
    from seqeval.metrics import classification_report

    y_true, y_pred = [], []
    for _ in range(n_tokens // sentence):
        g = [s for s in gold_doc(rng, 3) if s["end"] < sentence]
        p = [s for s in perturb(rng, g) if s["end"] < sentence]
        y_true.append(bio(g, sentence))
        y_pred.append(bio(p, sentence))
    t_tb, tb = best(repeat, lambda: tagbench.evaluate(y_true, y_pred))
    t_sq, sq = best(repeat, lambda: classification_report(y_true, y_pred, output_dict=True))
    ours = tb["schemes"]["strict"]["overall"]
    assert abs(ours["f1"] - round(sq["micro avg"]["f1-score"], 4)) < 1e-4, (ours, sq["micro avg"])
    return "seqeval, 1M tokens", n_tokens, t_sq, t_tb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = [
        nervaluate_workload("nervaluate, 200k spans / 10k docs", rng, 10_000, 20, a.repeat),
        nervaluate_workload("nervaluate, 8k spans / 1 doc", rng, 1, 8_000, a.repeat),
        seqeval_workload(rng, 1_000_000, 25, a.repeat),
    ]
    print(f"{'workload':36} {'items':>9} {'reference CPU s':>16} {'tagbench CPU s':>15} {'ratio':>8}")
    for name, n, t_ref, t_tb in rows:
        print(f"{name:36} {n:>9} {t_ref:>16.3f} {t_tb:>15.4f} {t_ref / t_tb:>7.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
