// Receipt upload, enhanced: drag and drop, image previews, checks before sending, a progress bar,
// focus on errors. Without JavaScript the same form posts normally and the server checks it all.
(function () {
  "use strict";
  var ACCEPTED = /\.(pdf|jpe?g|png|gif|tiff?|bmp|heic|heif|webp|docx?|xlsx?|csv|txt)$/i;

  function setup(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    var maxBytes = parseInt(form.dataset.maxBytes, 10);
    var maxFiles = parseInt(form.dataset.maxFiles, 10);
    var inputs = form.querySelectorAll("input[type=file]");
    var main = form.querySelector("#id_receipt_files");
    var zone = form.querySelector("[data-dropzone]");
    var previews = form.querySelector("[data-previews]");
    var fieldError = form.querySelector("[data-field-error]");
    var progress = form.querySelector("[data-progress]");
    var bar = progress && progress.querySelector("progress");
    // The words come translated from the page (data-text-*), with {placeholders} filled in here.
    function say(key, values) {
      return (form.dataset["text" + key] || "").replace(/\{(\w+)\}/g, function (all, name) {
        return values && name in values ? values[name] : all;
      });
    }

    function files() {
      var all = [];
      inputs.forEach(function (input) { Array.prototype.push.apply(all, input.files || []); });
      return all;
    }
    function problems() {
      var list = files(), found = [];
      if (!list.length) found.push(say("None"));
      if (list.length > maxFiles) found.push(say("TooMany", { max: maxFiles }));
      list.forEach(function (f) {
        if (!ACCEPTED.test(f.name)) found.push(say("Type", { name: f.name }));
        else if (f.size > maxBytes) found.push(say("Size", { name: f.name, size: (f.size / 1048576).toFixed(1) }));
        else if (f.size === 0) found.push(say("Empty", { name: f.name }));
      });
      return found;
    }
    function showProblems(found) {
      fieldError.textContent = found.join(" ");
      fieldError.hidden = !found.length;
    }
    // The page's own "Choose files" button and count, in the page's language (see the template).
    var pick = form.querySelector("[data-file-pick]");
    var status = form.querySelector("[data-file-status]");
    if (pick && status && main) {
      pick.hidden = false;
      status.hidden = false;
      main.classList.add("file-behind-label");
    }
    function showCount() {
      if (!status) return;
      var n = main ? (main.files || []).length : 0;
      var key = n === 0 ? "textNone" : n === 1 ? "textOne" : "textMany";
      status.textContent = (status.dataset[key] || "").replace("{n}", String(n));
    }
    // A file's size as people read it in the page's language: an empty file is 0 KB (never
    // rounded up to 1 KB under "is empty"), and "1,5 MB" on Spanish pages.
    function size(bytes) {
      var lang = document.documentElement.lang || "en";
      if (bytes < 1048576) return (bytes === 0 ? 0 : Math.max(1, Math.round(bytes / 1024))).toLocaleString(lang) + " KB";
      return (bytes / 1048576).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " MB";
    }
    function render() {
      showCount();
      previews.innerHTML = "";
      files().forEach(function (f) {
        var li = document.createElement("li");
        if (/^image\/(png|jpe?g|gif|webp|bmp)$/.test(f.type)) {
          var img = document.createElement("img");
          img.alt = "";
          img.src = URL.createObjectURL(f);
          img.onload = function () { URL.revokeObjectURL(img.src); };
          li.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = f.name + " (" + size(f.size) + ")";
        li.appendChild(name);
        previews.appendChild(li);
      });
      showProblems(files().length ? problems() : []);
    }
    inputs.forEach(function (input) { input.addEventListener("change", render); });

    if (zone && window.DataTransfer) {
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        var dt = new DataTransfer();
        Array.prototype.forEach.call(main.files, function (f) { dt.items.add(f); });
        Array.prototype.forEach.call(e.dataTransfer.files, function (f) { dt.items.add(f); });
        main.files = dt.files;
        render();
      });
    }

    form.addEventListener("htmx:confirm", function (e) {
      var found = problems();
      if (found.length) {
        e.preventDefault();
        showProblems(found);
        var summary = form.querySelector("#upload-result");
        summary.innerHTML = "";
        var box = document.createElement("div");
        box.className = "error-summary"; box.setAttribute("role", "alert"); box.tabIndex = -1;
        var h = document.createElement("h3"); h.textContent = say("Heading"); box.appendChild(h);
        var ul = document.createElement("ul");
        found.forEach(function (text) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = "#id_receipt_files"; a.textContent = text; li.appendChild(a); ul.appendChild(li);
        });
        box.appendChild(ul); summary.appendChild(box); box.focus();
      }
    });
    form.addEventListener("htmx:beforeRequest", function () { if (progress) { bar.value = 0; progress.hidden = false; } });
    form.addEventListener("htmx:xhr:progress", function (e) {
      if (bar && e.detail.lengthComputable) bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    });
    form.addEventListener("htmx:afterRequest", function (e) {
      if (progress) progress.hidden = true;
      // Files taken in for checking are in the check panel now: the chooser starts empty again.
      if (e.detail.successful && e.detail.target && e.detail.target.id === "receipt-check") {
        inputs.forEach(function (input) { input.value = ""; });
        render();
      }
    });
    form.addEventListener("htmx:afterSwap", function () {
      var summary = form.querySelector("[data-error-summary]");
      if (summary) { summary.focus(); return; }
      if (form.querySelector("[data-upload-success]")) {
        inputs.forEach(function (input) { input.value = ""; });
        render();
      }
    });
  }

  // Forms marked data-once: a second click while the first submit is on its way does nothing.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
  }, true);

  // Once its request is over (answered or failed), the form may be sent again: a retry is the
  // member's choice, and the server sends each file at most once however often it is asked.
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (form && form.matches && form.matches("form[data-once]")) delete form.dataset.sent;
    // A send aborts the check panel's poll in flight (hx-sync). If the panel is still there and
    // still reading (the send failed), it asks again, or it would show "Reading…" for good.
    if (form && form.matches && form.matches("form.check-send")) {
      var panel = document.getElementById("receipt-check");
      if (panel && panel.getAttribute("hx-get") && window.htmx) {
        window.htmx.ajax("GET", panel.getAttribute("hx-get"), { source: panel, target: panel, swap: "outerHTML" });
      }
    }
  });

  function init(root) { (root || document).querySelectorAll("form[data-upload-form]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", function () { init(); var s = document.querySelector("[data-error-summary]"); if (s) s.focus(); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
