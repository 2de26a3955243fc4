"""Both agents from Python, as in a notebook: run it with `.venv/bin/python examples/python_api.py [WORKDIR]`.

It needs no model server (the embedded default config is offline) and writes only under WORKDIR (default: a
temporary folder). `tests/test_examples.py` runs this file as it is.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

from sgr.autoviz import analyze
from sgr.discount import DiscountManager
from sgr.discount.setup_data import setup_data

SALES = Path(__file__).with_name("sales.csv")


def main(workdir: Path) -> None:
    # 1. AutoViz on an in-memory table: DuckDB, pandas, polars and Arrow tables are scanned in place
    sales = duckdb.sql(f"SELECT * FROM read_csv('{SALES}') WHERE channel <> 'Partner'")
    result = analyze(sales, "a pie chart of revenue by region", out_dir=workdir / "pie", name="sales")
    first = result.charts[0]
    print(f"{result.status}: {len(result.charts)} charts; chart 1 is a {first.kind} of "
          f"{first.fields['aggregation']}({first.fields['y']}) by {first.fields['x']}")
    for line in result.answer:
        print("  -", line)
    first.altair().properties(title="Revenue share by region").save(str(workdir / "chart1.json"))
    result.save(workdir / "report_copy")

    # 2. The discount manager on generated stores (10 customers)
    stores = workdir / "discount"
    setup_data(stores, users=10, seed=0)
    with DiscountManager(stores) as manager:
        outcome = manager.decide("C0000003", "too expensive, I might cancel")
        decision = outcome.decision
        assert decision is not None
        print(f"offer: {decision.max_discount_percent:g}% (cap {outcome.cap.max_percent:g}%), "
              f"code {decision.offer_code}")
        print("  customer reads:", outcome.customer_message)
        print(f"  audit rows: {len(manager.audit())}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
