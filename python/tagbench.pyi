"""tagbench from Python: the gazetteer tagger and the SemEval-style scorer of the tagbench
Rust crate. Offsets are code points, half-open (``text[start:end]``)."""

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any, TypedDict, final

__version__: str

class TagbenchError(ValueError):
    """Bad input: a variant, a gazetteer, a span or a tag that tagbench refuses. The message
    is one line and says where (file and line, or document and mention) and what."""

@final
class Mention:
    """One mention found by the tagger: ``text[start:end] == mention.text``."""

    start: int
    end: int
    label: str
    text: str
    norm: str
    def __init__(self, start: int, end: int, label: str, text: str, norm: str = "") -> None: ...
    def to_dict(self) -> dict[str, int | str]:
        """The mention as a dict with keys start, end, label, text and norm."""

@final
class Tagger:
    """The gazetteer tagger of one variant; build once, tag many texts (thread-safe)."""

    @staticmethod
    def from_variant(variant: str | PathLike[str]) -> Tagger:
        """A variant embedded in the package (see :meth:`variants`) or the path of a variant
        ``.toml`` file (a name ending in ``.toml`` or with a path separator is a path)."""
    @staticmethod
    def variants() -> list[str]:
        """The names of the embedded variants, sorted."""
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def pattern_count(self) -> int: ...
    def tag(self, text: str) -> list[Mention]:
        """The mentions in one text, in text order."""
    def tag_many(self, texts: Sequence[str]) -> list[list[Mention]]:
        """The mentions of each text, in input order; tagged in parallel, GIL released."""

class SpanDict(TypedDict, total=False):
    label: str
    start: int
    end: int
    norm: str

Document = Sequence[SpanDict | Mention | Mapping[str, Any]] | Sequence[str]

class Counts(TypedDict):
    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    possible: int
    actual: int
    precision: float
    recall: float
    f1: float

def evaluate(
    gold: Sequence[Document],
    pred: Sequence[Document],
    *,
    ids: Sequence[str] | None = None,
    texts: Sequence[str] | None = None,
    tokens: Sequence[Sequence[str]] | None = None,
    inclusive_ends: bool = False,
    declare: str | PathLike[str] | Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    label_map: str | PathLike[str] | Mapping[str, str | None] | None = None,
    tag_scheme: str | None = None,
    chunking: str | None = None,
    min_overlap: float | str | None = None,
) -> dict[str, Any]:
    """Scores ``pred`` against ``gold`` (one entry per document on each side) and returns
    the report of ``tagbench score --format json``: ``schemes``, ``macro``, ``confusion``,
    ``documents`` and ``errors``.

    Documents hold either spans (dicts with ``label``, ``start``, ``end`` and optionally
    ``norm``, as nervaluate reads them, or :class:`Mention` objects) or BIO tags (lists of
    str, as seqeval reads them; each list is one document and one sentence, chunks read as
    conlleval reads them).

    - ``ids``: document ids in the report (default ``"0"``, ``"1"``, ...).
    - ``texts``: the documents' texts, to check span bounds and give errors their text and
      context (spans only).
    - ``tokens``: the tokens of tag lists (default ``"_"`` each); offsets in the report are
      code points into the tokens joined by single spaces.
    - ``inclusive_ends``: spans' ``end`` is the last unit, not one past it (nervaluate).
    - ``declare``: the declared labels: a path to a ``labels.toml`` (order and norm kinds, as
      beside a gold folder, e.g. ``gold/labels.toml``) or a sequence of names. Reports list
      them in that order, then labels only the predictions use; macro averages are over them;
      a gold label outside them is an error. Default: the gold's labels in order of first
      appearance, every norm a name (what ``score`` does for a gold without ``labels.toml``).
    - ``labels``: score only these labels, on both sides (``--labels``; nervaluate's ``tags``).
    - ``label_map``: rename labels on both sides before scoring (``--label-map``):
      ``"PER=ACTOR,MISC="`` rules, a dict (``{"PER": "ACTOR", "MISC": None}``) or a path to a
      label-map file; a label mapped to nothing is dropped.
    - ``tag_scheme`` (``iob1``, ``iob2``, ``ioe1``, ``ioe2``, ``iobes``, ``bilou``; default:
      detected) and ``chunking`` (``conlleval``, the default, or ``strict``, seqeval's
      ``mode="strict"``): how tag lists are read (``--tag-scheme``, ``--chunking``).
    - ``min_overlap``: pair overlapping spans only when the overlap covers at least this share
      of the gold mention, 0 < F <= 1 (``--min-overlap``; nervaluate's
      ``min_overlap_percentage`` / 100). Default: any overlap.
    """

def scores(counts: Mapping[str, Any]) -> Counts:
    """Totals and scores of summed counts (keys correct, incorrect, partial, missed,
    spurious; other keys ignored)."""

def bootstrap_f1(
    documents: list[Mapping[str, Any]], *, resamples: int = 1000, seed: int = ...
) -> tuple[float, float]:
    """The 95% bootstrap interval of F1 over per-document counts."""
