"""evaluate: the same report as `tagbench score --format json`, from nervaluate-shaped spans
and from seqeval-shaped tag lists; scores and bootstrap_f1 over summed counts."""

import random

import pytest

import tagbench
from conftest import GOLD, ROOT, read_rows, run, score_json

SCHEMES = ["strict", "exact", "partial", "type", "norm"]
# The gold's declarations (order, and FIGURE's integer norms), as `score` reads them beside it.
LABELS = str(GOLD / "labels.toml")


def by_doc(rows: list[dict], ids: list[str]) -> list[list[dict]]:
    docs: dict[str, list[dict]] = {i: [] for i in ids}
    for r in rows:
        docs[r["doc"]].append(
            {"label": r["label"], "start": r["start"], "end": r["end"], "norm": r["norm"]}
        )
    return [docs[i] for i in ids]


@pytest.fixture(scope="module")
def default_pred(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("pred") / "default.csv"
    run("tag", "--variant", "default", "--variants-dir", str(ROOT / "variants"), "--out",
        str(out), str(GOLD / "texts"))
    return str(out)


def test_the_report_is_score_s_json(gold_texts, gold_rows, default_pred):
    ids = list(gold_texts)
    want = score_json("--gold", str(GOLD / "annotations.csv"), "--pred", default_pred,
                      "--texts", str(GOLD / "texts"))
    got = tagbench.evaluate(
        by_doc(gold_rows, ids), by_doc(read_rows(ROOT / default_pred), ids),
        ids=ids, texts=list(gold_texts.values()), declare=LABELS,
    )
    assert got == want
    assert got["schemes"]["strict"]["overall"]["missed"] == 12


def test_tagger_mentions_score_as_the_binary_s_predictions(gold_texts, gold_rows, default_pred):
    ids = list(gold_texts)
    pred = tagbench.Tagger.from_variant("default").tag_many(list(gold_texts.values()))
    got = tagbench.evaluate(by_doc(gold_rows, ids), pred, ids=ids,
                            texts=list(gold_texts.values()), declare=LABELS)
    want = score_json("--gold", str(GOLD / "annotations.csv"), "--pred", default_pred,
                      "--texts", str(GOLD / "texts"))
    assert got == want


def test_without_texts_only_offsets_count(gold_texts, gold_rows, default_pred):
    ids = list(gold_texts)
    want = score_json("--gold", str(GOLD / "annotations.csv"), "--pred", default_pred)
    got = tagbench.evaluate(by_doc(gold_rows, ids), by_doc(read_rows(ROOT / default_pred), ids),
                            ids=ids)
    assert got["schemes"] == want["schemes"]
    assert got["documents"] == want["documents"]


def test_gold_against_itself_is_perfect(gold_rows, gold_texts):
    docs = by_doc(gold_rows, list(gold_texts))
    r = tagbench.evaluate(docs, docs)
    for s in SCHEMES:
        assert r["schemes"][s]["overall"]["f1"] == 1.0
        assert r["macro"][s] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert r["errors"] == []
    assert [d["doc"] for d in r["documents"]] == ["0", "1", "2", "3", "4"]


def test_nervaluate_s_inclusive_ends():
    # nervaluate's own example: "end" is the last token.
    gold = [[{"label": "ACTOR", "start": 2, "end": 4}, {"label": "PLACE", "start": 7, "end": 7}]]
    pred = [[{"label": "ACTOR", "start": 2, "end": 4}, {"label": "PLACE", "start": 7, "end": 8}]]
    inc = tagbench.evaluate(gold, pred, inclusive_ends=True)
    assert inc["schemes"]["strict"]["overall"]["correct"] == 1
    assert inc["schemes"]["partial"]["overall"]["partial"] == 1
    half_open = [[{**m, "end": m["end"] + 1} for m in d] for d in gold]
    assert tagbench.evaluate(half_open, pred, inclusive_ends=False)["schemes"]["strict"][
        "overall"]["correct"] == 1
    with pytest.raises(tagbench.TagbenchError, match="inclusive_ends=True"):
        tagbench.evaluate(gold, pred)


def test_empty_inputs():
    r = tagbench.evaluate([], [])
    assert r["schemes"]["strict"]["overall"]["possible"] == 0
    r = tagbench.evaluate([[], []], [[], [{"label": "PLACE", "start": 0, "end": 1}]])
    assert r["schemes"]["strict"]["overall"]["spurious"] == 1
    assert [d["doc"] for d in r["documents"]] == ["0", "1"]


def bio_lines(ids, tags, tokens=None) -> str:
    out = []
    for n, (i, doc) in enumerate(zip(ids, tags)):
        out.append(f"-DOCSTART-\t{i}\n\n")
        for k, t in enumerate(doc):
            tok = tokens[n][k] if tokens else "_"
            out.append(f"{tok}\t{t}\n")
        out.append("\n")
    return "".join(out)


def random_tags(rng: random.Random, n: int) -> list[str]:
    labels = ["ACTOR", "PLACE", "FIGURE"]
    return [rng.choice(["O", "O", "O", f"B-{rng.choice(labels)}", f"I-{rng.choice(labels)}"])
            for _ in range(n)]


def test_tag_lists_score_as_the_binary_scores_conll(tmp_path):
    rng = random.Random(7)
    lengths = [rng.randrange(0, 40) for _ in range(30)]
    gold = [random_tags(rng, n) for n in lengths]
    pred = [random_tags(rng, n) for n in lengths]
    ids = [f"d{i:02}" for i in range(len(gold))]  # sorted as the binary sorts them
    (tmp_path / "gold.conll").write_text(bio_lines(ids, gold))
    (tmp_path / "pred.conll").write_text(bio_lines(ids, pred))
    want = score_json("--gold", str(tmp_path / "gold.conll"), "--pred", str(tmp_path / "pred.conll"))
    got = tagbench.evaluate(gold, pred, ids=ids)
    assert got == want
    assert got["schemes"]["strict"]["overall"]["possible"] > 50


def test_tag_lists_with_tokens():
    tokens = [["Mali", "and", "the", "UN"]]
    gold = [["B-PLACE", "O", "B-ACTOR", "I-ACTOR"]]
    pred = [["B-PLACE", "O", "O", "B-ACTOR"]]
    r = tagbench.evaluate(gold, pred, tokens=tokens)
    assert r["schemes"]["strict"]["overall"]["correct"] == 1
    errors = [(e["kind"], e["gold"]["text"], e["pred"]["text"]) for e in r["errors"]]
    assert errors == [("wrong_boundary", "the UN", "UN")]


def test_tag_chunks_are_read_as_conlleval_reads_them():
    # I- after O starts a chunk (IOB1); a chunk never crosses a document.
    r = tagbench.evaluate([["O", "I-ACTOR", "I-ACTOR"], ["I-PLACE"]],
                          [["O", "B-ACTOR", "I-ACTOR"], ["B-PLACE"]])
    assert r["schemes"]["strict"]["overall"]["correct"] == 2
    assert r["errors"] == []


@pytest.mark.parametrize(
    "gold,pred,kwargs,message",
    [
        ([[]], [], {}, "gold has 1 documents, pred 0"),
        ("abc", [], {}, "gold document 0: expected a list of mentions or tags, found a str"),
        (5, [], {}, "gold: expected a list of documents, found int"),
        ([[{"label": "P ER", "start": 0, "end": 1}]], [[]], {},
         r"gold document 0, mention 0: field `label`: invalid label \"P ER\""),
        ([[{"label": "PER", "start": 0, "end": 1}]], [[]], {"declare": ["ACTOR", "PLACE"]},
         "gold document 0, mention 0: field `label`: PER is not one of declare="),
        ([[]], [[]], {"declare": 5}, "declare=: expected a path to a labels.toml"),
        ([[]], [[]], {"declare": ["A", "B C"]}, r"declare=: invalid label \"B C\""),
        ([[]], [[]], {"labels": ["A", "B C"]}, r"labels=: invalid label \"B C\""),
        ([[]], [[]], {"label_map": "PER"}, "label_map=: "),
        ([[]], [[]], {"label_map": {"PER": 3}}, "label_map=: PER: a value must be a str or None"),
        ([["O"]], [["O"]], {"tag_scheme": "bio9"}, "tag_scheme=: "),
        ([["O"]], [["O"]], {"chunking": "lax"}, "chunking=: \"lax\" is not conlleval or strict"),
        ([[]], [[]], {"chunking": "strict"}, "tag_scheme= and chunking= go with BIO tag lists"),
        ([[{"label": "PLACE", "start": 0}]], [[]], {}, r"gold document 0, mention 0: no \"end\" key"),
        ([[]], [[{"label": "PLACE", "start": -1, "end": 2}]], {},
         "pred document 0, mention 0: field `start`: expected a non-negative integer, found -1"),
        ([[{"label": "FIGURE", "start": 0, "end": 2, "norm": "1,000"}]], [[]], {"declare": LABELS},
         "field `norm`: FIGURE norm \"1,000\" is not an integer"),
        ([[{"label": "PLACE", "start": 3, "end": 9}]], [[]], {"texts": ["Mali"]},
         r"gold document 0, mention 0: span 3..9 is past the end of the text \(4 code points\)"),
        ([[(0, 1, "PLACE")]], [[]], {}, "gold document 0, mention 0: expected a dict"),
        ([["O", "B-PLACE"]], [["O"]], {}, "document 0: gold has 2 tags, pred 1"),
        ([["O", "B-P ER"]], [["O", "O"]], {}, r"gold document 0, tag 1: "),
        ([["O"], ["O", "X-PLACE"]], [["O"], ["O", "O"]], {}, "gold document 1, tag 1: "),
        ([["O"]], [["O"]], {"tokens": [["a b\tc"]]}, "gold document 0, tag 0: token"),
        ([["O"]], [["O"]], {"texts": ["x"]}, "texts= goes with spans"),
        ([[]], [[]], {"ids": ["a", "b"]}, "2 ids for 1 documents"),
        ([[]], [[]], {"min_overlap": 1.5}, r"min_overlap=: invalid minimum overlap \"1.5\": more than 1"),
        ([[]], [[]], {"min_overlap": 0}, "min_overlap=: invalid minimum overlap"),
        ([[]], [[]], {"min_overlap": [0.5]}, "min_overlap=: expected a float or a str"),
    ],
)
def test_bad_input_says_where_and_what(gold, pred, kwargs, message):
    with pytest.raises(tagbench.TagbenchError, match=message) as e:
        tagbench.evaluate(gold, pred, **kwargs)
    assert "\n" not in str(e.value)


def test_per_document_counts_add_up_through_scores(gold_rows, gold_texts, default_pred):
    ids = list(gold_texts)
    r = tagbench.evaluate(by_doc(gold_rows, ids), by_doc(read_rows(ROOT / default_pred), ids),
                          ids=ids)
    keys = ["correct", "incorrect", "partial", "missed", "spurious"]
    for s in SCHEMES:
        summed = {k: sum(d["schemes"][s][k] for d in r["documents"]) for k in keys}
        assert tagbench.scores(summed) == r["schemes"][s]["overall"]
    with pytest.raises(tagbench.TagbenchError, match='no "spurious" key'):
        tagbench.scores({"correct": 1, "incorrect": 0, "partial": 0, "missed": 0})


def test_bootstrap_interval_brackets_f1(gold_rows, gold_texts, default_pred):
    ids = list(gold_texts)
    r = tagbench.evaluate(by_doc(gold_rows, ids), by_doc(read_rows(ROOT / default_pred), ids),
                          ids=ids)
    docs = [d["schemes"]["strict"] for d in r["documents"]]
    lo, hi = tagbench.bootstrap_f1(docs, resamples=500, seed=3)
    f1 = r["schemes"]["strict"]["overall"]["f1"]
    assert lo <= f1 <= hi and lo < hi
    assert tagbench.bootstrap_f1(docs, resamples=500, seed=3) == (lo, hi)


def test_labels_are_open_and_declared_by_labels_or_first_appearance():
    gold = [[{"label": "PER", "start": 0, "end": 4}, {"label": "LOC", "start": 9, "end": 14}]]
    pred = [[{"label": "PER", "start": 0, "end": 4}, {"label": "MISC", "start": 9, "end": 14}]]
    r = tagbench.evaluate(gold, pred)
    # Gold labels in order of first appearance, then labels only the predictions use.
    assert r["confusion"]["labels"] == ["PER", "LOC", "MISC", "none"]
    assert r["schemes"]["strict"]["by_label"]["LOC"]["incorrect"] == 1
    r = tagbench.evaluate(gold, pred, declare=["LOC", "PER"])
    assert r["confusion"]["labels"] == ["LOC", "PER", "MISC", "none"]


def test_labels_and_label_map_score_as_the_cli_does():
    d = ROOT / "tests" / "data" / "conll2003"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((d / "texts").glob("*.txt"))}
    ids = list(texts)
    gold_rows = read_rows(d / "annotations.csv")
    pred_rows = read_rows(d / "pred.csv")
    for args, kwargs in [
        (["--labels", "PER,LOC"], {"labels": ["PER", "LOC"]}),
        (["--label-map", "PER=ACTOR,ORG=ACTOR,LOC=PLACE,MISC="],
         {"label_map": "PER=ACTOR,ORG=ACTOR,LOC=PLACE,MISC="}),
        (["--label-map", "PER=ACTOR,ORG=ACTOR,LOC=PLACE,MISC="],
         {"label_map": {"PER": "ACTOR", "ORG": "ACTOR", "LOC": "PLACE", "MISC": None}}),
    ]:
        want = score_json("--gold", str(d / "annotations.csv"), "--pred", str(d / "pred.csv"),
                          *args)
        got = tagbench.evaluate(by_doc(gold_rows, ids), by_doc(pred_rows, ids), ids=ids,
                                texts=list(texts.values()), declare=str(d / "labels.toml"),
                                **kwargs)
        assert got == want, args


