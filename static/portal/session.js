// Warns before the automatic sign-out (HIPAA idle logoff) and lets the user stay signed in.
// Without JavaScript the server still signs the user out after the idle timeout.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleTimeout || "0", 10);
  var lead = parseInt(body.dataset.warningLead || "120", 10);
  var dialog = document.getElementById("session-warning");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return;
  var warnTimer, outTimer, tick, deadline;

  function countdown() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    // The words come translated from the page (the dialog's data-text-*).
    var n = left >= 60 ? Math.ceil(left / 60) : left;
    var key = (left >= 60 ? "Minute" : "Second") + (n === 1 ? "" : "s");
    var text = (dialog.dataset["text" + key] || "").replace("{n}", n);
    dialog.querySelector("[data-countdown]").textContent = text;
  }
  function arm() {
    clearTimeout(warnTimer); clearTimeout(outTimer); clearInterval(tick);
    deadline = Date.now() + idle * 1000;
    warnTimer = setTimeout(function () {
      countdown(); tick = setInterval(countdown, 1000);
      if (!dialog.open) dialog.showModal();
    }, Math.max(0, (idle - lead) * 1000));
    outTimer = setTimeout(function () {
      window.location.assign("/signin/?next=" + encodeURIComponent(location.pathname + location.search));
    }, idle * 1000 + 1000);
  }
  dialog.querySelector("form[data-keepalive]").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("keepalive " + r.status); dialog.close(); arm(); })
      .catch(function () { form.submit(); });
  });
  document.addEventListener("htmx:afterRequest", arm);
  arm();
})();
