// Drawing crops on the photo's desk page: choose an aspect and drag its box
// over the picture (the corner handle resizes it, held to the aspect), or
// choose "Focal point" and click. The box fills the aspect's form, which
// saves it; without this script the same forms take the numbers.
(function () {
  "use strict";
  var image = document.getElementById("crop-image");
  var modes = document.querySelector(".crop-modes");
  if (!image || !modes) return;
  var stage = image.parentNode;
  var box = document.createElement("div");
  box.className = "crop-box";
  box.setAttribute("aria-hidden", "true");  // the forms' numbers are the accessible way
  var handle = document.createElement("span");
  handle.className = "crop-handle";
  box.appendChild(handle);
  var dot = document.createElement("span");
  dot.className = "focus-dot";
  dot.setAttribute("aria-hidden", "true");
  stage.appendChild(box);
  stage.appendChild(dot);
  modes.hidden = false;

  function mode() { return modes.querySelector("input:checked").value; }
  function form() { return document.querySelector('form.crop[data-aspect="' + mode() + '"]'); }
  function field(f, name) { return f.elements[name]; }
  function ratio(f) { return parseFloat(f.dataset.ratio) * image.naturalHeight / image.naturalWidth; }  // w/h in fractions

  function draw() {
    var f = form();
    box.hidden = !f;
    dot.hidden = !!f;
    if (!f) {
      var focus = document.querySelector("form.focus-form");
      dot.style.left = field(focus, "fx").value * 100 + "%";
      dot.style.top = field(focus, "fy").value * 100 + "%";
      return;
    }
    var x = +field(f, "x").value, y = +field(f, "y").value, w = +field(f, "w").value;
    box.style.left = x * 100 + "%";
    box.style.top = y * 100 + "%";
    box.style.width = w * 100 + "%";
    box.style.height = w / ratio(f) * 100 + "%";
  }

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function set(f, x, y, w) {
    var h = w / ratio(f);
    w = clamp(w, 0.05, Math.min(1, ratio(f)));
    h = w / ratio(f);
    field(f, "w").value = w.toFixed(4);
    field(f, "x").value = clamp(x, 0, 1 - w).toFixed(4);
    field(f, "y").value = clamp(y, 0, 1 - h).toFixed(4);
    draw();
  }

  var drag = null;
  function point(event) {
    var r = image.getBoundingClientRect();
    return { x: (event.clientX - r.left) / r.width, y: (event.clientY - r.top) / r.height };
  }
  stage.addEventListener("pointerdown", function (event) {
    var f = form(), at = point(event);
    if (!f) {
      var focus = document.querySelector("form.focus-form");
      field(focus, "fx").value = clamp(at.x, 0, 1).toFixed(4);
      field(focus, "fy").value = clamp(at.y, 0, 1).toFixed(4);
      draw();
      return;
    }
    event.preventDefault();
    drag = { form: f, start: at, x: +field(f, "x").value, y: +field(f, "y").value, w: +field(f, "w").value,
      resize: event.target === handle };
    stage.setPointerCapture(event.pointerId);
  });
  stage.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var at = point(event), dx = at.x - drag.start.x, dy = at.y - drag.start.y;
    if (drag.resize) set(drag.form, drag.x, drag.y, drag.w + dx);
    else set(drag.form, drag.x + dx, drag.y + dy, drag.w);
  });
  stage.addEventListener("pointerup", function () { drag = null; });
  modes.addEventListener("change", draw);
  document.querySelectorAll("form.crop input").forEach(function (input) { input.addEventListener("input", draw); });
  if (image.complete) draw(); else image.addEventListener("load", draw);
})();