def test_tag_scheme_and_chunking_read_tags_as_the_conll_reader_does():
    gold = [["B-PER", "E-PER", "O", "S-LOC"]]
    pred = [["O", "I-PER", "O", "S-LOC"]]
    lenient = tagbench.evaluate(gold, pred, tag_scheme="iobes")
    strict = tagbench.evaluate(gold, pred, tag_scheme="iobes", chunking="strict")
    # conlleval reads I-PER after O as a chunk (a wrong boundary); strict IOBES finds none.
    assert lenient["schemes"]["strict"]["overall"]["incorrect"] == 1
    assert strict["schemes"]["strict"]["overall"]["missed"] == 1
    assert strict["schemes"]["strict"]["overall"]["correct"] == 1


def test_min_overlap_scores_as_the_cli_does():
    d = ROOT / "tests" / "data" / "worked_example"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((d / "texts").glob("*.txt"))}
    ids = list(texts)
    gold_rows, pred_rows = read_rows(d / "gold.csv"), read_rows(d / "pred.csv")
    for f in [0.5, "0.75", 1]:
        want = score_json("--gold", str(d / "gold.csv"), "--pred", str(d / "pred.csv"),
                          "--texts", str(d / "texts"), "--min-overlap", str(f))
        got = tagbench.evaluate(by_doc(gold_rows, ids), by_doc(pred_rows, ids), ids=ids,
                                texts=list(texts.values()), min_overlap=f)
        assert got == want, f
    # Only the overlaps that cover enough pair: fewer pairs as F grows.
    pairs = [
        tagbench.evaluate([[{"label": "A", "start": 0, "end": 4}]],
                          [[{"label": "A", "start": 2, "end": 8}]],
                          min_overlap=f)["schemes"]["type"]["overall"]["correct"]
        for f in (None, 0.5, 0.51)
    ]
    assert pairs == [1, 1, 0]
