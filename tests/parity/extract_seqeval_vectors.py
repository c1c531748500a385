#!/usr/bin/env python3
"""Writes seqeval's published chunking test vectors as a tagbench data file.

Reads `tests/test_scheme.py` of a chakki-works/seqeval checkout (its `test_<scheme>_tokens`
and `test_<scheme>_tokens_without_tag` tables: a tag sequence and the entities seqeval's
strict mode finds in it) and prints one case a line:

    <scheme> <TAB> <tags, space-separated, or -> <TAB> <entities TYPE:start:end, half-open, or ->

Only the inputs and expected outputs are taken; the Rust test in src/format/conll.rs checks
tagbench's strict chunking against them. Usage:

    git -C SEQEVAL show HEAD:tests/test_scheme.py | python3 extract_seqeval_vectors.py > vectors/seqeval_strict.tsv
"""
import ast
import sys

tree = ast.parse(sys.stdin.read())
print("# seqeval 1.2.2 tests/test_scheme.py: Tokens(tags, SCHEME).entities (strict mode)")
for node in tree.body:
    if not isinstance(node, ast.FunctionDef) or not node.name.endswith(
        ("_tokens", "_tokens_without_tag")
    ):
        continue
    scheme = node.name.split("_")[1]
    for dec in node.decorator_list:
        if not (isinstance(dec, ast.Call) and len(dec.args) == 2):
            continue
        names = ast.literal_eval(dec.args[0])
        if names.replace(" ", "") != "tokens,expected":
            continue
        for tags, expected in ast.literal_eval(dec.args[1]):
            ents = " ".join(f"{t}:{s}:{e}" for t, s, e in expected) or "-"
            print(f"{scheme}\t{' '.join(tags) or '-'}\t{ents}")
