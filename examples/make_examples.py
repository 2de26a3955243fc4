"""Write the AutoViz example datasets deterministically (same seed -> byte-identical CSVs).

Why a script and committed CSVs: the CSVs make `sgr autoviz run examples/sales.csv ...` work from a fresh
clone, and the script documents exactly what structure (trend, seasonality, injected anomalies) the
golden tests may rely on. Run: `python examples/make_examples.py [--out DIR] [--seed N]`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path

REGIONS = ("North", "South", "East", "West")
CATEGORIES = ("Electronics", "Furniture", "Office", "Apparel")
CHANNELS = ("Online", "Retail", "Partner")
_REGION_WEIGHT = {"North": 1.3, "South": 0.8, "East": 1.1, "West": 0.9}
_CATEGORY_PRICE = {"Electronics": 120.0, "Furniture": 210.0, "Office": 25.0, "Apparel": 40.0}
_CHANNEL_MARGIN = {"Online": 0.38, "Retail": 0.30, "Partner": 0.22}
#: days whose revenue is multiplied, so anomaly detection has something real to find
ANOMALY_DAYS = {dt.date(2023, 3, 14): 6.0, dt.date(2023, 11, 24): 7.5, dt.date(2024, 7, 4): 0.05}


def sales_rows(seed: int = 7, *, start: dt.date = dt.date(2023, 1, 1), days: int = 730) -> list[dict[str, object]]:
    """Daily orders over two years with a rising trend, yearly seasonality and three anomalous days."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        trend = 1.0 + 0.5 * d / days
        season = 1.0 + 0.25 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 80) / 365.0)
        for _ in range(rng.randint(3, 5)):
            region = rng.choice(REGIONS)
            category = rng.choice(CATEGORIES)
            channel = rng.choice(CHANNELS)
            units = max(1, int(rng.gauss(6, 2) * trend * season * _REGION_WEIGHT[region]))
            price = _CATEGORY_PRICE[category] * rng.uniform(0.85, 1.15)
            revenue = units * price * ANOMALY_DAYS.get(day, 1.0)
            cost = revenue * (1 - _CHANNEL_MARGIN[channel]) * rng.uniform(0.95, 1.05)
            rows.append({"date": day.isoformat(), "region": region, "product_category": category,
                         "channel": channel, "units": units, "revenue": round(revenue, 2),
                         "cost": round(cost, 2)})
    return rows


def customer_rows(seed: int = 11, n: int = 1500) -> list[dict[str, object]]:
    """Customers without dates: spend rises with income, churn falls with spend (a driver to find)."""
    rng = random.Random(seed)
    segments = ("Consumer", "SMB", "Enterprise")
    rows: list[dict[str, object]] = []
    for i in range(n):
        segment = rng.choices(segments, weights=(6, 3, 1))[0]
        age = rng.randint(18, 80)
        income = round(rng.lognormvariate(10.6, 0.4) * (1.8 if segment == "Enterprise" else 1.0), 2)
        spend = round(max(0.0, income * rng.uniform(0.01, 0.05) + rng.gauss(0, 150)), 2)
        churn_p = 1 / (1 + math.exp((spend - 1500) / 500))
        rows.append({"customer_id": f"C{i:05d}", "segment": segment, "age": age, "income": income,
                     "spend": spend, "churned": "yes" if rng.random() < churn_p else "no"})
    return rows


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    """Write rows with a fixed column order and '\\n' line endings (byte-stable across platforms)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Write examples/sales.csv and examples/customers.csv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "sales.csv", sales_rows(args.seed))
    write_csv(args.out / "customers.csv", customer_rows(args.seed + 4))


if __name__ == "__main__":
    main()
