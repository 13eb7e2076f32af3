// barraiser's own script, the only one besides htmx. It proposes the browser's
// time zone on the sign-in form (the server keeps it only if the person has
// none yet) and pre-selects it on the profile page when none is chosen.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    if (!input.value) { input.value = zone; }
  });
  document.querySelectorAll("[data-browser-time-zone-text]").forEach(function (el) {
    if (zone) { el.textContent = zone; }
  });
})();

// The people import: a chosen file goes into the text area when it is small;
// a larger one is sent as it is (text/csv, the CSRF token in its header),
// since a form may carry 64 KiB. Without this script the file is pasted.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  var input = document.getElementById("import-file");
  if (!form || !input) { return; }
  var area = document.getElementById("import-csv");
  var state = document.getElementById("import-file-state");
  var chosen = null;
  form.querySelector("[data-import-file]").hidden = false;
  input.addEventListener("change", function () {
    chosen = null;
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (file.size <= 48 * 1024) {
      file.text().then(function (text) { area.value = text; state.textContent = file.name + " is in the text area below."; });
    } else {
      chosen = file;
      area.value = "";
      state.textContent = file.name + " (" + Math.round(file.size / 1024) + " KiB) will be sent as it is.";
    }
  });
  form.addEventListener("submit", function (event) {
    if (!chosen) { return; }
    event.preventDefault();
    var intent = event.submitter ? event.submitter.value : "check";
    var token = form.querySelector("input[name=csrf_token]").value;
    fetch(form.action + "?intent=" + encodeURIComponent(intent), {
      method: "POST",
      headers: { "Content-Type": "text/csv", "X-CSRF-Token": token },
      body: chosen,
      credentials: "same-origin"
    }).then(function (response) {
      if (response.redirected) { window.location.assign(response.url); return; }
      return response.text().then(function (html) { document.open(); document.write(html); document.close(); });
    });
  });
})();

// People pickers: the text box becomes a combobox (the WAI-ARIA pattern with
// a list box): typing searches the organisation, the arrow keys move through
// the people found, Enter or a click chooses one, Escape closes the list.
// Choosing sets the hidden id and tells the form it changed, so the builder's
// report follows. Without this script the Find button resolves the text.
// The listeners sit on the document, so pickers that htmx swaps in (or
// morphs) work as they arrive; their attributes are set again whenever a
// swap takes them away.
(function () {
  "use strict";
  function parts(box) {
    return {
      input: box.querySelector("input[type=text]"),
      id: box.querySelector("input[data-pick-id]"),
      label: box.querySelector("input[data-pick-label]"),
      list: box.querySelector("[role=listbox]"),
      status: box.querySelector("[data-pick-status]")
    };
  }
  function decorate(box) {
    var p = parts(box);
    if (!p.input || !p.id || !p.list || p.input.getAttribute("role") === "combobox") { return; }
    var find = box.querySelector("[data-pick-find]");
    if (find) { find.hidden = true; }
    p.input.setAttribute("role", "combobox");
    p.input.setAttribute("aria-autocomplete", "list");
    p.input.setAttribute("aria-expanded", p.list.hidden ? "false" : "true");
    p.input.setAttribute("aria-controls", p.list.id);
  }
  function decorateAll() { document.querySelectorAll("[data-picker]").forEach(decorate); }
  function boxOf(target) {
    var box = target && target.closest ? target.closest("[data-picker]") : null;
    if (!box || target.getAttribute("role") !== "combobox") { return null; }
    if (!box.pick) { box.pick = { timer: null, active: -1, asked: 0 }; }
    return box;
  }
  function options(p) { return p.list.querySelectorAll("[role=option]"); }
  function close(box) {
    var p = parts(box);
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
    box.pick.active = -1;
  }
  function highlight(box, i) {
    var p = parts(box), all = options(p);
    if (!all.length) { return; }
    var active = (i + all.length) % all.length;
    box.pick.active = active;
    all.forEach(function (el, k) { el.setAttribute("aria-selected", k === active ? "true" : "false"); });
    p.input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }
  function choose(box, el) {
    var p = parts(box);
    p.id.value = el.getAttribute("data-id");
    p.input.value = el.getAttribute("data-label");
    if (p.label) { p.label.value = p.input.value; }
    close(box);
    p.status.textContent = p.input.value + " chosen.";
    p.input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function search(box) {
    var p = parts(box), q = p.input.value.trim(), mine = ++box.pick.asked;
    if (!q) { p.list.innerHTML = ""; close(box); return; }
    var url = box.getAttribute("data-search") + "?kind=" + encodeURIComponent(box.getAttribute("data-picker")) +
      "&q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (mine !== box.pick.asked) { return; }
        p = parts(box);
        p.list.innerHTML = html;
        var all = options(p);
        all.forEach(function (el, k) { el.id = p.list.id + "-" + k; });
        p.status.textContent = all.length ? all.length + (all.length === 1 ? " person" : " people") +
          " found; use the arrow keys to choose." : "Nobody matches.";
        box.pick.active = -1;
        if (all.length) {
          p.list.hidden = false;
          p.input.setAttribute("aria-expanded", "true");
        } else { close(box); }
      });
  }
  document.addEventListener("input", function (event) {
    var box = boxOf(event.target);
    if (!box) { return; }
    // What is typed names nobody until a person is chosen.
    parts(box).id.value = "";
    clearTimeout(box.pick.timer);
    box.pick.timer = setTimeout(function () { search(box); }, 120);
  });
  document.addEventListener("change", function (event) {
    // Typing alone is not a choice: only a chosen person changes the form.
    if (event.isTrusted && boxOf(event.target)) { event.stopPropagation(); }
  }, true);
  document.addEventListener("keydown", function (event) {
    var box = boxOf(event.target);
    if (!box) { return; }
    var p = parts(box), open = !p.list.hidden, active = box.pick.active;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { search(box); } else { highlight(box, active + 1); }
    } else if (event.key === "ArrowUp") {
      if (open) { event.preventDefault(); highlight(box, active - 1); }
    } else if (event.key === "Enter") {
      if (open) { event.preventDefault(); }
      if (open && active >= 0) { choose(box, options(p)[active]); }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(box); }
    }
  });
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-picker] [role=listbox]")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-picker] [role=option]") : null;
    if (!el) { return; }
    var box = el.closest("[data-picker]");
    if (!box.pick) { box.pick = { timer: null, active: -1, asked: 0 }; }
    choose(box, el);
  });
  document.addEventListener("focusout", function (event) {
    var box = boxOf(event.target);
    if (box) { setTimeout(function () { close(box); }, 150); }
  });
  decorateAll();
  new MutationObserver(decorateAll).observe(document.body,
    { childList: true, subtree: true, attributes: true, attributeFilter: ["role"] });
})();
