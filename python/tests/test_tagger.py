"""Tagger: the embedded variants, code-point offsets, and the same rows as `tagbench tag`."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import tagbench
from conftest import ROOT, read_rows, run


def test_embedded_variants_are_the_repository_s():
    names = sorted(p.stem for p in (ROOT / "variants").glob("*.toml"))
    assert tagbench.Tagger.variants() == names


def test_from_variant_default_works_from_any_folder(tmp_path):
    # A fresh interpreter in an empty folder: nothing to find on disk, no network.
    code = (
        "import tagbench; t = tagbench.Tagger.from_variant('default'); "
        "print([(m.label, m.text, m.norm) for m in t.tag('UN troops left Mali.')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == (
        "[('ACTOR', 'UN', 'United Nations'), ('PLACE', 'Mali', 'Mali')]"
    )


@pytest.mark.parametrize("name", tagbench.Tagger.variants())
def test_every_variant_tags_the_gold_as_the_binary_does(name, gold_texts):
    tagger = tagbench.Tagger.from_variant(name)
    assert tagger.name == name
    assert tagger.description
    want = read_rows(run("tag", "--variant", name, "--variants-dir", str(ROOT / "variants"),
                         str(ROOT / "gold" / "texts")))
    got = [
        {"doc": doc, **m.to_dict()}
        for doc, ms in zip(gold_texts, tagger.tag_many(list(gold_texts.values())))
        for m in ms
    ]
    assert got == want
    assert len(got) > 150


def test_a_variant_file_is_read_from_disk():
    by_path = tagbench.Tagger.from_variant(ROOT / "variants" / "exact-case.toml")
    by_name = tagbench.Tagger.from_variant("exact-case")
    assert by_path.name == "exact-case"
    assert by_path.pattern_count == by_name.pattern_count > 1000
    text = "MALI and Mali and the un or the UN"
    assert by_path.tag(text) == by_name.tag(text)


def test_offsets_are_code_points():
    t = tagbench.Tagger.from_variant("default")
    text = "𝔐 é\u0301 😀 Assimi Goïta visited Bamako with 13,000 troops."
    ms = t.tag(text)
    assert [m.text for m in ms] == ["Assimi Goïta", "Bamako", "13,000"]
    for m in ms:
        assert text[m.start : m.end] == m.text
    assert ms[0] == tagbench.Mention(7, 19, "ACTOR", "Assimi Goïta", "Assimi Goïta")
    assert ms[2].norm == "13000"


def test_tag_many_keeps_input_order_and_empty_texts():
    t = tagbench.Tagger.from_variant("default")
    texts = ["", "Mali", "nothing here", "Bamako and Gao"] * 50
    assert t.tag_many(texts) == [t.tag(x) for x in texts]
    assert t.tag_many([]) == []


def test_tag_many_releases_the_gil(gold_texts):
    t = tagbench.Tagger.from_variant("default")
    texts = list(gold_texts.values()) * 400
    done = threading.Event()
    ticks = 0

    def work():
        t.tag_many(texts)
        done.set()

    worker = threading.Thread(target=work)
    start = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole call this loop would run about once.
    assert elapsed < 0.05 or ticks > 5, (elapsed, ticks)


def test_bad_variants_say_what_and_where(tmp_path):
    with pytest.raises(tagbench.TagbenchError, match=r'unknown variant "nope" \(known: ascii-nocase, default'):
        tagbench.Tagger.from_variant("nope")
    with pytest.raises(tagbench.TagbenchError, match=r"missing\.toml"):
        tagbench.Tagger.from_variant(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('description = "x"\ngazetteers = []\n[tagger]\ncase = "loud"\n')
    with pytest.raises(tagbench.TagbenchError) as e:
        tagbench.Tagger.from_variant(str(bad))
    assert "bad.toml" in str(e.value) and "\n" not in str(e.value)
    # A TagbenchError is a ValueError.
    assert issubclass(tagbench.TagbenchError, ValueError)


def test_the_package_ships_type_stubs():
    pkg = Path(tagbench.__file__).parent
    assert (pkg / "py.typed").is_file()
    stubs = (pkg / "__init__.pyi").read_text()
    for name in ["class Tagger", "class Mention", "def evaluate", "def scores", "def bootstrap_f1"]:
        assert name in stubs
    assert tagbench.__version__
    assert tagbench.evaluate.__doc__ and tagbench.Tagger.tag_many.__doc__
