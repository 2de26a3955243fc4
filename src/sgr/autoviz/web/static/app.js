// AutoViz page: upload -> profile -> question -> poll stages -> answer and charts; earlier runs.
// Everything from the server is inserted with textContent, never as HTML: column names come from user files.
// Login, fetchJSON and the DOM helpers ($, el, setStatus) come from shared.js, loaded first.
"use strict";

const API = "/v1/autoviz";
const DONE = new Set(["answered", "partial", "failed"]);
const STAGE_LABELS = {
  load: "Load", profile: "Profile", classify_intent: "Classify intent", extract_requirements: "Extract requirements",
  select_template: "Select template", adapt_plan: "Adapt plan", resolve_parameters: "Resolve parameters",
  check_coverage: "Check coverage", execute: "Execute", summarize: "Summarize",
};
const state = { datasetId: null, datasetName: null, runId: null, timer: null };

// -- 1. upload and profile ------------------------------------------------------------------------

async function upload(file) {
  if (!file) return;
  state.datasetId = null;
  $("go").disabled = true;
  $("profile").hidden = true;
  setStatus($("upload-status"), `Uploading ${file.name} (${formatBytes(file.size)})…`);
  const form = new FormData();
  form.append("dataset", file, file.name);
  try {
    const body = await fetchJSON(`${API}/datasets`, { method: "POST", body: form });
    state.datasetId = body.id;
    state.datasetName = body.name;
    renderProfile(body);
    setStatus($("upload-status"), `${body.name} is ready.`, "ok");
    $("go").disabled = false;
    $("ask-help").textContent = "Name columns as they appear in the profile, e.g. “" + suggestion(body.profile) + "”.";
  } catch (err) {
    setStatus($("upload-status"), `Upload failed: ${err.message}`, "bad");
  }
}

function suggestion(profile) {
  const measure = profile.columns.find((c) => c.role === "measure");
  const cat = profile.columns.find((c) => c.role === "categorical");
  return measure && cat ? `compare ${measure.name} by ${cat.name}` : "give me an overview";
}

function renderProfile(body) {
  const p = body.profile;
  $("profile-summary").textContent = `${body.name}: ${p.rows.toLocaleString()} rows × ${p.columns.length} columns`;
  const cols = $("columns").tBodies[0];
  cols.replaceChildren(...p.columns.map((c) => el("tr", {},
    el("th", { scope: "row", text: c.name }), el("td", { text: c.type }),
    el("td", {}, el("span", { class: `role ${c.role}`, text: c.role })),
    el("td", { class: "n", text: c.distinct.toLocaleString() }), el("td", { class: "n", text: c.missing.toLocaleString() }))));
  const sample = $("sample");
  sample.tHead.replaceChildren(el("tr", {}, ...p.sample.columns.map((c) => el("th", { scope: "col", text: c }))));
  let body2 = sample.tBodies[0];
  body2.replaceChildren(...p.sample.rows.map((r) => el("tr", {}, ...r.map((v) => el("td", { text: v === null ? "" : String(v) })))));
  $("profile").hidden = false;
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// -- 2./3. run and progress -------------------------------------------------------------------------

async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!state.datasetId || !question) return;
  $("go").disabled = true;
  const form = new FormData();
  form.append("dataset_id", state.datasetId);
  form.append("question", question);
  try {
    const body = await fetchJSON(`${API}/runs`, { method: "POST", body: form });
    showRun(body.id);
    loadRuns();
  } catch (err) {
    $("run").hidden = false;
    showError(`Could not start the run: ${err.message}`);
  } finally {
    $("go").disabled = !state.datasetId;
  }
}

function showRun(id) {
  state.runId = id;
  clearTimeout(state.timer);
  $("run").hidden = false;
  $("result").hidden = true;
  $("run-error").hidden = true;
  $("stages").replaceChildren();
  setStatus($("run-status"), "Queued…");
  poll();
}

