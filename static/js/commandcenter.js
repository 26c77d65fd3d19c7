// The command center's charts (Apache ECharts, from static/vendor/) and its sortable ranking.
// The figures are on the page as text; the charts only draw them. Data comes from the
// json_script element #cc-chart-data (no inline script: the Content-Security-Policy forbids it), the
// legends too (data.labels, translated by the server): this file holds no user-visible text.
// After an HTMX drill-down swaps #cc-main, the charts are drawn again from the new data.
"use strict";

(function () {
  const COLORS = { green: "#2e7d32", amber: "#ef8f00", red: "#c62828", none: "#9e9e9e" };
  let charts = [];

  function draw(el, option) {
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "inherit" } }, option));
    charts.push(chart);
  }

  function trend(el, data) {
    const t = data.trends[Number(el.dataset.series)];
    draw(el, {
      title: { text: t.label, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      // The legend under the axis: beside the title it runs into it on a phone or in English.
      legend: { data: [data.labels.now, data.labels.last_year], bottom: 0 },
      grid: { left: 50, right: 10, top: 40, bottom: 55 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.now, type: "line", data: t.now },
        { name: data.labels.last_year, type: "line", data: t.last_year, lineStyle: { type: "dashed" } },
      ],
    });
  }

  function trajectory(el, data) {
    const t = data.trajectory;
    draw(el, {
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.actual, data.labels.target], right: 0 },
      grid: { left: 50, right: 10, top: 30, bottom: 30 },
      xAxis: { type: "category", data: t.years },
      yAxis: { type: "value", name: "kgce/m²" },
      series: [
        { name: data.labels.actual, type: "bar", data: t.actual },
        { name: data.labels.target, type: "line", data: t.target, connectNulls: true },
      ],
    });
  }

  function alerts(el, data) {
    draw(el, {
      tooltip: {},
      // containLabel: the rule names set the left margin (they are longer in English).
      grid: { left: 10, right: 20, top: 10, bottom: 20, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.alerts.map((a) => a.name) },
      series: [{ type: "bar", data: data.alerts.map((a) => a.value), itemStyle: { color: COLORS.amber } }],
    });
  }

  function drawAll() {
    charts.forEach((c) => c.dispose());
    charts = [];
    const source = document.getElementById("cc-chart-data");
    if (!source || !window.echarts) {
      return;
    }
    const data = JSON.parse(source.textContent);
    const kinds = { trend: trend, trajectory: trajectory, alerts: alerts };
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const kind = kinds[el.dataset.chart];
      if (kind) {
        kind(el, data);
      }
    });
  }

  // Sortable ranking: click a header to sort by that column (numbers by data-value), again to reverse.
  document.addEventListener("click", (event) => {
    const th = event.target.closest("table[data-sortable] th[data-sort]");
    if (!th) {
      return;
    }
    const table = th.closest("table");
    const index = Array.from(th.parentNode.children).indexOf(th);
    const numeric = th.dataset.sort === "number";
    const descending = th.dataset.direction !== "desc";
    th.dataset.direction = descending ? "desc" : "asc";
    const body = table.tBodies[0];
    const key = (row) => {
      const cell = row.children[index];
      if (!numeric) {
        return cell.textContent.trim();
      }
      const v = parseFloat(cell.dataset.value);
      return Number.isNaN(v) ? -Infinity : v;
    };
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach((row) => body.appendChild(row));
  });

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  document.addEventListener("htmx:afterSettle", drawAll);
  document.addEventListener("DOMContentLoaded", drawAll);
})();
