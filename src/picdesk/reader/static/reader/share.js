/* Share buttons: "Copy link" where the clipboard API exists, "Share…" where
 * the browser has a native share sheet. Both start hidden: without
 * JavaScript the e-mail link and the address bar remain. */
(function () {
  "use strict";
  document.querySelectorAll("[data-share-url]").forEach(function (box) {
    var url = new URL(box.getAttribute("data-share-url"), window.location.href).href;
    var title = box.getAttribute("data-share-title");
    var copy = box.querySelector(".share-copy");
    var native = box.querySelector(".share-native");
    var status = box.querySelector(".share-status");
    if (navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () { status.textContent = "Link copied."; });
      });
    }
    if (navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
  });
})();
