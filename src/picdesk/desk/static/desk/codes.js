// Code replacements as they are typed: in any text field of the desk, a
// code just closed before the caret (=ab1= or \ab1\, =ab1#2= for its second
// text) is swapped for its text. Saving expands codes anyway
// (photos.codes): this only shows the text at once.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.expansion;
  var JUST_CLOSED = /([=\\])([\w.+-]{1,64}?)(?:#\d{1,2})?\1$/;
  if (!url) return;

  function textField(element) {
    return element.tagName === "TEXTAREA" ||
      element.tagName === "INPUT" && /^(text|search|)$/.test(element.getAttribute("type") || "");
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!textField(field) || field.selectionStart !== field.selectionEnd) return;
    var before = field.value.slice(0, field.selectionStart);
    var match = before.match(JUST_CLOSED);
    if (!match) return;
    var code = match[0];
    fetch(url + "?text=" + encodeURIComponent(code), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || answer.text === code) return;
        var at = field.value.lastIndexOf(code, field.selectionStart);
        if (at < 0) return;  // typed over meanwhile
        field.setRangeText(answer.text, at, at + code.length, "preserve");  // the caret stays where the typing is
        field.dispatchEvent(new Event("change", { bubbles: true }));
      })
      .catch(function () { /* offline: saving expands it */ });
  });
})();
