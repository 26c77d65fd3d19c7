// The platform's few page behaviours, declared in templates by data attributes, because the
// Content-Security-Policy allows no inline script or on*= handler:
//   data-autosubmit  on a <select>: submit its form when the choice changes (the language menu)
//   data-confirm     on a <form>: ask before submitting, with the attribute's text
//   data-print       on a button: print the page
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
