// The slideshow builder: drag to reorder (SortableJS, scrolling a long list
// as the photo nears an edge), Up/Down buttons that move a photo in place,
// keep focus on the button and announce the new position, and "move to"
// a position typed in. The order is saved with the form; without this script
// the buttons submit it and the server moves the photo. Changes not saved
// are never lost silently: leaving the page asks first.
(function () {
  "use strict";
  var list = document.getElementById("slides");
  var status = document.getElementById("order-status");
  if (!list) return;

  function renumber() {
    list.querySelectorAll("li[data-slide]").forEach(function (item, index) {
      var n = index + 1;
      item.querySelectorAll(".number").forEach(function (number) { number.textContent = n; });
      item.querySelector(".move-up").setAttribute("aria-label", "Move photo " + n + " up");
      item.querySelector(".move-down").setAttribute("aria-label", "Move photo " + n + " down");
      var to = item.querySelector(".move-to input");
      if (to) to.setAttribute("aria-label", "Move photo " + n + " to position");
    });
  }

  function position(item) {
    return Array.prototype.indexOf.call(list.children, item) + 1;
  }

  function announce(item) {
    status.textContent = "Photo moved to position " + position(item) + " of " + list.children.length + ". Save to keep the order.";
    unsaved = true;
  }

  var form = document.getElementById("builder");
  var unsaved = false;
  form.addEventListener("input", function () { unsaved = true; });
  form.addEventListener("submit", function () { unsaved = false; });
  document.querySelectorAll('button[form="builder"]').forEach(function (button) {
    button.addEventListener("click", function () { unsaved = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });

  // "Move to": a position typed in, then Enter or the button beside it.
  list.querySelectorAll("li[data-slide] .slide-tools").forEach(function (tools) {
    var label = document.createElement("label");
    label.className = "move-to";
    label.textContent = "To ";
    var input = document.createElement("input");
    input.type = "number";
    input.min = 1;
    input.inputMode = "numeric";
    input.setAttribute("aria-label", "Move photo " + position(tools.closest("li")) + " to position");
    label.appendChild(input);
    tools.appendChild(label);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var item = input.closest("li"), items = list.querySelectorAll("li[data-slide]");
      var to = Math.min(items.length, Math.max(1, parseInt(input.value, 10) || position(item)));
      var target = items[to - 1];
      if (target !== item) list.insertBefore(item, to > position(item) ? target.nextElementSibling : target);
      input.value = "";
      renumber();
      item.scrollIntoView({ block: "center" });
      input.focus();
      announce(item);
    });
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest(".move-up, .move-down");
    if (!button) return;
    event.preventDefault();
    var item = button.closest("li");
    if (button.classList.contains("move-up") && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.classList.contains("move-down") && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    renumber();
    button.focus();
    announce(item);
  });

  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: ".handle",
      animation: 150,
      scroll: true,  // the page scrolls while a photo is dragged near its top or bottom
      scrollSensitivity: 120,
      scrollSpeed: 25,
      bubbleScroll: true,
      onEnd: function (event) {
        renumber();
        announce(event.item);
      },
    });
  }
})();
