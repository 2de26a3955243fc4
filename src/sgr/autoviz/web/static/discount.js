// Discount page: pick a customer -> send a message -> route, context, cap and its rules, reasoning, offer,
// trace; the audit log, newest first, with the full record of any decision.
// Messages, reasoning and rules are text from customers and models: everything goes in with textContent.
// Login, fetchJSON and the DOM helpers ($, el, setStatus) come from shared.js, loaded first.
"use strict";

const API = "/v1/discount";
const AUDIT_LIMIT = 20;
const CUSTOMER_LIMIT = 20;
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const pct = (p) => `${Number(p.toFixed(2))}%`;
// the merged context, split by the store each fact comes from
const HOT = [["cart_value", "Cart", money.format], ["profit_margin", "Margin", pct],
  ["inventory_status", "Inventory", String]];
const COLD = [["lifetime_value", "Lifetime value", money.format], ["churn_probability", "Churn probability", String],
  ["days_since_last_order", "Days since last order", String]];
const REASONING = [["churn_analysis", "Churn analysis"], ["financial_analysis", "Financial analysis"],
  ["margin_math", "Margin math"]];
const ROUTES = { fetch_user_features: "a price question: customer facts fetched and priced",
  respond: "not a price question: answered without an offer" };
const audit = new Map();  // id -> the record as listed, so a click shows it without another request

function facts(node, pairs) {
  node.replaceChildren(...pairs.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));
  return node;
}

function ms(seconds) {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

// -- 1. customers ----------------------------------------------------------------------------------

async function loadCustomers() {
  let body;
  try {
    body = await fetchJSON(`${API}/customers?limit=${CUSTOMER_LIMIT}`);
  } catch (err) {
    $("pick").replaceChildren(el("option", { value: "", text: "No sample customers" }));
    $("pick-help").textContent = err.message;
    return;
  }
  const options = body.customers.map((c) => el("option", { value: c.customer_id,
    text: `${c.customer_id} · cart ${money.format(c.cart_value)} · margin ${pct(c.profit_margin)} · ${c.inventory_status}` }));
  $("pick").replaceChildren(el("option", { value: "", text: `Choose one of ${options.length}…` }), ...options);
  $("pick-help").textContent = "Sessions from the hot store; or type any id.";
  if (options.length && !$("customer").value) {
    $("pick").value = body.customers[0].customer_id;
    $("customer").value = body.customers[0].customer_id;
  }
}

// -- 2. a decision ---------------------------------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const customerId = $("customer").value.trim();
  const message = $("message").value.trim();
  if (!customerId || !message) return;
  $("send").disabled = true;
  setStatus($("send-status"), `Asking for ${customerId}…`);
  try {
    const body = await fetchJSON(`${API}/decisions`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer_id: customerId, message }) });
    renderDecision(body);
    setStatus($("send-status"), `Decided in ${ms(body.latency_s)}; audit record #${body.audit_id}.`, "ok");
    await loadAudit();
  } catch (err) {
    showRefusal(err.message);
    setStatus($("send-status"), "Refused: see below.", "bad");
  } finally {
    $("send").disabled = false;
  }
}

function showRefusal(detail) {
  $("result").hidden = false;
  $("decision").hidden = true;
  $("result-title").textContent = "Refused";
  $("decision-error").textContent = detail;
  $("decision-error").hidden = false;
}

function renderDecision(body) {
  $("decision-error").hidden = true;
  $("result-title").textContent = `Decision for ${body.customer_id}`;
  renderOffer(body);
  $("route-name").textContent = body.route.route;
  $("route-name").className = `pill ${body.route.route === "respond" ? "queued" : "answered"}`;
  $("route-reason").textContent = `${body.route.reason} (${ROUTES[body.route.route] || body.route.route})`;
  renderContext(body.context);
  renderCap(body.cap, body.clamps);
  const d = body.decision || {};
  const reasoning = REASONING.filter(([k]) => d[k]).map(([k, label]) => [label, d[k]]);
  facts($("reasoning"), reasoning.length ? reasoning : [["Route reason", body.route.reason]]);
  renderTrace(body);
  $("result").hidden = false;
  $("decision").hidden = false;
}

function renderOffer(body) {
  const offer = body.offer;
  $("offer").className = offer ? "offer" : "offer none";
  $("offer-percent").textContent = offer ? `${pct(offer.percent)} off` : "No discount";
  facts($("offer-amounts"), offer ? [["Cart", money.format(offer.cart_value)], ["You save", money.format(offer.saving)],
    ["New total", money.format(offer.new_total)]] : []);
  $("offer-code").textContent = offer ? offer.code : "";
  $("offer-code").hidden = !offer;
  $("customer-message").textContent = body.customer_message;
}

function renderContext(context) {
  if (!context) {
    $("context").replaceChildren(el("p", { class: "muted", text: "None: this route reads no customer facts." }));
    return;
  }
  const group = (title, fields) => el("div", {}, el("h4", { text: title }),
    facts(el("dl", { class: "facts" }), fields.map(([k, label, fmt]) => [label, fmt(context[k])])));
  $("context").replaceChildren(group("Hot store: live session", HOT), group("Cold store: history", COLD));
}

