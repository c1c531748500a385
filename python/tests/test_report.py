"""Report: a read-only mapping, converted section by section, equal to the CLI's JSON."""

import json
from collections.abc import Mapping

import pytest

import tagbench
from conftest import GOLD, ROOT, read_rows, run


@pytest.fixture(scope="module")
def scored(tmp_path_factory, gold_texts, gold_rows):
    out = tmp_path_factory.mktemp("pred") / "pred.csv"
    run("tag", "--variant", "exact-case", "--variants-dir", str(ROOT / "variants"), "--out",
        str(out), str(GOLD / "texts"))
    ids = list(gold_texts)

    def by_doc(rows):
        d = {i: [] for i in ids}
        for r in rows:
            d[r["doc"]].append({k: r[k] for k in ["label", "start", "end", "norm"]})
        return [d[i] for i in ids]

    report = tagbench.evaluate(by_doc(gold_rows), by_doc(read_rows(out)), ids=ids,
                               texts=list(gold_texts.values()),
                               declare=str(GOLD / "labels.toml"))
    cli = run("score", "--format", "json", "--gold", str(GOLD / "annotations.csv"),
              "--pred", str(out), "--texts", str(GOLD / "texts"))
    return report, cli


def test_to_json_is_the_binary_s_output_byte_for_byte(scored):
    report, cli = scored
    assert report.to_json() == cli
    assert report.to_dict() == json.loads(cli)
    assert report == json.loads(cli)


def test_a_report_is_a_read_only_mapping(scored):
    report, cli = scored
    want = json.loads(cli)
    assert isinstance(report, Mapping)
    assert list(report) == list(report.keys()) == list(want) == [
        "schemes", "macro", "confusion", "documents", "errors"]
    assert len(report) == 5 and "errors" in report and "nope" not in report
    assert dict(report) == want
    assert dict(report.items()) == want
    assert report.values() == list(want.values())
    assert report["errors"] == want["errors"] and report["errors"]
    assert report.get("nope") is None and report.get("nope", 3) == 3
    with pytest.raises(KeyError):
        report["nope"]
    with pytest.raises(TypeError):
        report["schemes"] = {}
    # Each lookup converts anew: changing what it returned changes nothing in the report.
    report["schemes"]["strict"]["overall"]["correct"] = -1
    assert report["schemes"] == want["schemes"]
    assert "strict P" in repr(report)
