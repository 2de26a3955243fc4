"""Readings fixed in round 11 (which tuned on the fresh9 split); sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence: a hyphenated word the file writes closed, an
aggregation said only to be ruled out, "top one first" as an order rather than a limit, "leaving aside the X
ones" as an exclusion, a grouping named by the head noun of its values, "venue" as a class word, a spelling
variant ("nett"), "no. of", identifiers quoted as code, contests between named groups, "the segments being X",
"came in above N on X" and "A v B". The last tests pin what a review of the first version found it misread.
"""

from __future__ import annotations

from sgr.autoviz.columns import map_terms
from sgr.autoviz.question import analyze_question
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a chimney-lining firm's call-ins
LINERS = _table(
    _col("callin_ref", "BIGINT", "identifier", 900),
    _col("callin_date", "DATE", "temporal", 600),
    _col("flue_type", "VARCHAR", "categorical", 4),
    _col("depot", "VARCHAR", "categorical", 3),
    _col("metres_lined", "DOUBLE", "measure", 500),
    _col("invoice", "DOUBLE", "measure", 700),
    _col("out_of_area", "BOOLEAN", "boolean", 2),
)
LINER_VALUES = {"flue_type": ["Brick", "Clay", "Steel", "Stone"],
                "depot": ["Ashby Yard", "Mill Lane Yard", "Canal Wharf"]}

#: a cooperage's casks: the cooper's word for the yard is in values, and "Yard Oak" is a kind of wood
CASKS = _table(
    _col("cask_no", "BIGINT", "identifier", 800),
    _col("wood", "VARCHAR", "categorical", 3),
    _col("store", "VARCHAR", "categorical", 3),
    _col("spc_grade", "VARCHAR", "categorical", 4),
    _col("Net Litres", "DOUBLE", "measure", 600),
    _col("staves", "BIGINT", "measure", 20),
    _col("charred", "BOOLEAN", "boolean", 2),
)
CASK_VALUES = {"wood": ["Yard Oak", "French Oak", "Chestnut"], "store": ["North Cellar", "Dock Cellar", "Kiln"],
               "spc_grade": ["A", "B", "C", "D"]}


def _drawn(question: str, profile: object = LINERS, values: object = LINER_VALUES,
           table_name: str = "flue_callins") -> dict[str, object]:
    return drawn(question, profile, values, table_name)  # type: ignore[arg-type]


def test_a_hyphenated_word_the_file_writes_closed_is_one_word() -> None:
    # split at its hyphen, "call" met the date column and "ins" nothing at all
    d = _drawn("a tally of call-ins by flue type")
    assert (d["x"], d["aggregation"], d["color"]) == ("flue_type", "count", None)
    d = _drawn("top 2 depots by number of call-ins")
    assert (d["x"], d["top_k"], d["color"], d["bin"]) == ("depot", 2, None, None)


def test_a_hyphenated_word_nothing_writes_closed_stays_as_typed() -> None:
    a = analyze_question("metres lined by flue type for well-kept flues", LINERS, values=LINER_VALUES,
                         table_name="flue_callins")
    assert "well-kept" in a.question


def test_an_aggregation_ruled_out_is_not_the_aggregation() -> None:
    assert _drawn("summarise invoice by depot using the median (not a count)")["aggregation"] == "median"
    assert _drawn("the mean invoice per depot rather than the total")["aggregation"] == "mean"
    assert _drawn("the total invoice per depot, not the average")["aggregation"] == "sum"


def test_top_one_first_orders_the_bars_and_keeps_them_all() -> None:
    d = _drawn("Which depot lined the most metres? All of them in order please, top one first.")
    assert d["top_k"] is None and d["sort"] == {"channel": "y", "order": "descending"}
    assert _drawn("the top one depot by metres lined")["top_k"] == 1  # a limit when nothing follows


def test_leaving_aside_the_flagged_ones_excludes_them() -> None:
    d = _drawn("Leaving aside the out of area ones, how many call-ins per depot?")
    assert d["filters"] and d["filters"][0].startswith("out_of_area ==") and d["color"] is None
    d = _drawn("Apart from the out of area ones, total invoice by flue type")
    assert d["filters"] and d["color"] is None


def test_a_grouping_named_by_the_head_noun_of_its_values() -> None:
    # "yard" heads two depot values; in "Yard Oak" it only qualifies a wood
    m = map_terms("number of call-ins per yard", LINERS, values=LINER_VALUES)
    assert ("yard", "depot") in {(t.term, t.column) for t in m.matches} and not m.unmatched
    d = _drawn("number of casks per cellar", CASKS, CASK_VALUES, "casks")
    assert d["x"] == "store"
    # "Yard" only qualifies a wood ("Yard Oak"): no grouping is named, and the word is reported
    assert "yard" in map_terms("casks per yard", CASKS, values=CASK_VALUES).unmatched


