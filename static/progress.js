/* Live progress of the planner's background jobs: conversation plan runs (templates/plan/page.html),
 * the rehabilitation re-plan (templates/planner/home.html), rehabilitation scenarios
 * (templates/planner/scenarios.html, compare.html) and what-if runs (templates/whatif/compare.html).
 *
 * Each element with data-progress-url is a job still queued or running. Its JSON is fetched every
 * POLL_MS and shown in the element: each [data-field] child gets the value of that name (the
 * field "elapsed" shows elapsed_s rounded), and a <progress data-progress> gets value/max from
 * the JSON's "done"/"total" (or seeds_done/seeds_total) — without them it stays indeterminate.
 * When every job shown has finished ("finished": true), the page goes to the element's
 * data-done-url, or is loaded again, to show the result.
 *
 * No inline script: the pages work under a Content-Security-Policy without 'unsafe-inline', and
 * without JavaScript (their "Opdatér" link; no meta refresh).
 */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var MAX_FAILURES = 5;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-progress-url]"));
  if (!boxes.length || !window.fetch) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-js-hint]"), function (hint) {
    hint.hidden = false;
  });
  var failures = 0;

  function number(value) {
    return typeof value === "number" && isFinite(value) ? value : null;
  }

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
    var done = number(data.done !== undefined ? data.done : data.seeds_done);
    var total = number(data.total !== undefined ? data.total : data.seeds_total);
    Array.prototype.forEach.call(box.querySelectorAll("progress[data-progress]"), function (bar) {
      if (done !== null && total) {
        bar.max = total;
        bar.value = Math.min(done, total);
        bar.textContent = done + " / " + total;
      } else if (data.finished) {
        bar.max = 1;
        bar.value = 1;
      }
    });
    box.setAttribute("data-state", data.state || "");
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

  function finish() {
    var target = null;
    boxes.forEach(function (box) {
      target = target || box.getAttribute("data-done-url");
    });
    if (target) {
      window.location.assign(target);
    } else {
      window.location.reload();
    }
  }

  function poll() {
    Promise.all(boxes.map(check)).then(function (finished) {
      failures = 0;
      if (finished.every(Boolean)) {
        finish();
        return;
      }
      window.setTimeout(poll, POLL_MS);
    }).catch(function () {
      failures += 1;
      if (failures < MAX_FAILURES) {
        window.setTimeout(poll, POLL_MS * 2);
      } else {
        Array.prototype.forEach.call(document.querySelectorAll("[data-js-hint]"), function (hint) {
          hint.hidden = true; /* the "Opdatér" link still works */
        });
      }
    });
  }

  window.setTimeout(poll, POLL_MS);
}());
