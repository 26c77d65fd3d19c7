// The platform's few page behaviours, declared in templates by data attributes, because the
// Content-Security-Policy allows no inline script or on*= handler:
//   data-autosubmit  on a <select>: submit its form when the choice changes (the language menu)
//   data-confirm     on a <form>: ask before submitting, with the attribute's text
//   data-print       on a button: print the page
//   (every list)     each cell of a table with one header row gets its column's heading as data-label,
//                    so that on a phone the stylesheet shows each row as a card ("状态  审批中")
//   data-import-job  on an import job's card: the URL of its JSON status, polled every 2 s while the job
//                    runs (fields marked data-import-field are updated); the page reloads when it ends
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

const stackTables = (root) => {
  root.querySelectorAll("table").forEach((table) => {
    const rows = table.tHead ? table.tHead.rows : [];
    if (table.classList.contains("stack") || rows.length !== 1) {
      return;
    }
    const headings = Array.from(rows[0].cells);
    if (headings.some((th) => th.colSpan > 1)) {
      return;
    }
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        if (row.cells.length !== headings.length) {
          return; // an "empty" row spanning the table, or a row the template built differently
        }
        Array.from(row.cells).forEach((cell, i) => {
          cell.dataset.label = headings[i].textContent.trim();
        });
      });
    });
    table.classList.add("stack");
  });
};
stackTables(document);
document.addEventListener("htmx:afterSwap", (event) => stackTables(event.target));

(() => {
  const card = document.querySelector("[data-import-job]");
  const running = ["pending", "validating", "writing"];
  if (!card || !running.includes(card.dataset.importStatus)) {
    return;
  }
  const poll = () => {
    fetch(card.dataset.importJob, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((job) => {
        if (job.finished) {
          window.location.reload();
          return;
        }
        card.querySelectorAll("[data-import-field]").forEach((node) => {
          const value = job[node.dataset.importField];
          if (node.tagName === "PROGRESS") {
            node.value = value;
          } else {
            node.textContent = value;
          }
        });
        window.setTimeout(poll, 2000);
      })
      .catch(() => window.setTimeout(poll, 10000));
  };
  window.setTimeout(poll, 1000);
})();

// data-select-all="<form id>" on a checkbox: ticks or clears every checkbox of that form (bulk approval).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) {
    return;
  }
  document.querySelectorAll(`input[type=checkbox][form="${all.dataset.selectAll}"]`).forEach((box) => {
    box.checked = all.checked;
  });
});
