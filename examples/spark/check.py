"""Runs the Spark example in local mode and checks it against the tagbench binary.

    python examples/spark/check.py --bin target/release/tagbench [--master local[2]] [--mib 4]

On two corpora, the gold texts and a generated one of about --mib MiB (paragraphs of the gold
texts in a seeded random order, some behind astral characters so that code points and UTF-16
differ), and with both ways of tagging (mapPartitions with one Tagger a partition, and
RDD.pipe into `tagbench tag -`):

- the predictions written by the job, read back part file by part file, equal the rows of
  `tagbench tag` on the same JSONL, in the same order;
- the counts summed over documents equal `tagbench score --format json`'s, overall for every
  scheme and document by document. The gold of the gold texts is gold/annotations.csv; that
  of the generated corpus is another variant's (`unicode-fold`) predictions, so that there
  are errors of every kind to count.

Exits 0 when everything agrees, 1 otherwise. --measure also times tagging alone on the
generated corpus (MiB/s) for local[1] and local[2].
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import tag_and_score as job  # noqa: E402


def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def csv_rows(text):
    return [
        (r["doc"], int(r["start"]), int(r["end"]), r["label"], r["text"], r["norm"])
        for r in csv.DictReader(text.splitlines(keepends=True))
    ]


def gold_corpus(path):
    with open(path, "w", encoding="utf-8") as f:
        for t in sorted((ROOT / "gold" / "texts").glob("*.txt")):
            f.write(json.dumps({"id": t.stem, "text": t.read_text(encoding="utf-8")}) + "\n")


def generated_corpus(path, mib, seed=16):
    paras = [
        p
        for t in sorted((ROOT / "gold" / "texts").glob("*.txt"))
        for p in t.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    rng = random.Random(seed)
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < mib * 2**20:
            text = "\n\n".join(rng.choice(paras) for _ in range(rng.randrange(1, 12)))
            if n % 3 == 0:
                text = "𝔐 😀 " + text
            line = json.dumps({"id": f"gen-{n:06}", "text": text}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode())
            n += 1
    return n


def read_parts(folder):
    rows = []
    for part in sorted(Path(folder).glob("part-*")):
        rows += csv_rows(part.read_text(encoding="utf-8"))
    return rows


def reference_counts(binary, gold, pred):
    r = json.loads(run(binary, "score", "--format", "json", "--gold", gold, "--pred", pred))
    overall = {s: {k: r["schemes"][s]["overall"][k] for k in job.KEYS} for s in job.SCHEMES}
    docs = {
        d["doc"]: {s: {k: d["schemes"][s][k] for k in job.KEYS} for s in job.SCHEMES}
        for d in r["documents"]
    }
    return overall, docs, r


def check_corpus(spark, name, corpus, gold, ref_csv, binary, work, failures):
    sc = spark.sparkContext
    want_rows = csv_rows(Path(ref_csv).read_text(encoding="utf-8"))
    want_overall, want_docs, want = reference_counts(binary, gold, ref_csv)
    ways = {
        "mapPartitions": lambda c: c.mapPartitions(job.tag_partition("default")),
        "RDD.pipe": lambda c: job.tag_with_pipe(c, binary, "default", str(ROOT / "variants")),
    }
    for way, tag in ways.items():
        label = f"{name}, {way}"
        rows = tag(sc.textFile(str(corpus), sc.defaultParallelism)).cache()
        out = work / f"{name}-{way}".replace(".", "-")
        rows.mapPartitions(job.to_csv_partition).saveAsTextFile(str(out))
        got_rows = read_parts(out)
        if got_rows != want_rows:
            diff = next(
                (i for i, (a, b) in enumerate(zip(got_rows, want_rows)) if a != b),
                min(len(got_rows), len(want_rows)),
            )
            failures.append(
                f"{label}: predictions differ from tagbench tag's at row {diff} "
                f"({len(got_rows)} rows, want {len(want_rows)})"
            )
        report, docs = job.score(sc, gold, rows, resamples=200)
        got_overall = {s: {k: report[s][k] for k in job.KEYS} for s in job.SCHEMES}
        if got_overall != want_overall:
            failures.append(f"{label}: counts {got_overall} != tagbench score's {want_overall}")
        if docs != want_docs:
            failures.append(f"{label}: per-document counts differ from tagbench score's")
        for s in job.SCHEMES:
            for k in ["precision", "recall", "f1"]:
                if report[s][k] != want["schemes"][s]["overall"][k]:
                    failures.append(f"{label}: {s} {k} {report[s][k]} != score's")
        strict = report["strict"]
        print(
            f"{label}: {len(got_rows)} rows, {len(docs)} documents, strict P {strict['precision']}"
            f" R {strict['recall']} F1 {strict['f1']} {strict['f1_interval']}"
        )


def session(master):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("tagbench-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    # The workers unpickle the job's functions by module name.
    spark.sparkContext.addPyFile(str(HERE / "tag_and_score.py"))
    return spark


def measure(corpus, binary, work):
    """Tagging alone, corpus read to predictions written, best of 3, per master and way."""
    mib = corpus.stat().st_size / 2**20
    for master in ["local[1]", "local[2]"]:
        spark = session(master)
        sc = spark.sparkContext
        for way in ["mapPartitions", "RDD.pipe"]:
            best = None
            for i in range(3):
                out = work / f"measure-{master[6]}-{way[0]}-{i}"
                t0 = time.perf_counter()
                c = sc.textFile(str(corpus), 8)
                if way == "mapPartitions":
                    rows = c.mapPartitions(job.tag_partition("default"))
                else:
                    rows = job.tag_with_pipe(c, binary, "default", str(ROOT / "variants"))
                rows.mapPartitions(job.to_csv_partition).saveAsTextFile(str(out))
                t = time.perf_counter() - t0
                best = t if best is None else min(best, t)
            print(f"{master} {way}: {mib:.1f} MiB in {best:.2f} s, {mib / best:.1f} MiB/s")
        spark.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the tagbench binary")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--mib", type=float, default=4)
    ap.add_argument("--measure", action="store_true")
    a = ap.parse_args()
    binary = str(Path(a.bin).resolve())
    work = Path(tempfile.mkdtemp(prefix="tagbench-spark-"))
    gen = work / "generated.jsonl"
    n = generated_corpus(gen, a.mib)
    print(f"generated corpus: {n} documents, {gen.stat().st_size / 2**20:.1f} MiB")
    if a.measure:
        measure(gen, binary, work)
        return 0
    gold_jsonl = work / "gold.jsonl"
    gold_corpus(gold_jsonl)
    variants = str(ROOT / "variants")
    corpora = []
    for name, jsonl, variant in [("gold", gold_jsonl, "default"), ("generated", gen, None)]:
        ref = work / f"{name}-tag.csv"
        run(binary, "tag", "--variants-dir", variants, "--variant", "default",
            "--out", str(ref), str(jsonl))
        if variant is None:
            gold = work / f"{name}-gold.csv"
            run(binary, "tag", "--variants-dir", variants, "--variant", "unicode-fold",
                "--out", str(gold), str(jsonl))
        else:
            gold = ROOT / "gold" / "annotations.csv"
        corpora.append((name, jsonl, str(gold), str(ref)))
    failures = []
    t0 = time.perf_counter()
    spark = session(a.master)
    for name, jsonl, gold, ref in corpora:
        check_corpus(spark, name, jsonl, gold, ref, binary, work, failures)
    spark.stop()
    print(f"spark checks: {time.perf_counter() - t0:.1f} s in {a.master}")
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
