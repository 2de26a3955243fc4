"""The report: report.md and a self-contained report.html (charts embedded), answer first.

Why answer first and "what could not be done" always present: a person reads the top and stops. If the
question names things the data lacks, the top says so plainly and the charts are labelled as a general
view of what exists, so a substitute is never presented as the answer. The report holds no timestamps or
run ids, so two runs of the same question produce the same bytes.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sgr.autoviz.models import Requirements

PROVENANCE = (
    ("plans/question.json", "how the question was read: columns named and how each matched, the chart asked for"),
    ("plans/template.json", "template chosen, with the score of every candidate"),
    ("plans/adapted.json", "the adapted plan, before resolution"),
    ("plans/diff.md", "what the adaptation changed and why (also plans/diff.json)"),
    ("plans/resolved.json", "the executed plan, every parameter concrete, and where each value came from"),
    ("plans/coverage.json", "which step serves which requirement"),
    ("logs/tool_calls.jsonl", "every tool call with params and result summary"),
    ("logs/execution.log", "the run, step by step"),
    ("logs/llm_exchanges.jsonl", "every decision's trace: prompt, schema, raw answers, repairs, fallbacks"),
    ("logs/stages.json", "each pipeline stage with its status and summary"),
)

_CSS = """
body{font:15px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2328;max-width:980px;
margin:2rem auto;padding:0 1rem}h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #d0d7de;
padding-bottom:.3rem;margin-top:2rem}.q{color:#57606a;font-size:1.05rem}.notice{background:#fff8c5;
border:1px solid #d4a72c;padding:.8rem 1rem;border-radius:6px}.ok{background:#dafbe1;border:1px solid #4ac26b;
padding:.8rem 1rem;border-radius:6px}figure{margin:1.5rem 0;border:1px solid #d0d7de;border-radius:6px;
padding:.8rem}figure img{max-width:100%;height:auto}figcaption{color:#57606a;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;
text-align:left}th{background:#f6f8fa}.tag{font-size:.75rem;background:#eaeef2;border-radius:4px;
padding:.1rem .4rem;margin-left:.4rem}code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
"""


@dataclass
class ReportInput:
    """Everything the report shows; built by the pipeline."""

    question: str
    data_name: str
    status: str  # "answered" | "partial"
    intent: str
    intent_reasons: list[str]
    template_id: str
    requirements: Requirements
    profile: Any
    results: list[Any]
    failures: list[dict[str, str]] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    load_notes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    step_serves: dict[str, list[str]] = field(default_factory=dict)
    #: why each step is in the plan (its rationale), so every context chart says why it is there
    step_reasons: dict[str, str] = field(default_factory=dict)
    #: the step that draws the chart the question asked for (chart 1), if any
    asked_step: str | None = None


def partial_notice(unmatched: list[str], columns: list[str]) -> str:
    """The plain sentence shown at the top of the report and on the console in the partial case."""
    names = ", ".join(repr(t) for t in unmatched)
    return (f"The question names {names}, which this data does not have (columns: {', '.join(columns)}). "
            "This question cannot be answered from this data; the charts below are a general view of what "
            "exists, not an answer.")


def unrecognized_notice(unknown: list[str]) -> str:
    """The notice for unknown words in a measure's place: the run answered without them, and says so, because
    such a word is as likely chart talk ("the rundown by region") as a field this data lacks."""
    names = ", ".join(repr(t) for t in unknown)
    verb, it, field = ("is", "it", "it names a field") if len(unknown) == 1 else ("are", "them", "they name fields")
    return (f"Not recognised: {names} {verb} neither a column of this data nor a word AutoViz knows, so the "
            f"charts read the question without {it}. If {field}, this data does not have it.")


def answer_sentences(inp: ReportInput) -> list[str]:
    """The answer in a few sentences, taken from the tool summaries (which carry the numbers).

    Analysis numbers come first; then every grouping or metric the question asked for that no chosen
    sentence speaks to yet gets its best sentence, so "by region and product" answers both.
    """
    if inp.status == "partial":
        return [partial_notice(inp.requirements.unmatched_terms, inp.columns)]
    keys = set(inp.requirements.requirement_keys())
    ranked = sorted(inp.results, key=lambda r: (r.chart is not None, -len(keys & set(_serves(r, inp)))))
    analysis = [r for r in ranked if r.chart is None and r.summary]
    charts = [r for r in ranked if r.chart is not None and r.summary]
    chosen: list[Any] = []
    for r in analysis[:3] + charts:  # charts only to reach two sentences
        if r.summary not in (c.summary for c in chosen) and (len(chosen) < 2 or r in analysis[:3]):
            chosen.append(r)
    asked = [f"group_by:{g}" for g in inp.requirements.group_by] + [f"metric:{m}" for m in inp.requirements.metrics]
    for key in asked:
        if any(key in _serves(c, inp) for c in chosen):
            continue
        # the most specific result speaks to this key best: fewest other groupings ("by product" over
        # "by region, coloured by product")
        candidates = [r for r in analysis + charts if key in _serves(r, inp)
                      and r.summary not in (c.summary for c in chosen)]
        best = min(candidates, default=None,
                   key=lambda r: sum(s.startswith(key.split(":")[0] + ":") for s in _serves(r, inp)))
        if best is not None:
            chosen.append(best)
    return [c.summary for c in chosen]


def _serves(result: Any, inp: ReportInput) -> list[str]:
    return inp.step_serves.get(result.step_id, [])


def _fmt(v: Any) -> str:
    """Readable numbers: thousands separated, no scientific notation for money-sized values."""
    if isinstance(v, bool) or not isinstance(v, float | int):
        return str(v)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.4g}"


def key_facts(results: list[Any], limit: int = 12) -> list[tuple[str, str, str]]:
    """(step, fact, value) rows from the analysis steps: the numbers behind the answer."""
    rows: list[tuple[str, str, str]] = []
    for r in results:
        if r.chart is not None:
            continue
        for k, v in r.facts.items():
            rows.append((r.step_id, k, _fmt(v)))
            if len(rows) >= limit:
                return rows
    return rows


def could_not_be_done(inp: ReportInput) -> list[str]:
    """Unmatched terms, dropped steps, unserved requirements and failed steps, one line each."""
    out = [f"No column matches {t!r}." for t in inp.requirements.unmatched_terms]
    out += [f"Requirement {k} could not be served on this data." for k in inp.uncovered]
    out += [f"Step {d['step']} was dropped: {d['dropped']}." for d in inp.dropped]
    out += [f"Step {f['step_id']} ({f['tool']}) {f['kind']}: {f['error']}" for f in inp.failures]
    return out


def _profile_rows(profile: Any) -> list[list[str]]:
    def fmt(v: Any) -> str:
        if v is None:
            return ""
        return _fmt(v)

    return [[c.name, c.dtype, c.role, f"{c.missing_frac:.1%}", str(c.distinct), fmt(c.min), fmt(c.max)]
            for c in profile.columns]


_PROFILE_HEAD = ["column", "type", "role", "missing", "distinct", "min", "max"]
#: said under the profile table when its distinct counts are estimates (big tables), so nobody reads them as exact
APPROXIMATE_DISTINCT = ("Distinct counts are approximate (HyperLogLog estimates, within a few percent) on "
                        "tables over 20,000 rows; categories and near-unique columns are counted exactly.")


def _profile_caveat(profile: Any) -> str:
    """The approximation note for the profile table, or nothing when every count is exact."""
    return APPROXIMATE_DISTINCT if getattr(profile, "distinct_approximate", False) else ""


def _chart_label(inp: ReportInput) -> str:
    return "General view (not an answer)" if inp.status == "partial" else ""


def _md_row(cells: list[str]) -> str:
    """One Markdown table row; pipes and newlines in data values would otherwise break the table."""
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _why(inp: ReportInput, result: Any) -> str:
    """One line under a chart: the asked chart says so; a context chart says why it is in the report."""
    if inp.asked_step is not None and result.step_id == inp.asked_step:
        return "Asked for: " + inp.step_reasons.get(result.step_id, "the chart the question asks for.")
    reason = inp.step_reasons.get(result.step_id, "")
    return f"Context: {reason}" if reason else ""


def render_markdown(inp: ReportInput) -> str:
    """report.md: the same content as the HTML, charts linked as files."""
    md = [f"# {inp.question}", "", f"Data: `{inp.data_name}` · intent: **{inp.intent}** · template: "
          f"`{inp.template_id}`", ""]
    if inp.intent_reasons:
        md += [f"Why this intent: {inp.intent_reasons[0]}", ""]
    for n in inp.notices:
        md += [f"> **Note:** {n}", ""]
    md += ["## Answer", ""] + [f"- {s}" for s in answer_sentences(inp)] + [""]
    facts = key_facts(inp.results)
    if facts and inp.status != "partial":
        md += ["| step | fact | value |", "|---|---|---|"] + [_md_row([a, b, c]) for a, b, c in facts] + [""]
    md += ["## Charts", ""]
    label = _chart_label(inp)
    for i, r in enumerate([r for r in inp.results if r.chart is not None], 1):
        c = r.chart
        md += [f"### {i}. {c.title}" + (f" — {label}" if label else ""), "", f"![{c.title}]({c.file})", "",
               f"*{c.caption}*", ""]
        if why := _why(inp, r):
            md += [why, ""]
    md += ["## What could not be done", ""]
    md += [f"- {x}" for x in could_not_be_done(inp)] or ["- Nothing: every requested part was served."]
    md += ["", "## Provenance", ""] + [f"- [{p}]({p}): {d}" for p, d in PROVENANCE]
    if inp.load_notes:
        md += ["", "Data notes:", *[f"- {n}" for n in inp.load_notes]]
    md += ["", "## Data profile", "", f"{inp.profile.n_rows:,} rows × {inp.profile.n_cols} columns "
           f"(shape: {inp.profile.shape})", "", "| " + " | ".join(_PROFILE_HEAD) + " |",
           "|" + "---|" * len(_PROFILE_HEAD)]
    md += [_md_row(row) for row in _profile_rows(inp.profile)]
    if _profile_caveat(inp.profile):
        md += ["", _profile_caveat(inp.profile)]
    return "\n".join(md) + "\n"


#: the media type of each image a chart may have, for its data URI
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def image_tag(path: Path, alt: str) -> str:
    """An <img> that carries the chart file as a data URI, so the page needs no other file. An SVG stays an
    <img> rather than inline markup: as an image it cannot run script or restyle the page around it."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:{_IMAGE_TYPES[path.suffix]};base64,{data}">'


