// "Select all on this page" and back; without this script, tick each photo.
// And new arrivals: the first, unfiltered page asks every second for photos
// that came in since it was drawn and puts them at the top, saying how many
// came by which channel. Without this script, a reload shows them.
(function () {
  "use strict";
  var button = document.getElementById("select-all");
  var sheet = document.querySelector(".sheet");
  if (button && document.querySelector(".sheet input[name=photo]")) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var boxes = document.querySelectorAll(".sheet input[name=photo]");
      var select = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      boxes.forEach(function (box) { box.checked = select; });
      button.textContent = select ? "Select none" : "Select all on this page";
    });
  }
  if (!sheet || !sheet.dataset.arrivals) return;
  var since = sheet.dataset.after, after = since, status = document.getElementById("arrivals");

  function describe(counts) {
    var parts = Object.keys(counts).map(function (channel) { return counts[channel] + " by " + channel; });
    var total = Object.keys(counts).reduce(function (sum, channel) { return sum + counts[channel]; }, 0);
    return total ? total + (total === 1 ? " new photo" : " new photos") + " since this page opened: " + parts.join(", ") : "";
  }

  // The count follows the arrivals (where it is exact: a capped count stays "more than").
  var counter = document.getElementById("sheet-count");
  function count(added) {
    if (!counter || !counter.dataset.count) return;
    var total = +counter.dataset.count + added;
    counter.dataset.count = total;
    counter.textContent = total.toLocaleString("en") + (total === 1 ? " photo" : " photos");
  }

  function poll() {
    fetch(sheet.dataset.arrivals + "?after=" + after + "&since=" + since, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) return;
        if (body.items.length) {
          var empty = sheet.querySelector("li.empty");
          if (empty) empty.remove();
          sheet.insertAdjacentHTML("afterbegin", body.items.join(""));
          after = body.latest;
          count(body.items.length);
        }
        var text = [describe(body.counts)].concat(body.notices).filter(Boolean).join(". ");
        if (text && status.textContent !== text) status.textContent = text;
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .finally(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
