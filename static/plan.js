/* Live progress of a conversation plan run (templates/plan/page.html).
 *
 * Each element with data-progress-url is a run still queued or running; its JSON (stage,
 * elapsed seconds, conversations so far) is fetched every POLL_MS and written into the
 * element's [data-field] children. When every run shown has finished, the page is loaded
 * again to show the result. No inline script: the page works under a Content-Security-Policy
 * without 'unsafe-inline', and without JavaScript (the "Opdatér" link).
 */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var MAX_FAILURES = 5;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-progress-url]"));
  if (!boxes.length || !window.fetch) {
    return;
  }
  var hint = document.querySelector("[data-js-hint]");
  if (hint) {
    hint.hidden = false;
  }
  var failures = 0;

  function show(box, data) {
    Array.prototype.forEach.call(box.querySelectorAll("[data-field]"), function (el) {
      var name = el.getAttribute("data-field");
      var value = data[name];
      if (name === "elapsed") {
        value = Math.round(data.elapsed_s || 0);
      }
      if (value !== undefined && value !== null && el.textContent !== String(value)) {
        el.textContent = String(value);
      }
    });
  }

  function check(box) {
    return fetch(box.getAttribute("data-progress-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") === -1) {
        throw new Error("progress " + response.status);
      }
      return response.json();
    }).then(function (data) {
      show(box, data);
      return Boolean(data.finished);
    });
  }

  function poll() {
    Promise.all(boxes.map(check)).then(function (finished) {
      failures = 0;
      if (finished.every(Boolean)) {
        window.location.reload();
        return;
      }
      window.setTimeout(poll, POLL_MS);
    }).catch(function () {
      failures += 1;
      if (failures < MAX_FAILURES) {
        window.setTimeout(poll, POLL_MS * 2);
      } else if (hint) {
        hint.hidden = true; /* the "Opdatér" link still works */
      }
    });
  }

  window.setTimeout(poll, POLL_MS);
}());
