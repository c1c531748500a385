"use strict";
// Filters and tooltips. Without this script every mark and list entry is shown, and the
// browser's own tooltips show the title attributes.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  // Nicer tooltips: CSS draws data-tip; the title would show a second, native one.
  var tipped = document.querySelectorAll(".m[title]");
  for (var i = 0; i < tipped.length; i++) {
    tipped[i].setAttribute("data-tip", tipped[i].getAttribute("title"));
    tipped[i].removeAttribute("title");
  }
  var items = document.querySelectorAll("[data-kind]");
  var boxes = form.querySelectorAll("input[type=checkbox]");
  var shown = document.getElementById("shown");
  function apply() {
    var on = {};
    for (var i = 0; i < boxes.length; i++) {
      on[boxes[i].name + ":" + boxes[i].value] = boxes[i].checked;
    }
    var rows = 0, visible = 0;
    for (var j = 0; j < items.length; j++) {
      var el = items[j];
      // An item is shown when its kind is on and any of its labels is.
      var labels = (el.getAttribute("data-labels") || "").split(" ");
      var labelOn = false;
      for (var k = 0; k < labels.length; k++) {
        if (on["label:" + labels[k]] !== false) labelOn = true;
      }
      var off = !(labelOn && on["kind:" + el.getAttribute("data-kind")] !== false);
      el.classList.toggle("off", off);
      if (el.tagName === "TR") {
        rows++;
        if (!off) visible++;
      }
    }
    if (shown) shown.textContent = visible + " of " + rows;
  }
  form.addEventListener("change", apply);
  apply();
})();
