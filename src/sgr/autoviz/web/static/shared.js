// What both pages share: the login (the token `sgr serve` printed, traded once for an HttpOnly session
// cookie), a fetch that turns a refusal into its `detail`, and two DOM helpers that only ever set text.
// Loaded before each page's own script (both `defer`, so they run in order and share these globals).
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function setStatus(node, text, kind = "") {
  node.textContent = text;
  node.className = "status" + (kind ? " " + kind : "");
}

async function fetchJSON(url, options) {
  const res = await fetch(url, options);
  if (res.status === 401) {
    showLogin();
    throw new Error("This service needs its access token: enter it above.");
  }
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (!res.ok) {
    const detail = body && body.detail ? body.detail : `HTTP ${res.status}`;
    throw new Error(detail);
  }
  return body;
}

async function login(token) {
  const res = await fetch("/v1/session", { method: "POST", headers: { Authorization: `Bearer ${token.trim()}` } });
  return res.ok;
}

function showLogin() {
  $("login").hidden = false;
  $("token").focus();
}

async function loginFromLink() {
  // `sgr serve` prints http://host:port/#token=...; the fragment never reaches the server or its logs
  const match = location.hash.match(/token=([^&]+)/);
  if (!match) return;
  history.replaceState(null, "", location.pathname + location.search);
  if (!(await login(decodeURIComponent(match[1])))) showLogin();
}

// Wire the login form (calling `onLogin` once the cookie is set) and use a `#token=` link if there is one.
async function setupLogin(onLogin) {
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await login($("token").value)) {
      $("login").hidden = true;
      $("token").value = "";
      setStatus($("login-status"), "");
      onLogin();
    } else {
      setStatus($("login-status"), "That token was not accepted.", "error");
    }
  });
  await loginFromLink();
}
