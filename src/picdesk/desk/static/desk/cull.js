// Culling from the keyboard, on top of the contact sheet's forms (which do
// the same without this script): arrows move between frames (shift extends
// the selection), 1-5 rate, 0 clears, 6-9 set colour classes 1-4, P picks,
// X rejects, space opens the loupe, C compares the selected frames, Enter
// opens the photo, ? lists the keys. Each mark is saved at once and said to
// screen readers; a mark the server refuses is put back as it was.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  var form = document.getElementById("selection");
  if (!sheet || !form) return;
  var status = document.getElementById("cull-status");
  var loupe = document.getElementById("loupe");
  var compare = document.getElementById("compare");
  var keys = document.getElementById("keys");
  var classNames = {};  // Photo Mechanic's names, as the no-script form lists them
  document.querySelectorAll("#set-class option[data-name]").forEach(function (option) {
    classNames[option.value] = option.dataset.name;
  });
  var current = null, anchor = null;

  function cards() {
    return Array.prototype.filter.call(sheet.querySelectorAll(".card"), function (card) {
      return card.offsetParent !== null;
    });
  }

  function box(card) { return card.querySelector("input[name=photo]"); }

  function focus(card) {
    if (!card) return;
    if (current) current.tabIndex = -1;
    current = card;
    card.tabIndex = 0;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
    if (loupe.open) showLoupe(card);
  }

  // The frame above or below: the nearest by centre in the next row.
  function vertical(list, index, step) {
    var here = list[index].getBoundingClientRect(), centre = here.left + here.width / 2, best = null, bestScore = Infinity;
    for (var i = index + step; i >= 0 && i < list.length; i += step) {
      var r = list[i].getBoundingClientRect();
      if ((step > 0 ? r.top <= here.top : r.top >= here.top)) continue;
      if (best !== null && Math.abs(r.top - list[best].getBoundingClientRect().top) > 1) break;
      var score = Math.abs(r.left + r.width / 2 - centre);
      if (score < bestScore) { best = i; bestScore = score; }
    }
    return best === null ? index : best;
  }

  function move(key, extend) {
    var list = cards();
    if (!list.length) return;
    var index = Math.max(0, list.indexOf(current));
    var next = {
      ArrowLeft: index - 1, ArrowRight: index + 1,
      ArrowUp: vertical(list, index, -1), ArrowDown: vertical(list, index, 1)
    }[key];
    next = Math.min(list.length - 1, Math.max(0, next));
    if (extend) {
      if (!anchor) { anchor = list[index]; box(anchor).checked = true; }
      selectRange(list, list.indexOf(anchor), next);
    } else {
      anchor = null;
    }
    focus(list[next]);
  }

  function selectRange(list, from, to) {
    var low = Math.min(from, to), high = Math.max(from, to);
    list.forEach(function (card, i) { box(card).checked = i >= low && i <= high; });
  }

  function targets() {
    if (!current) return [];
    var chosen = cards().filter(function (card) { return box(card).checked; });
    return box(current).checked && chosen.length ? chosen : [current];
  }

  function drawMarks(card) {
    var rating = +card.dataset.rating, cls = +card.dataset.class, pick = +card.dataset.pick;
    var marks = card.querySelector(".marks");
    marks.textContent = "";
    var stars = document.createElement("span");
    stars.className = "stars";
    stars.setAttribute("aria-label", rating ? rating + (rating === 1 ? " star" : " stars") : "No rating");
    stars.textContent = "★★★★★".slice(0, rating) + "☆☆☆☆☆".slice(rating);
    marks.appendChild(stars);
    if (cls) badge(marks, "cc cc-" + cls, classNames[cls]);
    if (pick === 1) badge(marks, "pick", "Pick");
    if (pick === -1) badge(marks, "reject", "Reject");
    card.classList.toggle("rejected", pick === -1);
  }

  function badge(parent, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(document.createTextNode(" "));
    parent.appendChild(span);
  }

  function save(field, value) {
    var chosen = targets();
    if (!chosen.length) return;
    var before = chosen.map(function (card) { return Object.assign({}, card.dataset); });
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append(field, value);
    chosen.forEach(function (card) {
      body.append("photo", card.dataset.photo);
      card.dataset[{ rating: "rating", color_class: "class", pick: "pick" }[field]] = value;
      drawMarks(card);
    });
    fetch(sheet.dataset.cull, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || "not saved");
          status.textContent = "Marked " + answer.said;
          sheet.dispatchEvent(new CustomEvent("marked", { detail: answer }));
        });
      })
      .catch(function (error) {
        chosen.forEach(function (card, i) { Object.assign(card.dataset, before[i]); drawMarks(card); });
        status.textContent = "Not saved: " + error.message;
      });
  }

  function toggle(field, value) {
    var now = +current.dataset[field === "pick" ? "pick" : "class"];
    save(field, now === value ? 0 : value);
  }

  function figure(card, big) {
    var fig = document.createElement("figure");
    var img = document.createElement("img");
    img.src = card.dataset.loupe;
    img.alt = card.querySelector("img").alt;
    var caption = document.createElement("figcaption");
    var facts = card.querySelector(".facts-for-loupe").cloneNode(true);
    facts.hidden = false;
    var marks = card.querySelector(".marks").cloneNode(true);
    caption.appendChild(marks);
    caption.appendChild(facts);
    fig.appendChild(img);
    fig.appendChild(caption);
    fig.className = big ? "single" : "";
    return fig;
  }

  function showLoupe(card) {
    loupe.dataset.photo = card.dataset.photo;
    var old = loupe.querySelector("figure");
    loupe.replaceChild(figure(card, true), old);
  }

  function openLoupe() {
    if (!current) return;
    showLoupe(current);
    if (!loupe.open) loupe.showModal();
  }

  function openCompare() {
    var chosen = cards().filter(function (card) { return box(card).checked; }).slice(0, 4);
    if (chosen.length < 2) { status.textContent = "Select 2 to 4 frames to compare."; return; }
    var frames = compare.querySelector(".frames");
    frames.textContent = "";
    frames.dataset.count = chosen.length;
    chosen.forEach(function (card) { frames.appendChild(figure(card, false)); });
    compare.showModal();
  }

  var MARK_KEYS = { "0": ["rating", 0], "1": ["rating", 1], "2": ["rating", 2], "3": ["rating", 3], "4": ["rating", 4],
    "5": ["rating", 5] };
  var CLASS_KEYS = { "6": 1, "7": 2, "8": 3, "9": 4 };

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.name !== "photo";
  }

  // Space and Enter on a control (a button, a link, a fold, a checkbox) are
  // that control's: only on a frame or the page do they preview and open.
  function pressable(target) {
    return /^(A|BUTTON|SUMMARY)$/.test(target.tagName) || /^(checkbox|radio|submit|button)$/.test(target.type);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if ((event.key === " " || event.key === "Enter") && pressable(event.target)) return;
    if (compare.open || keys.open) return;  // Esc closes them natively
    if (!current) focus(cards()[0]);
    if (!current) return;
    var key = event.key, handled = true;
    if (/^Arrow/.test(key)) move(key, event.shiftKey && !loupe.open);
    else if (key in MARK_KEYS) save(MARK_KEYS[key][0], MARK_KEYS[key][1]);
    else if (key in CLASS_KEYS) toggle("color_class", CLASS_KEYS[key]);
    else if (key === "p" || key === "P") toggle("pick", 1);
    else if (key === "x" || key === "X") toggle("pick", -1);
    else if (key === " ") { if (loupe.open) loupe.close(); else openLoupe(); }
    else if (key === "Escape" && loupe.open) loupe.close();
    else if (key === "Enter") window.location.href = current.dataset.url;
    else if ((key === "s" || key === "S") && !loupe.open) box(current).checked = !box(current).checked;
    else if ((key === "c" || key === "C") && !loupe.open) openCompare();
    else if (key === "?") keys.showModal();
    else handled = false;
    if (handled) event.preventDefault();
  });

  sheet.addEventListener("focusin", function (event) {
    var card = event.target.closest(".card");
    if (card && card !== current) { if (current) current.tabIndex = -1; current = card; card.tabIndex = 0; }
  });
  // Closing a dialog gives focus back to the frame it opened on: the loupe
  // may have moved on meanwhile, and the editor stays where it was.
  loupe.addEventListener("close", function () {
    focus(sheet.querySelector('.card[data-photo="' + loupe.dataset.photo + '"]'));
  });
  compare.addEventListener("close", function () { if (current) current.focus({ preventScroll: true }); });

  // Shift-click selects the range from the last frame clicked.
  var lastClicked = null;
  sheet.addEventListener("click", function (event) {
    if (event.target.name !== "photo") return;
    var list = cards(), card = event.target.closest(".card");
    if (event.shiftKey && lastClicked) selectRange(list, list.indexOf(lastClicked), list.indexOf(card));
    lastClicked = card;
  });

  var help = document.getElementById("show-keys");
  help.hidden = false;
  help.addEventListener("click", function () { keys.showModal(); });

  var size = document.getElementById("thumb-size");
  function resize(value) { sheet.style.setProperty("--thumb", value + "rem"); sheet.dataset.size = value < 9 ? "small" : "large"; }
  size.value = localStorage.getItem("desk-thumb-size") || size.value;
  resize(size.value);
  size.closest("p").hidden = false;
  size.addEventListener("input", function () { resize(size.value); localStorage.setItem("desk-thumb-size", size.value); });

  // On a phone the sheet comes first: the filters and actions fold away
  // (they stay open without this script, and where a filter is in use).
  if (window.matchMedia("(max-width: 40rem)").matches) {
    document.querySelectorAll("details.fold").forEach(function (fold) {
      if (!fold.querySelector("form.filters") || !window.location.search) fold.open = false;
    });
  }

  var first = cards()[0];
  if (first) { first.tabIndex = 0; current = first; }
})();
