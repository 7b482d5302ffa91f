/* The citizen's day and time picker (issue 16), a progressive enhancement: without this script
   the filters apply with the "Vis tider" button and the days are plain links (?dag=…). With it,
   a changed filter or a chosen day loads the picker in place at once (no button), and the chosen
   time is named beside the Book button (an aria-live region). No inline script: the CSP allows
   scripts from this origin only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function picker() { return document.getElementById("picker"); }

  function announce(text) {
    var status = document.getElementById("picker-status");
    if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  }

  function focusAfter(kind, fieldId) {
    var target = null;
    if (kind === "day") { target = document.getElementById("times-title"); }
    else if (kind === "back") { target = document.querySelector('.day-list a[aria-current="true"]') || document.getElementById("days-title"); }
    else if (fieldId) { target = document.getElementById(fieldId); }
    if (target) { target.focus(); }
  }

  function load(url, kind, fieldId) {
    var old = picker();
    if (!old || !window.fetch || !window.DOMParser) { window.location.href = url; return; }
    old.setAttribute("aria-busy", "true");
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("reload"); }
        return response.text();
      })
      .then(function (html) {
        var doc = new window.DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("picker");
        if (!fresh) { throw new Error("reload"); }
        old.replaceWith(document.importNode(fresh, true));
        window.history.replaceState(null, "", url);
        focusAfter(kind, fieldId);
        var now = picker();
        var chosen = document.getElementById("chosen-time");
        if (kind === "day" || kind === "back") {
          var legend = now.querySelector(".slot-day legend");
          announce(kind === "day" && legend ? legend.textContent : now.getAttribute("data-summary"));
        } else {
          announce(now.getAttribute("data-summary") || (chosen ? chosen.textContent : ""));
        }
      })
      .catch(function () { window.location.href = url; });
  }

  function filterUrl(form) {
    var url = new URL(form.getAttribute("action"), window.location.href);
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
    url.search = params.toString();
    return url.href;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.form;
    if (form && form.classList.contains("filters") && form.closest("#picker")) {
      load(filterUrl(form), "filter", target.id);
    } else if (target.name === "slot") {
      var chosen = document.getElementById("chosen-time");
      if (chosen) {
        chosen.textContent = chosen.getAttribute("data-prefix") + " " + target.getAttribute("data-when");
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("filters") && form.closest("#picker")) {
      event.preventDefault();
      load(filterUrl(form), "filter", null);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-picker]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) { return; }
    event.preventDefault();
    load(link.href.split("#")[0], link.getAttribute("data-picker"), null);
  });
})();
