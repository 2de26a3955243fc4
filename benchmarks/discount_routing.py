"""Discount routing benchmark: does the deterministic router send price talk to pricing, and nothing else?

The router decides whether a customer's message needs the customer's pricing features
(`fetch_user_features`) or just a reply (`respond`). A router fitted to its own test strings looks perfect
on them and fails on the next wording, so this measures it on two labelled sets we wrote ourselves
(`benchmarks/routing_corpus/`): `tune` (the only set anyone may look at while changing the router) and
`heldout` (written before the router was changed, never tuned on). Reported per split and per language:
precision, recall and F1 of the `pricing` class, and the messages it got wrong.

Labelling rule: `pricing` when the customer asks about or complains about the price, wants a discount,
deal, coupon, lower price or price match, names an amount or percent they want, or threatens to cancel,
leave or switch to a competitor; `other` for orders, delivery, returns of faulty goods, product questions,
accounts, greetings and thanks, even when they contain numbers or words like "leave", "switch" or "offer".

Usage:
    .venv/bin/python -m benchmarks.discount_routing [--split heldout] [--failures 20] [--json out.json]
    .venv/bin/python -m benchmarks.discount_routing --baseline be0a488   # the router as of a git commit
    .venv/bin/python -m benchmarks.discount_routing --typo-collisions    # real words the typo rule would misread
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "routing_corpus"
SPLITS: tuple[str, ...] = ("tune", "heldout")
POSITIVE = "pricing"

Router = Callable[[str], str]


@dataclass(frozen=True)
class Example:
    """One labelled customer message."""

    text: str
    label: str
    lang: str
    split: str


def load(split: str) -> list[Example]:
    """The labelled messages of one split (`tune` or `heldout`)."""
    rows = (json.loads(line) for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip())
    return [Example(r["text"], r["label"], r["lang"], split) for r in rows]


def current_router() -> Router:
    """The router in the working tree (`sgr.discount.route.route_message`)."""
    from sgr.discount.route import route_message

    return route_message


def router_at(ref: str) -> Router:
    """The router as committed at git `ref`, loaded from `git show` (read-only), to measure "before"."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(["git", "show", f"{ref}:src/sgr/discount/route.py"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(f"_route_at_{ref}", fh.name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    Path(fh.name).unlink()
    return module.route_message  # type: ignore[no-any-return]


def predict(router: Router, text: str) -> str:
    """Map the router's route to a corpus label."""
    return POSITIVE if router(text) == "fetch_user_features" else "other"


def scores(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Precision, recall and F1 of the pricing class from (label, predicted) pairs."""
    tp = fp = fn = tn = 0
    for label, got in pairs:
        if got == POSITIVE:
            tp, fp = tp + (label == POSITIVE), fp + (label != POSITIVE)
        else:
            fn, tn = fn + (label == POSITIVE), tn + (label != POSITIVE)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "accuracy": round((tp + tn) / max(1, tp + fp + fn + tn), 4)}


def run(router: Router, splits: Iterable[str] = SPLITS) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Score every message of the chosen splits; return (summary by split and language, per-message records)."""
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    for split in splits:
        for ex in load(split):
            got = predict(router, ex.text)
            records.append({"split": ex.split, "lang": ex.lang, "text": ex.text, "label": ex.label, "got": got})
    elapsed = time.perf_counter() - started
    by_split: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in records:
        by_split[r["split"]].append((r["label"], r["got"]))
        by_lang[f"{r['split']}:{r['lang']}"].append((r["label"], r["got"]))
    summary = {"by_split": {k: scores(v) for k, v in by_split.items()},
               "by_lang": {k: scores(v) for k, v in sorted(by_lang.items())},
               "us_per_message": round(1e6 * elapsed / max(1, len(records)), 1)}
    return summary, records


WORD_LISTS: tuple[str, ...] = ("american-english", "british-english", "spanish", "french", "ngerman", "italian",
                               "portuguese")


def typo_collisions(dict_dir: Path = Path("/usr/share/dict")) -> list[str]:
    """Dictionary words the router would read as a misspelt price word, for review into `route.NOT_TYPOS`.

    Needs Debian's word lists (`apt-get install wamerican wbritish wspanish wfrench wngerman witalian
    wportuguese`); only words that no exact or stem entry already explains, and not yet guarded, are listed.
    """
    from sgr.discount import route
    from sgr.discount.text import WORD, fold, near

    seen: set[str] = set()
    for name in WORD_LISTS:
        path = dict_dir / name
        if path.exists():
            seen.update(w for w in (fold(x) for x in path.read_text(encoding="utf-8", errors="ignore").split())
                        if WORD.fullmatch(w))

    def direct(w: str) -> bool:
        return w in route._EXACT or any(w.startswith(stem) for stem, _, _ in route._PREFIXES.get(w[:1], ()))

    return sorted(w for w in seen if w not in route.NOT_TYPOS and not direct(w)
                  and any(near(w, t) for t in route.TYPO_TARGETS))


def _table(summary: dict[str, Any], *, langs: bool) -> str:
    lines = ["| split | n | precision | recall | F1 | accuracy | false pos | false neg |",
             "|---|---|---|---|---|---|---|---|"]
    groups = dict(summary["by_split"])
    if langs:
        groups.update(summary["by_lang"])
    for name, s in groups.items():
        lines.append(f"| {name} | {s['n']} | {s['precision']:.1%} | {s['recall']:.1%} | {s['f1']:.1%} | "
                     f"{s['accuracy']:.1%} | {s['fp']} | {s['fn']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("all", *SPLITS), default="all")
    ap.add_argument("--baseline", metavar="GIT_REF", default=None,
                    help="measure the router committed at this git ref instead of the working tree")
    ap.add_argument("--by-language", action="store_true", help="also one row per split and language")
    ap.add_argument("--failures", type=int, default=0, help="print up to N misrouted messages")
    ap.add_argument("--json", type=Path, default=None, help="write summary and per-message records here")
    ap.add_argument("--typo-collisions", action="store_true",
                    help="list dictionary words one edit from a typo target that NOT_TYPOS does not guard yet")
    args = ap.parse_args(argv)
    if args.typo_collisions:
        print("\n".join(typo_collisions()))
        return 0
    router = router_at(args.baseline) if args.baseline else current_router()
    splits = SPLITS if args.split == "all" else (args.split,)
    summary, records = run(router, splits)
    print(_table(summary, langs=args.by_language))
    print(f"\n{summary['us_per_message']} µs per message", file=sys.stderr)
    if args.failures:
        for r in [r for r in records if r["label"] != r["got"]][:args.failures]:
            print(json.dumps(r, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "records": records}, indent=1, ensure_ascii=False)
                             + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
