// The login page: the key goes to /login once, which answers with an HttpOnly session cookie.
"use strict";

document.getElementById("login").addEventListener("submit", async event => {
  event.preventDefault();
  const status = document.getElementById("login-status");
  status.textContent = "";
  const response = await fetch("/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key: document.getElementById("key").value })
  });
  if (response.ok) {
    // Back to the page asked for, on this site only: resolved by the browser's own URL parser, so that
    // tricks it would undo (a tab in "/\t/evil.example", backslashes) cannot lead to another site.
    const next = new URLSearchParams(location.search).get("next") || "/";
    let target = "/";
    try {
      const u = new URL(next, location.origin);
      target = u.origin === location.origin ? u.pathname + u.search + u.hash : "/";
    } catch (e) {
      target = "/";
    }
    location.replace(target);
    return;
  }
  const problem = await response.json().catch(() => ({}));
  status.textContent = problem.detail || ("Login failed (HTTP " + response.status + ")");
});
