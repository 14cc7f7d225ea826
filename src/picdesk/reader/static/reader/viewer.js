/* picdesk full-screen viewer: progressive enhancement of the slideshow page.
 *
 * Without JavaScript every photo links to its own page. With it, that link
 * opens a modal <dialog> (the browser traps focus in it and closes it on Esc)
 * showing the photo as large as the screen allows, its caption and credit
 * in a drawer below it (closed on phones until asked for, never over the
 * photo), a counter and previous/next buttons.
 * Arrow keys, Home and End move; a swipe moves on touch screens; a double tap
 * or double click zooms into the largest rendition, and pinch zoom is left to
 * the browser. The address follows the photo (history API), so reload and
 * back behave; closing returns focus to the photo that opened the viewer.
 */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a.open-viewer"));
  var dialog = document.getElementById("viewer");
  if (!links.length || !dialog || typeof dialog.showModal !== "function") return;

  var stage = dialog.querySelector(".viewer-stage");
  var caption = dialog.querySelector(".viewer-caption-text");
  var credit = dialog.querySelector(".viewer-credit");
  var drawer = dialog.querySelector(".viewer-caption");
  // Open where the screen leaves room for the caption beside the photo.
  drawer.open = window.matchMedia("(min-width: 40em) and (min-height: 40em)").matches;
  var counter = dialog.querySelector(".viewer-counter");
  var previous = dialog.querySelector(".viewer-previous");
  var next = dialog.querySelector(".viewer-next");
  var listUrl = window.location.pathname;
  var current = -1;
  var opener = null;

  function show(index, how) {
    current = Math.max(0, Math.min(index, links.length - 1));
    var figure = links[current].closest("figure");
    var picture = figure.querySelector("picture").cloneNode(true);
    picture.querySelectorAll("source, img").forEach(function (node) {
      node.setAttribute("sizes", "100vw");
      node.removeAttribute("loading");
    });
    stage.replaceChildren(picture);
    stage.classList.remove("zoomed");
    var figcaption = figure.querySelector("figcaption");
    caption.textContent = figcaption.getAttribute("data-full-text").trim();
    credit.textContent = figcaption.getAttribute("data-credit");
    counter.textContent = (current + 1) + " of " + links.length;
    var focused = document.activeElement;
    previous.disabled = current === 0;
    next.disabled = current === links.length - 1;
    // A button just disabled drops the focus out of the dialog: keep it in.
    if ((focused === previous || focused === next) && focused.disabled) {
      (previous.disabled ? next : previous).focus();
    }
    var url = links[current].getAttribute("href");
    if (how === "push") history.pushState({ viewer: current }, "", url);
    else if (how === "replace") history.replaceState({ viewer: current }, "", url);
  }

  function open(index, how) {
    opener = links[index];
    show(index, how);
    if (!dialog.open) dialog.showModal();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      open(index, "push");
    });
  });

  dialog.addEventListener("close", function () {
    if (history.state && typeof history.state.viewer === "number") {
      history.pushState(null, "", listUrl + "#" + links[current].closest("li").id);
    }
    if (opener) opener.focus();
  });
  dialog.querySelector(".viewer-close").addEventListener("click", close);
  previous.addEventListener("click", function () { show(current - 1, "replace"); });
  next.addEventListener("click", function () { show(current + 1, "replace"); });

  dialog.addEventListener("keydown", function (event) {
    var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: links.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key], "replace");
    }
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && typeof event.state.viewer === "number") open(event.state.viewer, null);
    else if (dialog.open) { opener = links[current]; dialog.close(); }
  });

  // A horizontal swipe of 50 px or more moves to the neighbour. The stage
  // leaves horizontal pans to us (CSS touch-action) until zoomed in.
  var startX = null;
  stage.addEventListener("dragstart", function (event) { event.preventDefault(); });
  stage.addEventListener("pointercancel", function () { startX = null; });
  stage.addEventListener("pointerdown", function (event) { startX = event.clientX; });
  stage.addEventListener("pointerup", function (event) {
    if (startX === null || stage.classList.contains("zoomed")) return;
    var dx = event.clientX - startX;
    startX = null;
    if (Math.abs(dx) >= 50) show(current + (dx < 0 ? 1 : -1), "replace");
  });

  // Double tap or double click: twice the size, from the largest rendition.
  stage.addEventListener("dblclick", function (event) {
    var zoomed = stage.classList.toggle("zoomed");
    stage.querySelectorAll("source, img").forEach(function (node) {
      node.setAttribute("sizes", zoomed ? "200vw" : "100vw");
    });
    var rect = stage.getBoundingClientRect();
    stage.style.setProperty("--zoom-x", ((event.clientX - rect.left) / rect.width * 100) + "%");
    stage.style.setProperty("--zoom-y", ((event.clientY - rect.top) / rect.height * 100) + "%");
  });
})();
