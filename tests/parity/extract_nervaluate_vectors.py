#!/usr/bin/env python3
"""Writes nervaluate's published strategy test cases as a tagbench data file.

Runs the test suite of a nervaluate source tree (`tests/test_strategies.py`, whose tests call
one strategy on hand-made gold and predicted entities and assert the counts) with every
strategy's `evaluate` wrapped to record its inputs and its counts; only passing tests are
kept, so every recorded count is one their assertions accept. Prints one call a line:

    <test> <TAB> <strategy> <TAB> <min overlap %> <TAB> <gold> <TAB> <pred> <TAB> <correct incorrect partial missed spurious>

with entities as LABEL:start:end, half-open (nervaluate's ends are inclusive: end + 1), `-`
for none. Usage (with pytest and nervaluate installed):

    python3 extract_nervaluate_vectors.py NERVALUATE_SOURCE_DIR > vectors/nervaluate_strategies.tsv
"""
import contextlib
import sys

import pytest
from nervaluate import strategies

calls = {}
current = [None]


def show(entities):
    return " ".join(f"{e.label}:{e.start}:{e.end + 1}" for e in entities) or "-"


def wrap(cls):
    original = cls.evaluate

    def evaluate(self, true, pred, tags, instance_index=0):
        result, indices = original(self, true, pred, tags, instance_index)
        counts = (result.correct, result.incorrect, result.partial, result.missed, result.spurious)
        row = (cls.__name__, self.min_overlap_percentage, show(true), show(pred), counts)
        calls.setdefault(current[0], []).append(row)
        return result, indices

    cls.evaluate = evaluate


for c in (strategies.StrictEvaluation, strategies.ExactEvaluation,
          strategies.PartialEvaluation, strategies.EntityTypeEvaluation):
    wrap(c)


class Recorder:
    def __init__(self):
        self.passed = set()

    def pytest_runtest_setup(self, item):
        current[0] = item.nodeid

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed.add(report.nodeid)


rec = Recorder()
with contextlib.redirect_stdout(sys.stderr):
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-c", "/dev/null", "--rootdir", sys.argv[1],
                        f"{sys.argv[1]}/tests/test_strategies.py"],
                       plugins=[rec])
print("# nervaluate 1.2.1 tests/test_strategies.py: strategy calls of passing tests")
for nodeid, rows in calls.items():
    if nodeid not in rec.passed:
        continue
    name = nodeid.split("::", 1)[1]
    for strategy, overlap, gold, pred, counts in rows:
        print(f"{name}\t{strategy}\t{overlap:g}\t{gold}\t{pred}\t{' '.join(map(str, counts))}")
sys.exit(0 if code == 0 else 1)
