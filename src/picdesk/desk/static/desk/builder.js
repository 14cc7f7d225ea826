// The slideshow builder: drag to reorder (SortableJS), and Up/Down buttons that
// move a photo in place, keep focus on the button and announce the new
// position. The order is saved with the form; without this script the buttons
// submit it and the server moves the photo.
(function () {
  "use strict";
  var list = document.getElementById("slides");
  var status = document.getElementById("order-status");
  if (!list) return;

  function renumber() {
    list.querySelectorAll("li[data-slide]").forEach(function (item, index) {
      var n = index + 1;
      item.querySelector(".number").textContent = n;
      item.querySelector(".move-up").setAttribute("aria-label", "Move photo " + n + " up");
      item.querySelector(".move-down").setAttribute("aria-label", "Move photo " + n + " down");
    });
  }

  function position(item) {
    return Array.prototype.indexOf.call(list.children, item) + 1;
  }

  function announce(item) {
    status.textContent = "Photo moved to position " + position(item) + " of " + list.children.length + ". Save to keep the order.";
  }

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
      onEnd: function (event) {
        renumber();
        announce(event.item);
      },
    });
  }
})();
