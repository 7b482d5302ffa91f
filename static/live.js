/* Screens that refresh by themselves: the check-in desk (templates/callin/desk.html) and the
 * caseworker's "Min kø" (templates/caseworker/queue.html).
 *
 * An element with data-live-status-url holds a part of the page that others change (arrivals,
 * finished conversations). Every data-live-interval ms (while the tab is visible) the script
 * asks the status URL for the part's fingerprint (JSON {"version": ...}, no citizen in it);
 * only when it differs from data-live-version does it fetch data-live-fragment-url (the part's
 * HTML, answered with the header X-Live-Version) and swap it in. Focus stays on the control
 * that had it (same id), and the element named by data-live-note says when the part was
 * updated (a polite live region; its text is the page's own, in the page's language). No
 * inline script: the page works under a Content-Security-Policy without 'unsafe-inline', and
 * without JavaScript (the "Opdatér" link / the search button reload the page).
 */
(function () {
  "use strict";

  var MAX_FAILURES = 5;
  var regions = Array.prototype.slice.call(document.querySelectorAll("[data-live-status-url]"));
  if (!regions.length || !window.fetch) {
    return;
  }

  function clock() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(now.getHours()) + ":" + pad(now.getMinutes());
  }

  function getJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") === -1) {
        throw new Error("status " + response.status);
      }
      return response.json();
    });
  }

  function getFragment(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      cache: "no-store"
    }).then(function (response) {
      var version = response.headers.get("X-Live-Version");
      if (!response.ok || response.redirected || !version) {
        throw new Error("fragment " + response.status); /* e.g. logged out: keep the page */
      }
      return response.text().then(function (html) {
        return { html: html, version: version };
      });
    });
  }

  function swap(region, html) {
    var active = document.activeElement;
    var focusId = active && active !== document.body && region.contains(active) ? active.id : "";
    region.innerHTML = html;
    if (focusId) {
      var again = document.getElementById(focusId);
      if (again) {
        again.focus();
      }
    }
  }

  function watch(region) {
    var statusUrl = region.getAttribute("data-live-status-url");
    var fragmentUrl = region.getAttribute("data-live-fragment-url");
    var interval = parseInt(region.getAttribute("data-live-interval"), 10) || 5000;
    var version = region.getAttribute("data-live-version") || "";
    var note = document.getElementById(region.getAttribute("data-live-note") || "");
    var failures = 0;
    var busy = false;

    if (note) {
      note.hidden = false;
    }

    function tell(template) {
      if (note && template) {
        note.textContent = template.replace("{time}", clock());
      }
    }

    function poll() {
      if (busy || document.hidden) {
        return;
      }
      busy = true;
      getJSON(statusUrl).then(function (data) {
        if (!data.version || data.version === version) {
          return null;
        }
        return getFragment(fragmentUrl).then(function (fragment) {
          swap(region, fragment.html);
          version = fragment.version;
          region.setAttribute("data-live-version", version);
          tell(note && note.getAttribute("data-updated"));
        });
      }).then(function () {
        failures = 0;
        busy = false;
      }).catch(function () {
        failures += 1;
        busy = false;
        if (failures >= MAX_FAILURES) {
          window.clearInterval(timer);
          tell(note && note.getAttribute("data-stopped"));
        }
      });
    }

    var timer = window.setInterval(poll, interval);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        poll();
      }
    });
  }

  regions.forEach(watch);
}());
