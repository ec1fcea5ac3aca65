// The roll call's running count and its "everyone present" button. The page
// works without this file: each tap toggles a checkbox, the save posts them.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("roll-call-form");
    if (!form) { return; }
    var boxes = form.querySelectorAll("input.roll-call-check");
    var count = document.getElementById("roll-call-count");
    var all = document.getElementById("roll-call-all");
    function show() {
      if (!count) { return; }
      var present = 0;
      boxes.forEach(function (box) { if (box.checked) { present += 1; } });
      count.textContent = count.dataset.template
        .replace("%(present)s", String(present))
        .replace("%(total)s", count.dataset.total);
    }
    boxes.forEach(function (box) { box.addEventListener("change", show); });
    if (all && boxes.length) {
      all.hidden = false;
      all.addEventListener("click", function () {
        boxes.forEach(function (box) { box.checked = true; });
        show();
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