def _img(run_dir: Path, file: str, alt: str) -> str:
    path = run_dir / file
    if not path.is_file():
        return f"<p><em>chart file {html.escape(file)} is missing</em></p>"
    return image_tag(path, alt)


def render_html(inp: ReportInput, run_dir: Path) -> str:
    """report.html: self-contained (charts as data URIs, inline CSS), no external requests."""
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(inp.question)}</title>"
             f"<style>{_CSS}</style></head><body>", f"<h1>{e(inp.question)}</h1>",
             f"<p class='q'>Data: <code>{e(inp.data_name)}</code> · intent: <b>{e(inp.intent)}</b> · "
             f"template: <code>{e(inp.template_id)}</code></p>"]
    if inp.intent_reasons:
        parts.append(f"<p class='q'>Why this intent: {e(inp.intent_reasons[0])}</p>")
    parts += [f"<p class='notice'><b>Note:</b> {e(n)}</p>" for n in inp.notices]
    cls = "notice" if inp.status == "partial" else "ok"
    parts.append(f"<h2>Answer</h2><div class='{cls}'><ul>"
                 + "".join(f"<li>{e(s)}</li>" for s in answer_sentences(inp)) + "</ul></div>")
    facts = key_facts(inp.results)
    if facts and inp.status != "partial":
        parts.append("<table><tr><th>step</th><th>fact</th><th>value</th></tr>" + "".join(
            f"<tr><td>{e(a)}</td><td>{e(b)}</td><td>{e(c)}</td></tr>" for a, b, c in facts) + "</table>")
    parts.append("<h2>Charts</h2>")
    label = _chart_label(inp)
    for i, r in enumerate([r for r in inp.results if r.chart is not None], 1):
        c = r.chart
        tag = f"<span class='tag'>{e(label)}</span>" if label else ""
        why = _why(inp, r)
        parts.append(f"<figure><h3>{i}. {e(c.title)}{tag}</h3>{_img(run_dir, c.file, c.title)}"
                     f"<figcaption>{e(c.caption)}</figcaption>" + (f"<p class='q'>{e(why)}</p>" if why else "")
                     + "</figure>")
    missing = could_not_be_done(inp)
    parts.append("<h2>What could not be done</h2><ul>" + ("".join(f"<li>{e(x)}</li>" for x in missing)
                 or "<li>Nothing: every requested part was served.</li>") + "</ul>")
    parts.append("<h2>Provenance</h2><ul>" + "".join(
        f"<li><a href='{e(p)}'>{e(p)}</a>: {e(d)}</li>" for p, d in PROVENANCE) + "</ul>")
    if inp.load_notes:
        parts.append("<p>Data notes:</p><ul>" + "".join(f"<li>{e(n)}</li>" for n in inp.load_notes) + "</ul>")
    parts.append(f"<h2>Data profile</h2><p>{inp.profile.n_rows:,} rows × {inp.profile.n_cols} columns "
                 f"(shape: {e(inp.profile.shape)})</p><table><tr>"
                 + "".join(f"<th>{h}</th>" for h in _PROFILE_HEAD) + "</tr>" + "".join(
                     "<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in _profile_rows(inp.profile))
                 + "</table>" + (f"<p>{e(_profile_caveat(inp.profile))}</p>" if _profile_caveat(inp.profile) else "")
                 + "</body></html>")
    return "\n".join(parts) + "\n"


def write_report(inp: ReportInput, run_dir: Path) -> tuple[Path, Path]:
    """Write report.md and report.html into the run folder."""
    md, page = run_dir / "report.md", run_dir / "report.html"
    md.write_text(render_markdown(inp), encoding="utf-8")
    page.write_text(render_html(inp, run_dir), encoding="utf-8")
    return md, page


def answer_lines(report_md: Path) -> list[str]:
    """The bullet points under '## Answer' in report.md: the report's own words, not a re-summary."""
    try:
        text = report_md.read_text(encoding="utf-8")
    except OSError:
        return []
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Answer"
            continue
        if inside and line.startswith("- "):
            out.append(line[2:].strip())
    return out