def test_venue_and_a_spelling_variant() -> None:
    venues = _table(_col("Stadium", "VARCHAR", "categorical", 8), _col("crowd", "BIGINT", "measure", 300))
    assert _drawn("average crowd for each venue", venues, {"Stadium": ["Elm Park", "The Dell"]}, "matches")["x"] \
        == "Stadium"
    assert _drawn("average nett litres by wood", CASKS, CASK_VALUES, "casks")["y"] == "Net Litres"


def test_no_dot_of_is_a_count_and_backticks_quote_a_name() -> None:
    d = _drawn("no. of call-ins per depot")
    assert (d["x"], d["aggregation"]) == ("depot", "count")
    d = _drawn("median `invoice` for each `flue_type`, only where `metres_lined` >= 12")
    assert (d["x"], d["y"], d["aggregation"], d["filters"]) == ("flue_type", "invoice", "median",
                                                                ["metres_lined >= 12"])


def test_named_groups_in_a_contest_are_the_bars_winner_first() -> None:
    d = _drawn("Reckon Ashby Yard or Canal Wharf comes out ahead on average invoice?")
    assert (d["x"], d["y"], d["aggregation"], d["sort"]) == (
        "depot", "invoice", "mean", {"channel": "y", "order": "descending"})
    assert d["filters"] == ["depot in ('Ashby Yard', 'Canal Wharf')"]


def test_the_segments_being_a_column_make_it_the_colour() -> None:
    d = _drawn("The number of call-ins for each depot as stacked bars, with the segments being flue type.")
    assert (d["mark"], d["x"], d["color"]) == ("stacked_bar", "depot", "flue_type")


def test_a_threshold_said_before_its_column_with_on() -> None:
    d = _drawn("How many call-ins per depot came in above 40 on metres lined?")
    assert (d["x"], d["aggregation"], d["filters"]) == ("depot", "count", ["metres_lined > 40"])


def test_a_lower_case_v_between_two_fields_is_versus() -> None:
    d = _drawn("scatter invoice v metres lined")
    assert (d["mark"], d["x"], d["y"]) == ("scatter", "metres_lined", "invoice")


# --- what the review of the first version found ---------------------------------------------------------------


def test_a_consonant_part_of_a_name_swallows_no_unrelated_word() -> None:
    flights = _table(_col("carrier", "VARCHAR", "categorical", 9), _col("arr_time", "BIGINT", "measure", 900),
                     _col("dep_delay", "DOUBLE", "measure", 500))
    m = map_terms("number of flights per airport", flights)
    assert "airport" in m.unmatched and "arr_time" not in {t.column for t in m.matches}


def test_no_dot_of_inside_a_column_name_counts_nothing() -> None:
    firms = _table(_col("department", "VARCHAR", "categorical", 6), _col("No. of Employees", "BIGINT", "measure", 90))
    d = _drawn("total No. of Employees by department", firms, {"department": ["Ops", "Sales"]}, "firms")
    assert (d["y"], d["aggregation"]) == ("No. of Employees", "sum")


def test_top_k_before_a_first_word_is_still_a_limit() -> None:
    shop = _table(_col("customer", "VARCHAR", "categorical", 300), _col("revenue", "DOUBLE", "measure", 900),
                  _col("region", "VARCHAR", "categorical", 4))
    assert _drawn("top 5 first-time customers by revenue", shop, None, "orders")["top_k"] == 5
    d = _drawn("revenue by region, top one first", shop, None, "orders")
    assert d["top_k"] is None and d["sort"] == {"channel": "y", "order": "descending"}


def test_money_put_aside_for_a_category_keeps_it() -> None:
    budget = _table(_col("category", "VARCHAR", "categorical", 5), _col("amount", "DOUBLE", "measure", 400),
                    _col("paid_on", "DATE", "temporal", 300))
    d = _drawn("total amount put aside for Savings each month", budget,
               {"category": ["Food", "Rent", "Savings", "Travel"]}, "budget")
    assert d["filters"] == ["category == 'Savings'"]


def test_a_three_letter_word_is_never_a_head_noun_grouping() -> None:
    shop = _table(_col("product", "VARCHAR", "categorical", 3), _col("revenue", "DOUBLE", "measure", 900))
    m = map_terms("revenue by set", shop, values={"product": ["Gift Set", "Box Set", "Mug"]})
    assert "set" in m.unmatched
