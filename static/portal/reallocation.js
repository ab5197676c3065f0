// The denial form's live total: what the amounts add up to, against what is still denied.
(function () {
  "use strict";
  var form = document.querySelector("form[data-reallocation]");
  if (!form) return;
  var remaining = Math.round(parseFloat(form.dataset.remaining) * 100);
  var live = form.querySelector("[data-live-total]");
  var line = form.querySelector("[data-total-line]");
  var invalidLine = form.querySelector("[data-total-invalid]");
  var out = form.querySelector("[data-total]");
  // The same amounts the server accepts (claims/forms.py MoneyField): an optional $, thousands
  // separators in their place ("1,000"; not "1,00"), at most two decimals. null: not an amount.
  var AMOUNT = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{0,2}))?$/;
  function cents(value) {
    var text = (value || "").trim();
    if (text === "") return 0;
    var match = AMOUNT.exec(text);
    if (!match) return null;
    return parseInt(match[1].replace(/,/g, ""), 10) * 100 + (match[2] ? parseInt((match[2] + "0").slice(0, 2), 10) : 0);
  }
  function money(c) { return "$" + (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function update() {
    var total = 0, invalid = false;
    form.querySelectorAll("[data-amount]").forEach(function (input) {
      var c = cents(input.value);
      if (c === null) invalid = true; else total += c;
    });
    if (!invalid) out.textContent = money(total);
    line.hidden = invalid;
    invalidLine.hidden = !invalid;
    line.classList.toggle("over", !invalid && total > remaining);
    live.hidden = false;
  }
  form.addEventListener("input", update);
  update();
})();
