// The denial form's live total: what the amounts add up to, against what is still denied.
(function () {
  "use strict";
  var form = document.querySelector("form[data-reallocation]");
  if (!form) return;
  var remaining = Math.round(parseFloat(form.dataset.remaining) * 100);
  var live = form.querySelector("[data-live-total]");
  var out = form.querySelector("[data-total]");
  function cents(value) {
    var text = (value || "").replace(/[$,\s]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return 0;
    var parts = text.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function money(c) { return "$" + (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function update() {
    var total = 0;
    form.querySelectorAll("[data-amount]").forEach(function (input) { total += cents(input.value); });
    out.textContent = money(total);
    live.classList.toggle("over", total > remaining);
    live.hidden = false;
  }
  form.addEventListener("input", update);
  update();
})();
