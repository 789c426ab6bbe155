// Shared by the dashboard's pages: named queries over the SQL pack, charts (uPlot), tables, live refresh.
"use strict";

const Dashboard = (() => {
  const MINUTE = 60_000;
  const charts = {};   // by element id; the browser tests read the data each chart drew

  async function query(name, params = {}) {
    const url = "/api/queries/" + encodeURIComponent(name) + "?" + new URLSearchParams(params);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (response.status === 401) {
      // The login ended (or the dashboard restarted): log in again and come back here.
      location.assign("/login.html?next=" + encodeURIComponent(location.pathname + location.search));
    }
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.detail || body.title || ("HTTP " + response.status));
    }
    return body;
  }

  /** Rows as objects keyed by column name. */
  function records(result) {
    return result.rows.map(row => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
  }

  function lastMinutes(minutes) {
    const to = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
    return { from: to - (minutes + 1) * MINUTE, to };
  }

  const time = ms => ms == null ? "—" : new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dateTime = ms => ms == null ? "—" : new Date(ms).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const number = v => v == null ? "—" : Number(v).toLocaleString();
  const money = v => v == null ? "—" : Number(v).toLocaleString([], { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function skuLink(sku) {
    const a = text("a", sku);
    a.href = "/sku.html?sku=" + encodeURIComponent(sku);
    return a;
  }

  /** Fills a table body; each column: [cell(record) -> string | Node, numeric?]. */
  function fillTable(tbody, items, columns, empty) {
    tbody.replaceChildren();
    if (items.length === 0) {
      const row = tbody.insertRow();
      const cell = row.insertCell();
      cell.colSpan = columns.length;
      cell.className = "muted";
      cell.textContent = empty;
      return;
    }
    for (const item of items) {
      const row = tbody.insertRow();
      for (const [cellOf, numeric] of columns) {
        const cell = row.insertCell();
        const value = cellOf(item);
        if (value instanceof Node) cell.append(value); else cell.textContent = value;
        if (numeric) cell.className = "num";
      }
    }
  }

  const PALETTE = ["#1f5fbf", "#d1495b", "#2e9e5b", "#edae49", "#6c4ab6", "#00798c", "#8d6e63"];

  /**
   * A time-series chart: one line per series name, x in epoch ms at minute steps (missing minutes are 0).
   * Also writes the same numbers into the chart's table, for keyboards and screen readers.
   */
  function drawSeries(elementId, { from, to }, rows, seriesOf, valueOf, yLabel) {
    const xs = [];
    for (let t = from; t < to; t += MINUTE) xs.push(t / 1000);
    const names = [...new Set(rows.map(seriesOf))].sort();
    const index = new Map(xs.map((x, i) => [x, i]));
    const data = [xs, ...names.map(() => new Array(xs.length).fill(0))];
    for (const row of rows) {
      const i = index.get(row.minute / 1000);
      if (i !== undefined) data[1 + names.indexOf(seriesOf(row))][i] += Number(valueOf(row));
    }
    const element = document.getElementById(elementId);
    const width = Math.max(320, element.clientWidth - 8);
    const options = {
      width, height: 220,
      scales: { x: { time: true } },
      axes: [{ label: "time (local)" }, { label: yLabel }],
      series: [{ label: "minute" }, ...names.map((name, i) => ({ label: name, stroke: PALETTE[i % PALETTE.length], width: 2 }))],
    };
    if (charts[elementId]) charts[elementId].destroy();
    element.querySelector(".plot").replaceChildren();
    charts[elementId] = new uPlot(options, data, element.querySelector(".plot"));
    const tbody = element.querySelector("details tbody");
    if (tbody) {
      const nonZero = rows.filter(r => Number(valueOf(r)) !== 0);
      fillTable(tbody, nonZero.slice(-30).reverse(), [[r => time(r.minute)], [seriesOf], [r => number(valueOf(r)), true]], "No data in this range yet");
    }
    return charts[elementId];
  }

  /** Runs refresh now and every periodMs, showing failures in the element with id statusId. */
  function every(periodMs, statusId, refresh) {
    const status = document.getElementById(statusId);
    const run = async () => {
      try {
        await refresh();
        if (status) { status.textContent = "updated " + time(Date.now()); status.className = "status"; }
      } catch (e) {
        if (status) { status.textContent = e.message; status.className = "status error"; }
      }
    };
    run();
    return setInterval(run, periodMs);
  }

  const ALERT_COLUMNS = [
    [a => time(a.event_time)],
    [a => text("span", a.type, "kind-" + a.type)],
    [a => skuLink(a.sku)],
    [a => a.location_id],
    [a => number(a.available), true],
    [a => number(a.threshold), true],
    [a => a.projected_stockout_at == null ? "" : dateTime(a.projected_stockout_at)],
  ];

  return { query, records, lastMinutes, time, dateTime, number, money, text, skuLink, fillTable, drawSeries, every, charts, ALERT_COLUMNS };
})();
window.Dashboard = Dashboard;
