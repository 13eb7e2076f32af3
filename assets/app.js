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
