"""Column mapping: exact, case/underscore/space/plural variants, fuzzy, values as filters, unknown terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgr.autoviz.columns import map_terms, split_name, stem, tokenize
from sgr.autoviz.profile import DataProfile
from tests.autoviz.profiles import column as _col

PROFILE = DataProfile(n_rows=500, n_cols=8, shape="tabular", columns=[
    _col("order_id", "BIGINT", "identifier", 500),
    _col("order_date", "DATE", "temporal", 300),
    _col("Region", "VARCHAR", "categorical", 4, [("EU", 200), ("US", 150), ("North America", 100), ("APAC", 50)]),
    _col("product_category", "VARCHAR", "categorical", 3, [("Toys", 200), ("Books", 200), ("Garden", 100)]),
    _col("sales_amount", "DOUBLE", "measure", 480),
    _col("revenue", "DOUBLE", "measure", 480),
    _col("unitPrice", "DOUBLE", "measure", 100),
    _col("sales_channel", "VARCHAR", "categorical", 2, [("online", 300), ("store", 200)]),
])


def _mapped(question: str) -> dict[str, tuple[str, str]]:
    m = map_terms(question, PROFILE)
    return {t.term: (t.column, t.kind) for t in m.matches}


@pytest.mark.parametrize(("word", "same_as"), [
    ("revenues", "revenue"), ("categories", "category"), ("anomalies", "anomaly"), ("spiking", "spike"),
    ("spikes", "spike"), ("increased", "increase"), ("increasing", "increases"), ("dropped", "drop"),
    ("trending", "trend"), ("monthly", "month"), ("boxes", "box"), ("prices", "price"),
])
def test_stemmer_makes_inflections_equal(word: str, same_as: str) -> None:
    assert stem(word) == stem(same_as)


def test_stemmer_keeps_words_that_only_look_plural() -> None:
    assert stem("status") == "status" and stem("analysis") == "analysis" and stem("class") == "class"


def test_split_name_handles_snake_kebab_and_camel() -> None:
    assert split_name("product_category") == ["product", "category"]
    assert split_name("unitPrice") == ["unit", "price"]
    assert split_name("order-date 2") == ["order", "date", "2"]


def test_tokenize_keeps_offsets() -> None:
    q = "revenue by product_category"
    assert [q[t.start:t.end] for t in tokenize(q)] == ["revenue", "by", "product", "category"]


def test_exact_name_is_exact() -> None:
    assert _mapped("revenue by product_category") == {
        "revenue": ("revenue", "exact"), "product_category": ("product_category", "exact")}


@pytest.mark.parametrize(("question", "term", "column"), [
    ("revenue by product category", "product category", "product_category"),  # space
    ("total REVENUE", "REVENUE", "revenue"),  # case
    ("revenues by region", "revenues", "revenue"),  # plural
    ("revenues by region", "region", "Region"),  # case of the column
    ("product categories ranked", "product categories", "product_category"),  # plural phrase
    ("average unit price", "unit price", "unitPrice"),  # camelCase
])
def test_variants(question: str, term: str, column: str) -> None:
    assert _mapped(question)[term] == (column, "variant")


@pytest.mark.parametrize(("question", "term", "column"), [
    ("sales by channel", "sales", "sales_amount"),  # containment, and "sales" is a measure word
    ("sales by channel", "channel", "sales_channel"),  # head noun of a category
    ("revnue per region", "revnue", "revenue"),  # typo
    ("how many orders per region", "orders", "order_id"),  # the entity an identifier counts
    ("compare revenue by region and product", "product", "product_category"),  # a category's modifier
])
def test_fuzzy(question: str, term: str, column: str) -> None:
    assert _mapped(question)[term] == (column, "fuzzy")


def test_non_ascii_names_and_values() -> None:
    profile = DataProfile(n_rows=10, n_cols=2, shape="tabular", columns=[
        _col("Région", "VARCHAR", "categorical", 2, [("Île-de-France", 6), ("Bretagne", 4)]),
        _col("chiffre_d_affaires", "DOUBLE", "measure", 10)])
    m = map_terms("chiffre d affaires par région en Bretagne", profile)
    assert {t.column: t.kind for t in m.matches} == {"chiffre_d_affaires": "variant", "Région": "variant"}
    assert [v.value for v in m.values] == ["Bretagne"]


def test_longest_phrase_wins() -> None:
    m = map_terms("sales channel split", PROFILE)
    assert [(t.term, t.column) for t in m.matches] == [("sales channel", "sales_channel")]


def test_values_become_filters_with_their_column() -> None:
    m = map_terms("revenue in EU and North America", PROFILE)
    assert [(v.column, v.value) for v in m.values] == [("Region", "EU"), ("Region", "North America")]
    assert m.mapped_terms()["EU"] == "Region = EU (value)"


def test_value_that_is_a_stopword_needs_exact_case() -> None:
    assert [v.value for v in map_terms("revenue in US", PROFILE).values] == ["US"]
    assert map_terms("show us the revenue", PROFILE).values == []


def test_lowercase_value_matches() -> None:
    assert [v.value for v in map_terms("only online orders", PROFILE).values] == ["online"]


@pytest.mark.parametrize(("question", "unmatched"), [
    ("profit by country", ["profit", "country"]),
    ("average margin per warehouse type", ["margin", "warehouse"]),
    ("compare churn and tenure", ["churn", "tenure"]),
    ("revenue by customer segment", ["customer segment"]),
    ("what drives satisfaction", ["satisfaction"]),
])
def test_unknown_field_terms_are_reported(question: str, unmatched: list[str]) -> None:
    assert sorted(map_terms(question, PROFILE).unmatched) == sorted(unmatched)


@pytest.mark.parametrize("question", [
    "revenue trend over time", "show the data by month", "revenue by region", "monthly sales chart",
    "how many orders per region", "number of records by product category", "total revenue over the years",
    "distribution of revenue", "top 5 regions by revenue", "revenue in EU vs US",
])
def test_generic_words_are_not_unmatched(question: str) -> None:
    assert map_terms(question, PROFILE).unmatched == []


def test_mapping_on_a_real_profile(tmp_path: Path) -> None:
    """The mapper on a profile computed by the data stage from a real CSV file."""
    from sgr.autoviz.data import load_table
    from sgr.autoviz.profile import profile_table

    path = tmp_path / "shop.csv"
    lines = ["Order Date,Sales Region,net_revenue,units"]
    regions = ["Nord", "Sud", "Ouest"]
    lines += [f"2024-01-{1 + i % 28:02d},{regions[i % 3]},{10 + i * 1.5:.2f},{1 + i % 4}" for i in range(60)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    profile = profile_table(load_table(path))
    m = map_terms("net revenue by sales region in Nord", profile)
    assert {t.column for t in m.matches} == {"net_revenue", "Sales Region"}
    assert [(v.column, v.value) for v in m.values] == [("Sales Region", "Nord")]


def test_full_value_lists_from_duckdb_find_values_beyond_the_top_five(tmp_path: Path) -> None:
    from sgr.autoviz.columns import categorical_values
    from sgr.autoviz.data import load_table
    from sgr.autoviz.profile import profile_table

    countries = ["Austria", "Belgium", "Chile", "Denmark", "Egypt", "France", "Ghana", "Malta", "New Zealand",
                 "Oman", "Peru", "Qatar"]
    path = tmp_path / "world.csv"
    common = countries[:5]  # 40 rows each: these fill the profile's top five; the rest have 3 rows each
    names = [c for c in common for _ in range(40)] + [c for c in countries[5:] for _ in range(3)]
    rows = [f"{name},{i % 3 == 0},{100 + i}" for i, name in enumerate(names)]
    path.write_text("country,member,revenue\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = load_table(path)
    profile = profile_table(table)
    values = categorical_values(table, profile)
    assert values["country"] == sorted(countries)  # every value, sorted: deterministic
    question = "revenue in Malta and New Zealand"
    assert "Malta" not in dict(profile.column("country").top_values)
    assert map_terms(question, profile).values == []  # the profile alone cannot know Malta
    found = map_terms(question, profile, values=values).values
    assert [(v.column, v.value) for v in found] == [("country", "Malta"), ("country", "New Zealand")]
    assert categorical_values(table, profile, max_distinct=5).get("country") is None