function renderCap(cap, clamps) {
  if (!cap) {
    $("cap-summary").textContent = "No cap: no offer was priced.";
    $("cap-policy").textContent = "";
    $("cap-rules").replaceChildren();
    $("clamps").replaceChildren();
    return;
  }
  const rules = [...cap.rules];
  const policy = rules.length && rules[0].startsWith("policy ") ? rules.shift() : null;
  $("cap-summary").textContent = `At most ${pct(cap.max_percent)} · tier ${cap.tier}`;
  $("cap-policy").textContent = policy ? `Policy ${policy.slice(7).replace("@", " @ ")}` : "";
  $("cap-rules").replaceChildren(...rules.map((r) => el("li", { text: r })));
  $("clamps").replaceChildren(clamps.length
    ? el("ul", { class: "clamps" }, ...clamps.map((c) => el("li", { text: `${c.field}: ${c.from_value} → ${c.to_value} (${c.rule})` })))
    : el("p", { class: "muted", text: "No clamps: the decision was within the cap as made." }));
}

function renderTrace(body) {
  $("trace-summary").textContent = `Backend ${body.backend}${body.fallback_used ? " (deterministic fallback used)" : ""}`
    + ` · ${ms(body.latency_s)} in all · audit record #${body.audit_id}`;
  const steps = Object.values(body.trace || {});
  $("trace").tBodies[0].replaceChildren(...steps.map((t) => el("tr", {},
    el("th", { scope: "row", text: t.step }), el("td", { text: t.backend }), el("td", { text: t.model || "—" }),
    el("td", { class: "n", text: `${t.prompt_tokens} / ${t.completion_tokens}` }), el("td", { class: "n", text: String(t.retries) }),
    el("td", { class: "n", text: ms(t.latency_s) }), el("td", { text: t.fallback_reason || (t.fallback_used ? "yes" : "—") }))));
}

// -- 3. audit ---------------------------------------------------------------------------------------

async function loadAudit(event) {
  if (event) event.preventDefault();
  const customer = $("audit-customer").value.trim();
  const query = new URLSearchParams({ limit: String(AUDIT_LIMIT) });
  if (customer) query.set("customer_id", customer);
  let records;
  try {
    records = await fetchJSON(`${API}/audit?${query}`);
  } catch (err) {
    setStatus($("audit-status"), `Could not read the audit: ${err.message}`, "bad");
    return;
  }
  setStatus($("audit-status"), "");
  audit.clear();
  const rows = records.map((r) => {
    audit.set(String(r.id), r);
    const d = r.decision || {};
    const row = el("tr", { "data-id": String(r.id), tabindex: "0" },
      el("td", { class: "n", text: String(r.id) }), el("td", { text: new Date(r.ts).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) }),
      el("td", { text: r.customer_id }), el("td", { class: "clip", text: r.message, title: r.message }),
      el("td", { text: r.route }),
      el("td", { class: "n", text: d.max_discount_percent ? pct(d.max_discount_percent) : "—" }),
      el("td", {}, el("code", { text: d.offer_code || "" })));
    row.addEventListener("click", () => showRecord(r.id));
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") showRecord(r.id); });
    return row;
  });
  $("audit").tBodies[0].replaceChildren(...rows);
  $("audit-empty").hidden = rows.length > 0;
}

function showRecord(id) {
  const r = audit.get(String(id));
  if (!r) return;
  for (const row of $("audit").tBodies[0].rows) row.classList.toggle("selected", row.dataset.id === String(id));
  const d = r.decision || {};
  const reasoning = r.reasoning || {};
  const inputs = r.inputs || {};
  const pairs = [["Time", new Date(r.ts).toLocaleString()], ["Customer", r.customer_id], ["Message", r.message],
    ["Route", `${r.route}: ${reasoning.route_reason || ""}`]];
  if (Object.keys(inputs).length) {
    pairs.push(["Context", [...HOT, ...COLD].map(([k, label, fmt]) => `${label} ${fmt(inputs[k])}`).join(" · ")]);
  }
  for (const [k, label] of REASONING) if (reasoning[k]) pairs.push([label, reasoning[k]]);
  if (r.cap_percent !== null && r.cap_percent !== undefined) {
    pairs.push(["Cap", `${pct(r.cap_percent)}: ${r.cap_rules.join("; ")}`]);
  }
  pairs.push(["Clamps", r.clamps.length ? r.clamps.map((c) => `${c.field}: ${c.from_value} → ${c.to_value} (${c.rule})`).join("; ") : "none"]);
  if (d.max_discount_percent !== undefined) pairs.push(["Offer", `${pct(d.max_discount_percent)}${d.offer_code ? ` · code ${d.offer_code}` : ""}`]);
  pairs.push(["Customer saw", d.customer_message || d.reply || ""]);
  pairs.push(["Backend", `${r.backend}${r.fallback_used ? " (fallback)" : ""} · ${ms(r.latency_s)}`]);
  $("audit-detail-title").textContent = `Record #${r.id}`;
  facts($("audit-fields"), pairs);
  $("audit-json").textContent = JSON.stringify(r, null, 2);
  $("audit-detail").hidden = false;
}

// -- wiring ------------------------------------------------------------------------------------------

async function init() {
  $("pick").addEventListener("change", () => { if ($("pick").value) $("customer").value = $("pick").value; });
  $("ask").addEventListener("submit", send);
  $("audit-form").addEventListener("submit", loadAudit);
  await setupLogin(() => Promise.all([loadCustomers(), loadAudit()]));
  await Promise.all([loadCustomers(), loadAudit()]);
  document.body.dataset.ready = "1";  // logged in (or asking), customers and audit loaded: tests wait for this
}

document.addEventListener("DOMContentLoaded", init);
