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
