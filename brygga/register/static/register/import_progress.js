// Progressive enhancement for a running import's page: without JavaScript the
// page has a refresh link; with it, the progress bar and status text follow the
// run in place (no page reload while someone reads), and the page is reloaded
// once, when the run has finished, to show its report.
(function () {
  "use strict";
  var section = document.getElementById("import-progress-section");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-progress-label");
  var rows = document.getElementById("import-progress-rows");
  var interval = 1000 * Number(section.getAttribute("data-refresh-seconds") || "3");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.active) {
          window.location.reload();
          return;
        }
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        label.textContent = data.percent_text;
        rows.textContent = data.rows_text;
        window.setTimeout(poll, interval);
      })
      .catch(function () {
        window.setTimeout(poll, interval * 2);
      });
  }
  window.setTimeout(poll, interval);
})();
