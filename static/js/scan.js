// Stocktake scanning with the phone's camera (stocktake/scan.html), with html5-qrcode from
// static/vendor (copied from node_modules by `make vendor`, never a CDN). A decoded label is put into
// the code field and the form submitted, as a USB scanner would type it and press Enter; the label
// encodes the card's URL and the server reads the asset number out of it. Without a camera (or
// without the library, or on plain http other than localhost) the block stays hidden and typing works.
// The camera comes back on after each submission while the counter keeps it on (sessionStorage).
"use strict";

(() => {
  const box = document.querySelector("[data-camera-scan]");
  if (!box || typeof Html5Qrcode === "undefined" || !navigator.mediaDevices || !window.isSecureContext) {
    return;
  }
  const input = document.getElementById(box.dataset.cameraScan);
  const button = box.querySelector("button");
  const status = box.querySelector("[data-camera-status]");
  const KEY = "stocktake-camera-on";
  let scanner = null;

  const stop = () => {
    const running = scanner;
    scanner = null;
    button.textContent = box.dataset.start;
    return running ? running.stop().catch(() => undefined) : Promise.resolve();
  };

  const start = () => {
    scanner = new Html5Qrcode("camera-view", { verbose: false });
    button.textContent = box.dataset.stop;
    scanner
      .start(
        { facingMode: "environment" },
        { fps: 10, qrbox: (w, h) => ({ width: Math.min(w, h, 260), height: Math.min(w, h, 260) }) },
        (text) => {
          if (!scanner || input.form.dataset.sending) {
            return;
          }
          input.form.dataset.sending = "1";
          input.value = text;
          scanner.pause(true);
          input.form.requestSubmit();
        },
        () => undefined,
      )
      .catch(() => {
        status.textContent = box.dataset.failed;
        sessionStorage.removeItem(KEY);
        scanner = null;
        button.textContent = box.dataset.start;
        input.focus();
      });
  };

  box.hidden = false;
  button.addEventListener("click", () => {
    if (scanner) {
      sessionStorage.removeItem(KEY);
      stop();
    } else {
      sessionStorage.setItem(KEY, "1");
      status.textContent = "";
      start();
    }
  });
  if (sessionStorage.getItem(KEY)) {
    start();
  }
})();
