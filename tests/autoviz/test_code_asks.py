"""Questions typed as code: pandas chains, seaborn and plotly calls, ggplot2 (sentences written for these tests).

`code_asks.read_code` parses the code (never runs it) into one plain request; the question reader then draws the
chart it states. Each test pins a piece of the code's meaning that a word-by-word reading got wrong: a keyword
argument read as a filter, a resample frequency read as a value, a filter mask dropped, stacking defaults.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.code_asks import read_code
from sgr.autoviz.question import analyze_question
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a ropeworks' orders (a name with a space, one with a unit in brackets, a one-letter value "S")
ROPES = _table(
    _col("order_no", "BIGINT", "identifier", 900),
    _col("fibre", "VARCHAR", "categorical", 5),
    _col("Lay Type", "VARCHAR", "categorical", 3),
    _col("size", "VARCHAR", "categorical", 3),
    _col("length_m", "DOUBLE", "measure", 800),
    _col("Weight (kg)", "DOUBLE", "measure", 700),
    _col("price", "DOUBLE", "measure", 600),
    _col("rush", "BOOLEAN", "boolean", 2),
    _col("ordered_on", "DATE", "temporal", 600),
)
ROPE_VALUES = {"fibre": ["Hemp", "Manila", "Nylon", "Polyester", "Sisal"], "Lay Type": ["Cable", "Hawser", "Shroud"],
               "size": ["L", "M", "S"]}


def _drawn(question: str) -> dict[str, object]:
    return drawn(question, ROPES, ROPE_VALUES, "rope_orders")


def test_a_grouped_aggregate_with_a_plot_call_is_that_chart() -> None:
    d = _drawn("df.groupby('fibre')['price'].median().plot.bar()")
    assert (d["mark"], d["x"], d["y"], d["aggregation"]) == ("bar", "fibre", "price", "median")


def test_sort_keywords_order_the_bars_and_are_never_filters() -> None:
    d = _drawn("df.groupby('Lay Type')['length_m'].sum().sort_values(ascending=False)")
    assert (d["x"], d["aggregation"], d["sort"], d["filters"]) == (
        "Lay Type", "sum", {"channel": "y", "order": "descending"}, [])
    d = _drawn("df.groupby('fibre').size().sort_index(ascending=False)")
    assert d["sort"] == {"channel": "x", "order": "descending"} and d["aggregation"] == "count"


def test_a_resample_frequency_is_the_time_bin_not_a_value() -> None:
    # "M" is also a value of `size`: read as words it became a filter
    d = _drawn("df.set_index('ordered_on').resample('M')['price'].sum().plot.line()")
    assert (d["mark"], d["x"], d["bin"], d["y"], d["aggregation"], d["filters"]) == (
        "line", "ordered_on", "month", "price", "sum", [])
    d = _drawn("df.resample('QE', on='ordered_on')['length_m'].mean().plot.area()")
    assert (d["mark"], d["bin"], d["aggregation"]) == ("area", "quarter", "mean")


def test_date_accessors_in_groupby_are_bins() -> None:
    assert _drawn("df.groupby(df['ordered_on'].dt.day_name()).size()")["bin"] == "weekday"
    assert _drawn("df.groupby(df['ordered_on'].dt.year)['price'].sum()")["bin"] == "year"


def test_masks_become_filters_including_relative_ones() -> None:
    d = _drawn("df[df['price'] > df['price'].mean()].groupby('fibre').size()")
    assert d["filters"] == ["price > mean(price)"] and d["aggregation"] == "count"
    d = _drawn("df[(df['length_m'] >= 50) & (df['fibre'] == 'Sisal')].groupby('Lay Type')['price'].max()")
    assert sorted(d["filters"]) == ["fibre == 'Sisal'", "length_m >= 50"] and d["aggregation"] == "max"


def test_value_counts_and_ranking_calls() -> None:
    d = _drawn("df['fibre'].value_counts().nsmallest(2)")
    assert (d["x"], d["aggregation"], d["top_k"], d["sort"]) == (
        "fibre", "count", 2, {"channel": "y", "order": "ascending"})
    d = _drawn("df.groupby('fibre')['price'].sum().sort_values(ascending=False).head(3)")
    assert (d["top_k"], d["sort"]) == (3, {"channel": "y", "order": "descending"})
    assert _drawn("df['fibre'].value_counts().plot.pie()")["mark"] == "pie"


def test_distinct_counts_histograms_boxes_and_scatters() -> None:
    d = _drawn("df.groupby('fibre')['Lay Type'].nunique()")
    assert (d["y"], d["aggregation"]) == ("Lay Type", "count_distinct")
    assert _drawn("df['length_m'].hist(bins=30)")["mark"] == "histogram"
    d = _drawn("df.boxplot(column='price', by='fibre')")
    assert (d["mark"], d["x"], d["y"]) == ("box", "fibre", "price")
    d = _drawn("df.plot.scatter(x='length_m', y='Weight (kg)', c='fibre')")
    assert (d["mark"], d["x"], d["y"], d["color"]) == ("scatter", "length_m", "Weight (kg)", "fibre")


def test_two_keys_draw_grouped_bars_unless_stacked() -> None:
    d = _drawn("pd.crosstab(df['fibre'], df['Lay Type']).plot.bar(stacked=True)")
    assert (d["mark"], d["x"], d["color"], d["aggregation"]) == ("stacked_bar", "fibre", "Lay Type", "count")
    d = _drawn("df.pivot_table(index='fibre', columns='size', values='price', aggfunc='sum').plot.bar()")
    assert (d["mark"], d["color"], d["aggregation"]) == ("grouped_bar", "size", "sum")


def test_seaborn_plotly_and_ggplot_calls() -> None:
    d = _drawn("sns.barplot(data=df, x='fibre', y='price', estimator='sum')")
    assert (d["mark"], d["x"], d["y"], d["aggregation"]) == ("bar", "fibre", "price", "sum")
    d = _drawn("sns.barplot(data=df, x='fibre', y='price')")  # seaborn's estimator is the mean
    assert d["aggregation"] == "mean"
    d = _drawn("px.pie(df, names='Lay Type', values='length_m')")
    assert (d["mark"], d["x"], d["y"], d["aggregation"]) == ("pie", "Lay Type", "length_m", "sum")
    d = _drawn("ggplot(df, aes(x = reorder(fibre, -price), y = price)) + geom_col()")
    assert (d["mark"], d["aggregation"], d["sort"]) == ("bar", "sum", {"channel": "y", "order": "descending"})
    d = _drawn("ggplot(df, aes(fibre, fill = `Lay Type`)) + geom_bar(position = 'dodge')")
    assert (d["mark"], d["color"], d["aggregation"]) == ("grouped_bar", "Lay Type", "count")
    d = _drawn("ggplot(df, aes(`Lay Type`, `Weight (kg)`)) + geom_boxplot()")
    assert (d["mark"], d["x"], d["y"]) == ("box", "Lay Type", "Weight (kg)")


def test_a_column_the_table_lacks_is_still_reported() -> None:
    a = analyze_question("df.groupby('supplier')['price'].mean()", ROPES, values=ROPE_VALUES, table_name="rope_orders")
    assert "supplier" in a.mapping.unmatched


@pytest.mark.parametrize("text", [
    "Show me the price by fibre",  # words, not code
    "df.head()",  # shows rows, asks for no chart
    "df.groupby('fibre').apply(lambda g: g['price'].max() - g['price'].min())",  # computed: not understood
    "df.groupby('fibre')['price'].std()",  # an aggregation the charts do not have
    "df.groupby('fibre'",  # not even Python
    "ggplot(df, aes(fibre)) + geom_violin()",
])
def test_what_is_no_known_code_is_left_to_the_word_reader(text: str) -> None:
    assert read_code(text, {c.name: c.role for c in ROPES.columns}) is None


def test_the_code_is_parsed_never_run() -> None:
    # a call that would have side effects if evaluated is only read
    assert read_code("__import__('os').system('echo hi')") is None
    assert read_code("df.groupby(__import__('os').getcwd())['price'].sum()") is None


def test_the_run_log_keeps_what_was_typed() -> None:
    typed = "df.groupby('fibre')['price'].max()"
    a = analyze_question(typed, ROPES, values=ROPE_VALUES, table_name="rope_orders")
    assert a.asked == typed and a.question != typed and "fibre" in a.question


# --- what the review of the first version found ---------------------------------------------------------------

#: a supermarket export: columns named like the sentence's own words
MARKET = _table(_col("Product line", "VARCHAR", "categorical", 6), _col("Quantity", "BIGINT", "measure", 10),
                _col("Total", "DOUBLE", "measure", 900), _col("y", "DOUBLE", "measure", 400),
                _col("Payment", "VARCHAR", "categorical", 3), _col("region", "VARCHAR", "categorical", 4),
                _col("revenue", "DOUBLE", "measure", 800))


def _market(question: str) -> dict[str, object]:
    return drawn(question, MARKET, {"Payment": ["Cash", "Card"]}, "sales")


def test_the_sentence_never_names_a_column_by_its_own_words() -> None:
    d = _market("df.groupby('Product line')['Quantity'].sum()")
    assert (d["y"], d["aggregation"]) == ("Quantity", "sum")
    d = _market("df.groupby('Payment')['Quantity'].mean().sort_values()")
    assert (d["y"], d["sort"]) == ("Quantity", {"channel": "y", "order": "ascending"})


def test_horizontal_bars_keep_the_category_on_x() -> None:
    d = _market("sns.barplot(data=df, x='revenue', y='region', orient='h')")
    assert (d["x"], d["y"], d["aggregation"]) == ("region", "revenue", "mean")
    d = _market("sns.barplot(data=df, x='revenue', y='region')")  # seaborn lays numbers on x horizontally
    assert (d["x"], d["y"]) == ("region", "revenue")
    d = _market("px.bar(df, y='region', x='revenue', orientation='h')")
    assert (d["x"], d["y"], d["aggregation"]) == ("region", "revenue", "sum")


def test_defaults_of_each_library() -> None:
    assert _market("px.histogram(df, x='region', y='revenue')")["aggregation"] == "sum"  # plotly's histfunc
    assert _market("sns.countplot(data=df, x='region', hue='Payment')")["mark"] == "grouped_bar"  # dodged
    d = _market("ggplot(df, aes(x = region, y = revenue)) + geom_bar(stat = 'summary', fun = 'mean')")
    assert d["aggregation"] == "mean"
    d = _market("df.groupby(['Payment','region']).size().unstack(0).plot.bar()")
    assert (d["x"], d["color"]) == ("region", "Payment")


@pytest.mark.parametrize("text", [
    "px.bar(df, x='region', y=['revenue','Quantity'])",  # wide form
    "px.scatter(df, x='Quantity')", "sns.boxplot(data=df, x='revenue')", "df.plot(kind='scatter', x=0, y=1)",
    "df.boxplot(column=['revenue','Quantity'], by='region')", "df.groupby('region')['revenue'].agg(['sum','mean'])",
    "df.groupby(pd.Grouper(freq='M'))['revenue'].sum()", "df.groupby('region')['revenue'].sum().nlargest(1e309)",
    "df.groupby('region')['revenue'].sum().hist()",  # a histogram of totals
    "df.groupby(df['when'].dt.month)['revenue'].sum()",  # folds the years together
    "sns.barplot(data=df[df['Quantity'] > 5], x='region', y='revenue')",  # data as an expression
    "ggplot(df %>% filter(Quantity > 5), aes(region, revenue)) + geom_col()",
    "df['region'].value_counts(normalize=True)",  # shares
])
def test_code_it_cannot_read_exactly_is_left_to_the_words(text: str) -> None:
    assert read_code(text, {c.name: c.role for c in MARKET.columns}) is None
    analyze_question(text, MARKET, values={"Payment": ["Cash", "Card"]}, table_name="sales")  # and never raises


def test_a_colour_name_is_no_column_and_a_quote_in_a_value_is_kept() -> None:
    assert _market("df.plot.scatter(x='Quantity', y='revenue', c='green')")["color"] is None
    read = read_code("df[df['Payment'] == \"O'Brien\"].groupby('region').size()",
                     {c.name: c.role for c in MARKET.columns})
    assert read is not None and "\"O'Brien\"" in read.sentence


def test_a_filter_on_a_column_the_table_lacks_is_reported() -> None:
    a = analyze_question("df[df['country'] == 'France'].groupby('region')['revenue'].sum()", MARKET,
                         table_name="sales")
    assert "country" in a.mapping.unmatched
