"""Tag a JSONL corpus with tagbench on Spark, write the predictions, score them against a gold.

    spark-submit --master local[2] --py-files tagbench-0.1.0-cp311-abi3-linux_x86_64.whl \\
        examples/spark/tag_and_score.py --corpus news.jsonl --out predictions/ \\
        [--gold annotations.csv] [--variant default] [--pipe /path/to/tagbench]

- The corpus is JSONL, `{"id": ..., "text": ...}` a line, as `tagbench tag` reads it.
- Tagging runs in `mapPartitions` with one `tagbench.Tagger` per partition (building one
  loads the gazetteers and the automaton: once a partition, never once a document), or, with
  `--pipe BIN`, through `RDD.pipe` into `BIN tag --threads 1 -` on each executor.
- Predictions are written as the CSV `tagbench tag` writes (`doc,start,end,label,text,norm`,
  code points, half-open): one part file a partition, in corpus order, each with the header.
- With `--gold` (an annotations CSV on the driver's disk), each partition scores its documents with
  `tagbench.evaluate`, the per-document counts are summed on the driver (counts add up; the
  reduce is a sum) and `tagbench.scores` / `tagbench.bootstrap_f1` turn the sums into P, R,
  F1 and a 95% interval. The numbers are `tagbench score`'s.
"""

import argparse
import csv
import io
import json
import sys
import time

COLUMNS = ["doc", "start", "end", "label", "text", "norm"]
SCHEMES = ["strict", "exact", "partial", "type", "norm"]
KEYS = ["correct", "incorrect", "partial", "missed", "spurious"]


def tag_partition(variant):
    """mapPartitions function: one Tagger for the whole partition, texts tagged in batches."""

    def run(lines):
        import tagbench  # imported on the executor

        tagger = tagbench.Tagger.from_variant(variant)
        batch = []

        def flush():
            ids = [d for d, _ in batch]
            for doc, mentions in zip(ids, tagger.tag_many([t for _, t in batch])):
                for m in mentions:
                    yield (doc, m.start, m.end, m.label, m.text, m.norm)
            batch.clear()

        for n, line in enumerate(lines):
            if not line.strip():
                continue
            d = json.loads(line)
            batch.append((d.get("id", f"line-{n + 1}"), d["text"]))
            if len(batch) >= 256:
                yield from flush()
        yield from flush()

    return run


def parse_csv_partition(lines):
    """Rows of the CSV that one `tagbench tag -` process wrote (RDD.pipe gives its lines;
    a quoted field may hold a line break, so the lines are joined before parsing)."""
    text = "\n".join(lines)
    for r in csv.DictReader(io.StringIO(text)):
        yield (r["doc"], int(r["start"]), int(r["end"]), r["label"], r["text"], r["norm"])


def tag_with_pipe(corpus, binary, variant, variants_dir):
    cmd = [binary, "tag", "--threads", "1", "--variant", variant]
    if variants_dir:
        cmd += ["--variants-dir", variants_dir]
    # RDD.pipe splits a string command with shlex; quote the parts.
    import shlex

    return corpus.pipe(" ".join(shlex.quote(c) for c in cmd + ["-"])).mapPartitions(
        parse_csv_partition
    )


def to_csv_partition(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(r)
    yield buf.getvalue().rstrip("\n")


def score_partition(docs):
    """Per-document counts of one partition's (doc, (gold rows, pred rows)) pairs."""
    import tagbench

    docs = list(docs)
    if not docs:
        return
    span = lambda r: {"label": r[3], "start": r[1], "end": r[2], "norm": r[5]}
    report = tagbench.evaluate(
        [[span(r) for r in g] for _, (g, _) in docs],
        [[span(r) for r in p] for _, (_, p) in docs],
        ids=[d for d, _ in docs],
    )
    for d in report["documents"]:
        yield d["doc"], {s: {k: d["schemes"][s][k] for k in KEYS} for s in SCHEMES}


def add(a, b):
    return {s: {k: a[s][k] + b[s][k] for k in KEYS} for s in SCHEMES}


def read_gold(sc, path):
    """An annotations CSV as (doc, row) pairs: parsed on the driver's side of textFile would
    break on quoted line breaks, so the file is read whole (gold files are small)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = [
            (r["doc"], int(r["start"]), int(r["end"]), r["label"], r["text"], r["norm"])
            for r in csv.DictReader(f)
        ]
    return sc.parallelize(rows, max(1, sc.defaultParallelism)).keyBy(lambda r: r[0])


def score(sc, gold_path, pred_rows, resamples=1000):
    """Sums per-document counts on the driver; returns {scheme: COUNTS} plus the per-scheme
    95% bootstrap interval of F1 over documents, and the per-document counts."""
    import tagbench

    gold = read_gold(sc, gold_path)
    pred = pred_rows.keyBy(lambda r: r[0])
    per_doc = gold.cogroup(pred).mapValues(lambda gp: (list(gp[0]), list(gp[1])))
    doc_counts = per_doc.mapPartitions(score_partition).cache()
    totals = doc_counts.values().reduce(add)
    report = {s: tagbench.scores(totals[s]) for s in SCHEMES}
    docs = sorted(doc_counts.collect())
    for s in SCHEMES:
        lo, hi = tagbench.bootstrap_f1([c[s] for _, c in docs], resamples=resamples)
        report[s]["f1_interval"] = [round(lo, 4), round(hi, 4)]
    return report, dict(docs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="JSONL: {\"id\": ..., \"text\": ...} a line")
    ap.add_argument("--out", required=True, help="a folder for the predictions' part files")
    ap.add_argument("--gold", help="an annotations CSV to score against")
    ap.add_argument("--variant", default="default")
    ap.add_argument("--pipe", metavar="BIN", help="tag with RDD.pipe into BIN tag -")
    ap.add_argument("--variants-dir", help="--variants-dir for the piped binary")
    ap.add_argument("--partitions", type=int, default=None)
    a = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("tagbench").getOrCreate()
    sc = spark.sparkContext
    corpus = sc.textFile(a.corpus, a.partitions or sc.defaultParallelism)
    if a.pipe:
        rows = tag_with_pipe(corpus, a.pipe, a.variant, a.variants_dir)
    else:
        rows = corpus.mapPartitions(tag_partition(a.variant))
    rows = rows.cache()
    t0 = time.perf_counter()
    rows.mapPartitions(to_csv_partition).saveAsTextFile(a.out)
    elapsed = time.perf_counter() - t0
    print(json.dumps({"tag_and_write_seconds": round(elapsed, 3)}))
    if a.gold:
        report, _ = score(sc, a.gold, rows)
        print(json.dumps(report, indent=1))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