async function poll() {
  const id = state.runId;
  let run;
  try {
    run = await fetchJSON(`${API}/runs/${encodeURIComponent(id)}`);
  } catch (err) {
    showError(`Lost the run: ${err.message}`);
    return;
  }
  if (id !== state.runId) return;
  renderRun(run);
  if (!DONE.has(run.status)) state.timer = setTimeout(poll, 400);
  else loadRuns();
}

function renderRun(run) {
  $("run-title").textContent = `“${run.question}” on ${run.dataset}`;
  const stages = run.stages || [];
  $("stages").replaceChildren(...stages.map((s) => el("li", { class: s.status, "data-stage": s.stage },
    el("span", { class: "name" }, el("span", { class: "dot", "aria-hidden": "true" }),
      el("span", { text: STAGE_LABELS[s.stage] || s.stage })),
    el("span", { class: "sum", text: s.summary || s.status, title: s.summary || s.status }))));
  const done = stages.filter((s) => s.status === "ok").length;
  if (run.status === "queued") setStatus($("run-status"), "Queued: waiting for a free worker…");
  else if (run.status === "running") {
    const cur = stages.find((s) => s.status === "running");
    setStatus($("run-status"), `Running: ${cur ? STAGE_LABELS[cur.stage] || cur.stage : "starting"} (${done} of ${stages.length} stages done)`);
  } else if (run.status === "failed") {
    setStatus($("run-status"), "The run failed.", "bad");
    showError(run.error ? run.error.detail : "no reason recorded");
  } else {
    setStatus($("run-status"), run.status === "partial" ? "Done, partly answered: see the notice." : "Done.", "ok");
    renderResult(run);
  }
}

function showError(text) {
  $("run-error").textContent = text;
  $("run-error").hidden = false;
}

function renderResult(run) {
  const r = run.result || {};
  $("notices").replaceChildren(...(r.notices || []).map((n) => el("p", { class: "notice", text: n })));
  $("answer").replaceChildren(...(r.answer || []).map((a) => el("li", { text: a.replace(/\*\*/g, "") })));
  $("charts").replaceChildren(...(r.charts || []).map((c) => el("figure", {},
    el("img", { src: c.url, alt: c.title, loading: "eager" }),
    el("figcaption", { text: c.title }))));
  $("report-link").href = run.report_url;
  $("run-json").href = run.url;
  $("result").hidden = false;
}

// -- earlier runs -----------------------------------------------------------------------------------

async function loadRuns() {
  let body;
  try { body = await fetchJSON(`${API}/runs?limit=20`); } catch { return; }
  const rows = body.runs.map((run) => {
    const link = el("a", { href: `#run-${run.id}`, text: run.question });
    link.addEventListener("click", (e) => { e.preventDefault(); showRun(run.id); $("run").scrollIntoView(); });
    return el("tr", {}, el("td", {}, link), el("td", { text: run.dataset }),
      el("td", {}, el("span", { class: `pill ${run.status}`, text: run.status })),
      el("td", { text: new Date(run.created_at).toLocaleString() }));
  });
  $("runs").tBodies[0].replaceChildren(...rows);
  $("runs-empty").hidden = rows.length > 0;
}

// -- wiring ------------------------------------------------------------------------------------------

async function init() {
  const drop = $("drop");
  $("file").addEventListener("change", (e) => upload(e.target.files[0]));
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
  }
  for (const type of ["dragleave", "drop"]) {
    drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.remove("over"); });
  }
  drop.addEventListener("drop", (e) => upload(e.dataTransfer.files[0]));
  $("ask").addEventListener("submit", ask);
  $("refresh").addEventListener("click", loadRuns);
  await setupLogin(loadRuns);
  await loadRuns();
  document.body.dataset.ready = "1";  // logged in (or asking) and history loaded: tests wait for this
}

document.addEventListener("DOMContentLoaded", init);
