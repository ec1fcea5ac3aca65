// The big-screen board: asks for the board's data every second and updates the
// page in place. When the connection drops it keeps the last figures on screen,
// says so, and retries with a growing pause (at most 5 s); when it returns the
// board catches up at once. Text is set with textContent only, never as HTML.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.url;
  var etag = null;
  var delay = 1000;
  var status = document.getElementById("board-status");

  function text(id, value) {
    var node = document.getElementById(id);
    if (node && node.textContent !== String(value)) node.textContent = value;
  }

  function item(parts) {
    var li = document.createElement("li");
    parts.forEach(function (part) {
      var span = document.createElement("span");
      span.className = part[0];
      span.textContent = part[1];
      li.appendChild(span);
    });
    return li;
  }

  function list(id, rows, toParts, decorate) {
    var node = document.getElementById(id);
    if (!node) return;
    var fresh = document.createDocumentFragment();
    rows.forEach(function (row) {
      var li = item(toParts(row));
      if (decorate) decorate(li, row);
      fresh.appendChild(li);
    });
    node.replaceChildren(fresh);
  }

  function render(data) {
    text("board-total", data.total_short);
    text("board-total-full", data.total_full);
    text("board-count", data.count);
    text("board-asof", data.as_of);
    list("board-directions", data.directions, function (d) {
      return [["label", d.label], ["value", d.total_short]];
    });
    list("board-commodities", data.commodities, function (c) {
      return [["label", c.name], ["value", c.total_short]];
    });
    list("board-recent", data.recent, function (r) {
      return [["clock", r.clock], ["parties", r.seller + " \u2192 " + r.buyer],
              ["commodity", r.commodity], ["value", r.value_short]];
    }, function (li, r) { if (r.is_reversal) li.className = "reversal"; });
    list("board-snapshots", data.snapshots, function (s) {
      return [["clock", s.clock], ["value", s.total_full]];
    });
    body.dataset.version = data.version;
  }

  function online(isOnline) {
    status.classList.toggle("offline", !isOnline);
    status.textContent = isOnline ? status.dataset.online : status.dataset.offline;
  }

  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) render(data);
        online(true);
        delay = 1000;
      })
      .catch(function () {
        online(false);
        delay = Math.min(delay * 2, 5000);
      })
      .finally(function () { window.setTimeout(poll, delay); });
  }

  window.addEventListener("online", function () { delay = 1000; });
  window.setTimeout(poll, delay);
})();
