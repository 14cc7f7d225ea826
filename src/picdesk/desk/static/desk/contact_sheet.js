// "Select all on this page" and back; without this script, tick each photo.
(function () {
  "use strict";
  var button = document.getElementById("select-all");
  if (!button) return;
  var boxes = document.querySelectorAll(".sheet input[name=photo]");
  if (!boxes.length) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var select = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
    boxes.forEach(function (box) { box.checked = select; });
    button.textContent = select ? "Select none" : "Select all on this page";
  });
})();
