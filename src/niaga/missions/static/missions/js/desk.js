// The desk page: pick the parties by typing part of a name, read the value back
// in headline form, and record each deal exactly once, whatever the hotel Wi-Fi does.
//
// The queue's guarantees:
//  1. An entry is written to localStorage (per mission and officer) with its
//     idempotency key before it is first sent, so a dropped connection, a closed
//     tab or a crash loses nothing the officer confirmed.
//  2. It is always sent with that same key, so the server records it once however
//     often it arrives (deal_record answers a repeat with the first entry,
//     "replayed"), and a repeat is shown as recorded.
//  3. It leaves the store only when the server has answered for it: recorded (or
//     replayed), or refused with a reason, which stays on screen until the
//     officer edits or discards the entry. No answer, a server error or a busy
//     ledger keep it waiting; it is sent again when the browser comes back
//     online and on a timer that backs off from 2 to 30 seconds.
// Strings come from the page (#desk-strings), in the officer's language. Text is
// put into the page with textContent only, never as HTML.
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var config = readJSON("desk-config");
  var S = readJSON("desk-strings");
  var PEOPLE = readJSON("desk-participants") || [];
  if (!config || !S) return;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  // --- Money: the rules of niaga.core.money, in whole rupiah (BigInt) ------------
  // parse_rupiah's grammar: digits plain or grouped by dots or spaces in threes,
  // or a number with a decimal comma and a word (2,5 miliar); abbreviations and
  // comma-grouped thousands are refused because they are ambiguous.
  var WORDS = { ribu: 3, juta: 6, miliar: 9, milyar: 9, triliun: 12,
                thousand: 3, million: 6, billion: 9, trillion: 12 };
  var ABBREVIATIONS = ["k", "rb", "rbu", "jt", "jta", "m", "mm", "mn", "mln", "mio", "mil",
                       "mld", "mrd", "b", "bn", "bil", "t", "tn", "tr", "trl", "tril"];
  var AMOUNT = /^([0-9](?:[0-9., ]*[0-9])?)(?:(,-)|(?: ?([\p{L}\p{Nl}\p{No}]+)\.?))?$/u;
  var INTEGER = /^(?:[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?: [0-9]{3})+)$/;
  var COMMA_GROUPED = /^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$/;
  var MAX_AMOUNT = 10n ** 18n;
  var MINUS = "-\u2212";

  function problem(code) { return { error: code }; }

  function stripMinus(text) {
    if (text && MINUS.indexOf(text[0]) >= 0) return [text.slice(1).replace(/^\s+/, ""), true];
    return [text, false];
  }

  function amountOf(number, unit) {
    var exponent = 0;
    if (unit !== undefined) {
      var word = unit.toLowerCase();
      if (ABBREVIATIONS.indexOf(word) >= 0) return problem("ambiguous_abbreviation");
      if (!Object.prototype.hasOwnProperty.call(WORDS, word)) return problem("invalid");
      exponent = WORDS[word];
    }
    var at = number.indexOf(",");
    var integer = at < 0 ? number : number.slice(0, at);
    var fraction = at < 0 ? "" : number.slice(at + 1);
    if (/[.,]/.test(fraction) || COMMA_GROUPED.test(number)) return problem("ambiguous_comma");
    if (!INTEGER.test(integer)) return problem("bad_grouping");
    if (fraction.indexOf(" ") >= 0) return problem("invalid");
    var digits = integer.replace(/[. ]/g, "").replace(/^0+/, "");
    if (digits.length > 19) return problem("too_large");
    var value = BigInt(digits || "0") * 10n ** BigInt(exponent);
    if (at >= 0) {
      if (exponent === 0) return problem("decimal_not_allowed");
      var significant = fraction.replace(/0+$/, "");
      if (significant.length > exponent) return problem("decimal_not_allowed");
      value += BigInt(significant || "0") * 10n ** BigInt(exponent - significant.length);
    }
    return { value: value };
  }

  function parseRupiah(text) {
    var rest = String(text).trim().split(/\s+/).join(" ");
    var first = stripMinus(rest);
    rest = first[0];
    var currency = /^(?:rp\.?|idr) ?/i.exec(rest);
    if (currency) rest = rest.slice(currency[0].length);
    var second = stripMinus(rest);
    rest = second[0];
    if (first[1] && second[1]) return problem("invalid");
    if (!rest) return problem("empty");
    var match = AMOUNT.exec(rest);
    if (!match) return problem("invalid");
    var result = amountOf(match[1], match[3]);
    if (result.error) return result;
    if (first[1] || second[1]) return problem("negative");
    if (result.value > MAX_AMOUNT) return problem("too_large");
    return result;
  }

  function group(digits, separator) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  function formatFull(value, money) {
    money = money || config.money;
    var negative = value < 0n;
    var magnitude = negative ? -value : value;
    return (negative ? "-" : "") + money.prefix + group(magnitude.toString(), money.group);
  }

  // format_rupiah_short: two fraction digits while the leading number is below 10,
  // one from 10 up, rounded half up in whole rupiah; below a million, the full form.
  function formatShort(value, money) {
    money = money || config.money;
    var negative = value < 0n;
    var magnitude = negative ? -value : value;
    if (magnitude < 1000000n) return formatFull(value, money);
    var exponent = magnitude >= 10n ** 12n ? 12 : magnitude >= 10n ** 9n ? 9 : 6;
    var digits = magnitude < 10n ** BigInt(exponent + 1) ? 2 : 1;
    var step = 10n ** BigInt(exponent - digits);
    var rounded = (magnitude + step / 2n) / step * step;
    var unit = rounded >= 10n ** 12n ? 12 : rounded >= 10n ** 9n ? 9 : 6;
    var scale = 10n ** BigInt(unit);
    var whole = group((rounded / scale).toString(), money.group);
    var fraction = ((rounded % scale) * 100n / scale).toString().padStart(2, "0").replace(/0+$/, "");
    var number = fraction ? whole + money.decimal + fraction : whole;
    return (negative ? "-" : "") + money.prefix + number + " " + money.units[String(unit)];
  }

  // For the browser tests, which compare these with the server's own formatting.
  window.niagaDesk = { parseRupiah: parseRupiah, formatShort: formatShort, formatFull: formatFull };

  var CONFIRM_ABOVE = BigInt(config.confirm_above);
  var MAX_VALUE = BigInt(config.max_value);

  // The echo under a value input (#<id>-echo) and its confirm box (#<id>-confirm).
  function echo(input) {
    var out = document.getElementById(input.id + "-echo");
    var confirmBox = document.getElementById(input.id + "-confirm");
    var text = input.value.trim();
    var parsed = text ? parseRupiah(text) : null;
    var large = false;
    if (out) {
      out.replaceChildren();
      out.classList.remove("is-warning", "is-empty");
      if (!text) {
        if (input.id === "desk-value") out.textContent = S.value_prompt;
        out.classList.add("is-empty");
      } else if (parsed.error) {
        out.textContent = S.value_unreadable;
        out.classList.add("is-warning");
      } else {
        var headline = document.createElement("span");
        headline.className = "desk-echo-short";
        headline.textContent = formatShort(parsed.value);
        var full = document.createElement("span");
        full.className = "desk-echo-full";
        full.textContent = formatFull(parsed.value);
        out.append(headline, full);
        if (parsed.value > MAX_VALUE) {
          full.textContent += " · " + S.value_too_large;
          out.classList.add("is-warning");
        }
      }
    }
    large = Boolean(parsed && !parsed.error && parsed.value > CONFIRM_ABOVE && parsed.value <= MAX_VALUE);
    if (confirmBox) {
      confirmBox.hidden = !large;
      var box = confirmBox.querySelector("input[type=checkbox]");
      if (!large && box) box.checked = false;
      var label = document.getElementById("desk-confirm-label");
      if (large && label && input.id === "desk-value") {
        label.textContent = fill(S.confirm_needed, { value: formatFull(parsed.value) });
      }
    }
    return parsed;
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-rupiah], .desk-correct-form input[name$='value_idr']")) {
      echo(target);
    }
  });

  // --- Corrections: htmx forms in the recent list ---------------------------------
  var recentError = document.getElementById("desk-recent-error");

  function inRecent(node) {
    return Boolean(node && node.closest && node.closest("#desk-recent"));
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // A refused correction comes back as the list with the form and its errors.
    var status = event.detail.xhr.status;
    if (inRecent(event.detail.target) && (status === 409 || status === 422 || status === 503)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (inRecent(event.detail.elt) && event.detail.elt.tagName === "FORM" && recentError) {
      recentError.textContent = S.correct_offline;
      recentError.hidden = false;
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!inRecent(event.detail.target)) return;
    if (recentError) recentError.hidden = true;
    var bound = document.querySelector("#desk-recent details[open] input[name$='value_idr']");
    if (bound) echo(bound);
    // A fresh list came in (a correction answers with one): no refresh is owed.
    else refresh.waiting = false;
  });

  // The recent list is fetched again after each recorded entry. Refreshes never
  // overlap (an answer swapped in late would hide a later entry): one runs, and
  // a request made meanwhile runs once after it. Nor do they close a correction
  // the officer is typing: they wait until it is closed.
  var refresh = { running: false, again: false, waiting: false, since: 0 };
  function refreshRecent() {
    if (document.querySelector("#desk-recent details[open]")) {
      refresh.waiting = true;
      return;
    }
    refresh.waiting = false;
    if (refresh.running && Date.now() - refresh.since < 15000) {
      refresh.again = true;
      return;
    }
    if (!window.htmx || !document.getElementById("desk-recent")) return;
    refresh.running = true;
    refresh.since = Date.now();
    var done = function () {
      refresh.running = false;
      if (refresh.again) {
        refresh.again = false;
        refreshRecent();
      }
    };
    window.htmx.ajax("GET", config.urls.recent, { target: "#desk-recent", swap: "outerHTML" })
      .then(done, done);
  }
  document.addEventListener("toggle", function (event) {
    if (refresh.waiting && inRecent(event.target) && !event.target.open) refreshRecent();
  }, true);

  var form = document.getElementById("desk-form");
  if (!form) return;

  // --- Keys and the server ---------------------------------------------------------
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    // randomUUID needs a secure context; a desk on plain http in a hotel LAN has none.
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // --- The store of entries not yet answered for ------------------------------------
  var memory = [];
  var store = {
    all: function () {
      try {
        var raw = window.localStorage.getItem(config.storage);
        return raw ? JSON.parse(raw) : [];
      } catch (error) {
        return memory.slice();
      }
    },
    write: function (entries) {
      memory = entries.slice();
      try {
        if (entries.length) window.localStorage.setItem(config.storage, JSON.stringify(entries));
        else window.localStorage.removeItem(config.storage);
      } catch (error) { /* private mode or full: the in-memory copy still holds them */ }
    },
    put: function (entry) {
      var entries = store.all().filter(function (e) { return e.key !== entry.key; });
      entries.push(entry);
      entries.sort(function (a, b) { return a.created - b.created; });
      store.write(entries);
    },
    remove: function (key) {
      store.write(store.all().filter(function (e) { return e.key !== key; }));
    },
    get: function (key) {
      return store.all().filter(function (e) { return e.key === key; })[0] || null;
    },
  };

  // --- Sending ----------------------------------------------------------------------
  var inflight = {};
  var SEND_TIMEOUT_MS = 15000;

  // Resolves to {outcome: "recorded"|"refused"|"waiting", body, reason}; never rejects.
  function post(entry) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    return fetch(config.urls.deals, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(entry.payload),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") !== 0) {
        // A login page or a CSRF refusal: the session ended; the entry waits for a new one.
        if (response.status === 404) return { outcome: "refused", body: { message: S.gone } };
        return { outcome: "waiting", reason: "session" };
      }
      return response.json().then(function (body) {
        if (response.ok && body.status === "recorded") return { outcome: "recorded", body: body };
        if (response.status >= 500 || body.status === "busy") return { outcome: "waiting", reason: "busy" };
        return { outcome: "refused", body: body };
      });
    }).catch(function () {
      return { outcome: "waiting", reason: "network" };
    }).then(function (result) {
      if (timer) window.clearTimeout(timer);
      return result;
    });
  }

  // Send one stored entry and file the answer. Resolves to the result.
  function send(entry) {
    if (inflight[entry.key]) return inflight[entry.key];
    var sending = post(entry).then(function (result) {
      delete inflight[entry.key];
      if (result.outcome === "recorded") {
        store.remove(entry.key);
        recorded(result.body);
        connection(true);
      } else if (result.outcome === "refused") {
        var current = store.get(entry.key);
        if (current) {
          current.state = "refused";
          current.error = { message: result.body.message || S.invalid, errors: result.body.errors || {} };
          store.put(current);
        }
        connection(true);
      } else {
        var still = store.get(entry.key);
        if (still) {
          still.reason = result.reason;
          still.attempts = (still.attempts || 0) + 1;
          store.put(still);
        }
        connection(result.reason !== "network");
      }
      renderOutbox();
      return result;
    });
    inflight[entry.key] = sending;
    renderOutbox();
    return sending;
  }

  var retryDelay = 2000;
  var retryTimer = null;
  var flushing = false;

  function waiting() {
    return store.all().filter(function (e) { return e.state === "waiting"; });
  }

  function scheduleRetry() {
    if (retryTimer || !waiting().length) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  // Send the waiting entries one after another, oldest first; stop at the first
  // that gets no answer (the connection is still down) and try again later.
  function flush() {
    if (flushing) return;
    if (navigator.onLine === false) { scheduleRetry(); return; }
    flushing = true;
    var queue = waiting().filter(function (e) { return !inflight[e.key]; });
    var next = function () {
      var entry = queue.shift();
      if (!entry) return Promise.resolve(true);
      return send(entry).then(function (result) {
        if (result.outcome === "waiting") return false;
        return next();
      });
    };
    next().then(function (allAnswered) {
      flushing = false;
      if (allAnswered) retryDelay = 2000;
      scheduleRetry();
    });
  }

  function retryNow() {
    retryDelay = 2000;
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    flush();
  }

  window.addEventListener("online", function () { connection(true); retryNow(); });
  window.addEventListener("offline", function () { connection(false); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && waiting().length) retryNow();
  });
  window.addEventListener("storage", function (event) {
    if (event.key === config.storage) renderOutbox();
  });
  window.addEventListener("beforeunload", function (event) {
    if (waiting().length || busy) {
      event.preventDefault();
      event.returnValue = S.unload;
      return S.unload;
    }
  });

  // --- What the officer sees: connection, totals, the last answer, the outbox ------
  var connectionBadge = document.getElementById("desk-connection");

  function connection(isOnline) {
    var online = isOnline && navigator.onLine !== false;
    connectionBadge.dataset.state = online ? "online" : "offline";
    connectionBadge.textContent = online ? S.online : S.offline;
  }

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node) node.textContent = value;
  }

  function showTotals(totals) {
    setText("desk-total-short", totals.total_short);
    setText("desk-total-full", totals.total_full);
    setText("desk-total-count", String(totals.count));
  }

  var last = document.getElementById("desk-last");

  function showLast(kind, lines) {
    last.className = "alert alert-" + kind;
    last.replaceChildren();
    lines.forEach(function (line, index) {
      var node = document.createElement(index ? "div" : "strong");
      node.textContent = line;
      if (index) node.className = "desk-last-detail";
      last.appendChild(node);
    });
    last.hidden = false;
  }

  function recorded(body) {
    var deal = body.deal;
    showTotals(body.totals);
    showLast("success", [
      fill(body.replayed ? S.replayed : S.recorded, { clock: deal.clock }),
      deal.seller + " \u2192 " + deal.buyer,
      deal.direction_label + " · " + deal.commodity + " · " + deal.stage_label,
      deal.value_short + " (" + deal.value_full + ")",
    ]);
    last.dataset.key = deal.key;
    refreshRecent();
  }

  var outbox = document.getElementById("desk-outbox");
  var outboxList = document.getElementById("desk-outbox-list");
  var clockFormat = new Intl.DateTimeFormat(config.language, {
    timeZone: config.zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  function clock(timestamp) {
    var parts = clockFormat.formatToParts(new Date(timestamp));
    var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    var separator = config.language === "en" ? ":" : ".";
    return get("hour") + separator + get("minute") + " " + config.zone_label;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fieldLabel(name) {
    var field = form.querySelector('[data-field="' + name + '"]');
    return field ? field.dataset.label : "";
  }

  function renderOutbox() {
    var entries = store.all();
    outbox.hidden = entries.length === 0;
    setText("desk-outbox-count", String(entries.length));
    outboxList.replaceChildren.apply(outboxList, entries.map(function (entry) {
      var item = element("li", "desk-outbox-entry");
      item.dataset.key = entry.key;
      item.dataset.state = entry.state;
      var head = element("div");
      var refused = entry.state === "refused";
      head.append(
        element("span", "badge desk-state state-" + (refused ? "refused" : "waiting"), refused ? S.refused : S.waiting),
        " ",
        element("span", "desk-clock", clock(entry.created))
      );
      item.append(
        head,
        element("div", "desk-parties", entry.summary.seller + " \u2192 " + entry.summary.buyer),
        element("div", "desk-meta", [entry.summary.direction, entry.summary.commodity, entry.summary.value].join(" · "))
      );
      if (refused) {
        item.append(element("div", "desk-refusal", entry.error.message));
        var errors = entry.error.errors || {};
        var names = Object.keys(errors);
        if (names.length) {
          var list = element("ul", "desk-errors");
          names.forEach(function (name) {
            var label = fieldLabel(name);
            list.append(element("li", null, (label ? label + ": " : "") + errors[name].join(" ")));
          });
          item.append(list);
        }
        var actions = element("div", "desk-outbox-actions");
        var edit = element("button", "btn btn-outline-primary", S.edit);
        edit.type = "button";
        edit.addEventListener("click", function () { editEntry(entry.key); });
        var discard = element("button", "btn btn-outline-danger", S.discard);
        discard.type = "button";
        discard.addEventListener("click", function () {
          if (window.confirm(S.discard_confirm)) { store.remove(entry.key); renderOutbox(); }
        });
        actions.append(edit, discard);
        item.append(actions);
      } else {
        var note = inflight[entry.key] ? S.sending : entry.reason === "session" ? S.session : S.waiting_note;
        item.append(element("div", "desk-meta", note));
      }
      return item;
    }));
  }

  // --- The type-ahead ---------------------------------------------------------------
  function direction() {
    var checked = form.querySelector('input[name="direction"]:checked');
    return checked ? checked.value : "";
  }

  var combos = {};

  // Which side a party must come from: fixed by the direction for a sale or a
  // purchase; for an investment, opposite the other party once that is chosen.
  function requiredSide(party) {
    var d = direction();
    if (d === "sell") return party === "seller" ? "organiser" : "host";
    if (d === "buy") return party === "seller" ? "host" : "organiser";
    var other = combos[party === "seller" ? "buyer" : "seller"].chosen;
    if (!other) return "";
    return other.side === "organiser" ? "host" : "organiser";
  }

  function localMatches(text, side) {
    var terms = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    return PEOPLE.filter(function (p) {
      if (side && p.side !== side) return false;
      var name = p.name.toLowerCase();
      return terms.every(function (term) { return name.indexOf(term) >= 0; });
    }).slice(0, 10);
  }

  function Combo(party) {
    var self = this;
    this.party = party;
    this.input = document.getElementById("desk-" + party);
    this.hidden = document.getElementById("desk-" + party + "-id");
    this.list = document.getElementById("desk-" + party + "-list");
    this.hint = document.getElementById("desk-" + party + "-hint");
    this.label = document.getElementById("desk-" + party + "-label");
    this.field = this.input.closest(".desk-field");
    this.chosen = null;
    this.options = [];
    this.active = -1;
    this.sequence = 0;
    this.timer = null;
    this.offline = false;

    this.input.addEventListener("input", function () {
      if (self.chosen) self.clear(true);
      self.schedule();
    });
    this.input.addEventListener("focus", function () {
      if (!self.chosen) self.schedule();
    });
    this.input.addEventListener("blur", function () {
      // A name typed out in full counts as chosen.
      if (!self.chosen) {
        var typed = self.input.value.trim().toLowerCase();
        var exact = self.options.filter(function (p) { return p.name.toLowerCase() === typed; });
        if (typed && exact.length === 1) self.choose(exact[0]);
      }
      self.close();
    });
    this.input.addEventListener("keydown", function (event) {
      var open = !self.list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { self.search(); return; }
        self.move(1);
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); self.move(-1); }
      } else if (event.key === "Enter") {
        if (!open) return;
        event.preventDefault();
        if (self.active >= 0) self.choose(self.options[self.active]);
        else if (self.options.length === 1) self.choose(self.options[0]);
      } else if (event.key === "Escape") {
        if (open) event.preventDefault();
        self.close(); // also a search still on its way
      }
    });
    this.list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
    });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option && option.getAttribute("aria-disabled") !== "true") {
        self.choose(self.options[Number(option.dataset.index)]);
      }
    });
  }

  Combo.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.search(); }, 120);
  };

  Combo.prototype.search = function () {
    var self = this;
    var text = this.input.value;
    var side = requiredSide(this.party);
    var sequence = ++this.sequence;
    if (navigator.onLine === false) {
      this.show(localMatches(text, side), true);
      return;
    }
    var url = config.urls.participants + "?" + new URLSearchParams({ q: text, side: side }).toString();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (sequence === self.sequence) self.show(data.results, false);
      })
      .catch(function () {
        // No server: the list of participants that came with the page.
        if (sequence === self.sequence) self.show(localMatches(text, side), true);
      });
  };

  Combo.prototype.show = function (results, offline) {
    if (document.activeElement !== this.input) return;
    var self = this;
    this.options = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    var items = results.map(function (p, index) {
      var item = element("li", "desk-option");
      item.id = "desk-" + self.party + "-option-" + p.id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      item.append(element("span", "desk-option-name", p.name),
                  element("span", "desk-option-meta", p.regency + " · " + (S.side[p.side] || p.side)));
      return item;
    });
    if (!items.length) {
      var none = element("li", "desk-option", S.no_match);
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      items.push(none);
    }
    if (offline) {
      var note = element("li", "desk-option", S.search_offline);
      note.setAttribute("role", "option");
      note.setAttribute("aria-disabled", "true");
      items.push(note);
    }
    this.list.replaceChildren.apply(this.list, items);
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combo.prototype.move = function (step) {
    if (!this.options.length) return;
    this.active = (this.active + step + this.options.length) % this.options.length;
    var activeId = null;
    Array.prototype.forEach.call(this.list.querySelectorAll("[role=option]"), function (node) {
      var on = node.dataset.index === String(this.active);
      node.setAttribute("aria-selected", on ? "true" : "false");
      if (on) { activeId = node.id; node.scrollIntoView({ block: "nearest" }); }
    }, this);
    if (activeId) this.input.setAttribute("aria-activedescendant", activeId);
  };

  Combo.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.sequence++;
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Combo.prototype.choose = function (participant) {
    this.chosen = participant;
    this.input.value = participant.name;
    this.hidden.value = String(participant.id);
    this.input.classList.add("desk-chosen");
    this.close();
    clearFieldError(this.field);
    // For an investment the other party must now come from the opposite side.
    var other = combos[this.party === "seller" ? "buyer" : "seller"];
    if (other.chosen && other.chosen.side === participant.side) other.clear(false);
    updateParties();
  };

  Combo.prototype.clear = function (keepText) {
    this.chosen = null;
    this.hidden.value = "";
    this.input.classList.remove("desk-chosen");
    if (!keepText) this.input.value = "";
    updateParties();
  };

  Combo.prototype.set = function (id) {
    var found = PEOPLE.filter(function (p) { return String(p.id) === String(id); })[0];
    if (found) {
      this.chosen = found;
      this.input.value = found.name;
      this.hidden.value = String(found.id);
      this.input.classList.add("desk-chosen");
    } else {
      this.clear(false);
    }
  };

  combos.seller = new Combo("seller");
  combos.buyer = new Combo("buyer");

  // Labels and hints follow the direction; a chosen party on the wrong side is cleared.
  function updateParties() {
    var invest = direction() === "invest";
    ["seller", "buyer"].forEach(function (party) {
      var combo = combos[party];
      var label = invest ? (party === "seller" ? S.label.investor : S.label.target) : S.label[party];
      combo.label.textContent = label;
      combo.field.dataset.label = label;
      var side = requiredSide(party);
      var fixed = direction() === "sell" || direction() === "buy";
      combo.hint.textContent = side ? (fixed ? S.hint[side] : S.hint.opposite) : S.hint.any;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "direction") {
      ["seller", "buyer"].forEach(function (party) {
        var combo = combos[party];
        var d = direction();
        if (combo.chosen && (d === "sell" || d === "buy") && combo.chosen.side !== requiredSide(party)) {
          combo.clear(false);
        }
      });
      updateParties();
    }
    if (event.target.type === "radio" || event.target.type === "checkbox") {
      var field = event.target.closest(".desk-field");
      if (field) clearFieldError(field);
    }
  });
  // A text field's error goes as soon as it is edited, not when it loses focus:
  // the layout must not move under a finger already on its way to the submit button.
  form.addEventListener("input", function (event) {
    var field = event.target.closest(".desk-field");
    if (field && field.classList.contains("is-invalid")) clearFieldError(field);
  });
  updateParties();

  // --- The form ---------------------------------------------------------------------
  var submit = document.getElementById("desk-submit");
  var submitLabel = submit.textContent;
  var formError = document.getElementById("desk-form-error");
  var keyInput = document.getElementById("desk-key");
  var valueInput = document.getElementById("desk-value");
  var busy = false;

  function setBusy(on) {
    busy = on;
    submit.disabled = on;
    submit.textContent = on ? S.sending : submitLabel;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function clearFieldError(field) {
    field.classList.remove("is-invalid");
    var errors = field.querySelector("[data-errors]");
    if (errors) errors.textContent = "";
    Array.prototype.forEach.call(field.querySelectorAll("input, textarea"), function (input) {
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
    });
  }

  function clearErrors() {
    formError.hidden = true;
    formError.replaceChildren();
    Array.prototype.forEach.call(form.querySelectorAll(".desk-field"), clearFieldError);
  }

  // errors: {field name: [messages]}; names are DealInput's, as the server's.
  function showErrors(message, errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.querySelector('[data-field="' + name + '"]');
      if (!field || field.hidden) return; // listed in the alert below
      field.classList.add("is-invalid");
      field.querySelector("[data-errors]").textContent = errors[name].join(" ");
      Array.prototype.forEach.call(field.querySelectorAll("input:not([type=hidden]), textarea"), function (input) {
        if (input.type !== "radio") input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
      });
      if (!first) first = field.querySelector("input:not([type=hidden]), textarea");
    });
    formError.append(element("strong", null, message));
    var list = element("ul", "mb-0");
    Object.keys(errors).forEach(function (name) {
      var label = fieldLabel(name);
      list.append(element("li", null, (label ? label + ": " : "") + errors[name].join(" ")));
    });
    if (list.children.length) formError.append(list);
    formError.hidden = false;
    (first || formError).focus();
  }

  function collect() {
    var data = new FormData(form);
    var checked = form.querySelector('input[name="direction"]:checked');
    var parsed = parseRupiah(valueInput.value);
    return {
      key: keyInput.value,
      state: "waiting",
      created: Date.now(),
      payload: {
        key: keyInput.value,
        direction: data.get("direction") || "",
        seller_id: data.get("seller_id") || "",
        buyer_id: data.get("buyer_id") || "",
        commodity: data.get("commodity") || "",
        hs_code: (data.get("hs_code") || "").trim(),
        volume: (data.get("volume") || "").trim(),
        unit: data.get("unit") || "",
        value_idr: valueInput.value,
        stage: data.get("stage") || "",
        note: data.get("note") || "",
        confirm_large: document.getElementById("desk-confirm").checked,
      },
      summary: {
        seller: combos.seller.chosen ? combos.seller.chosen.name : "",
        buyer: combos.buyer.chosen ? combos.buyer.chosen.name : "",
        direction: checked ? form.querySelector('label[for="' + checked.id + '"]').textContent.trim() : "",
        commodity: (data.get("commodity") || "").trim(),
        value: parsed.error ? valueInput.value : formatShort(parsed.value),
      },
    };
  }

  // What can be told without the server; the server checks everything again.
  function check(entry) {
    var p = entry.payload;
    var errors = {};
    if (!p.direction) errors.direction = [S.direction_required];
    if (!p.seller_id) errors.seller_id = [S.seller_required];
    if (!p.buyer_id) errors.buyer_id = [S.buyer_required];
    if (!p.commodity.trim()) errors.commodity = [S.commodity_required];
    var parsed = parseRupiah(p.value_idr);
    if (parsed.error) errors.value_idr = [S.value_unreadable];
    else if (parsed.value <= 0n) errors.value_idr = [S.value_zero];
    else if (parsed.value > MAX_VALUE) errors.value_idr = [S.value_too_large];
    else if (parsed.value > CONFIRM_ABOVE && !p.confirm_large) {
      errors.confirm_large = [fill(S.confirm_needed, { value: formatFull(parsed.value) })];
    }
    if (!p.stage) errors.stage = [S.stage_required];
    return Object.keys(errors).length ? errors : null;
  }

  function resetForm() {
    // Direction and stage stay: a desk often records several deals of one kind.
    ["commodity", "hs_code", "volume", "unit", "note"].forEach(function (name) {
      form.elements[name].value = "";
    });
    valueInput.value = "";
    document.getElementById("desk-confirm").checked = false;
    combos.seller.clear(false);
    combos.buyer.clear(false);
    keyInput.value = newKey();
    echo(valueInput);
    clearErrors();
  }

  function load(payload) {
    var radio = form.querySelector('input[name="direction"][value="' + payload.direction + '"]');
    if (radio) radio.checked = true;
    var stage = form.querySelector('input[name="stage"][value="' + payload.stage + '"]');
    if (stage) stage.checked = true;
    combos.seller.set(payload.seller_id);
    combos.buyer.set(payload.buyer_id);
    ["commodity", "hs_code", "volume", "unit", "note"].forEach(function (name) {
      form.elements[name].value = payload[name] || "";
    });
    valueInput.value = payload.value_idr;
    echo(valueInput);
    document.getElementById("desk-confirm").checked = Boolean(payload.confirm_large);
    updateParties();
  }

  // A refused entry goes back into the form with its errors. It gets a new key:
  // nothing was recorded under the old one for this payload, and a key refused as
  // a conflict belongs to another deal.
  function editEntry(key) {
    var entry = store.get(key);
    if (!entry) return;
    load(entry.payload);
    keyInput.value = newKey();
    store.remove(key);
    renderOutbox();
    showErrors(entry.error.message, entry.error.errors || {});
    form.scrollIntoView({ block: "start" });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return; // a second tap while the first is on its way
    var entry = collect();
    var problems = check(entry);
    if (problems) {
      showErrors(S.invalid, problems);
      return;
    }
    clearErrors();
    setBusy(true);
    store.put(entry); // kept before it is sent: nothing confirmed is lost
    send(entry).then(function (result) {
      setBusy(false);
      if (result.outcome === "recorded") {
        resetForm();
        combos.seller.input.focus();
      } else if (result.outcome === "refused") {
        // The entry is still in the form: fix it there and send it again.
        store.remove(entry.key);
        renderOutbox();
        if (result.body.status === "conflict") keyInput.value = newKey();
        showErrors(result.body.message || S.invalid, result.body.errors || {});
      } else {
        showLast("warning", [result.reason === "session" ? S.session : S.kept,
                             entry.summary.seller + " \u2192 " + entry.summary.buyer + " · " + entry.summary.value]);
        resetForm();
        combos.seller.input.focus();
        scheduleRetry();
      }
    });
  });

  connection(navigator.onLine !== false);
  echo(valueInput);
  renderOutbox();
  if (waiting().length) retryNow();
})();
