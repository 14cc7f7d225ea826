// Uploads: one request per file, three at a time, with a progress bar for each
// file and one for all. Without this script the form posts every file at once.
// A request that stalls (no bytes sent for a minute, or no answer two minutes
// after the last byte) is given up with a message, so a batch always ends.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.FormData) return;
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var list = document.getElementById("file-list");
  var overall = document.getElementById("overall");
  var overallText = document.getElementById("overall-text");
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var PARALLEL = 3;
  var STALL_MS = 60 * 1000;
  var ANSWER_MS = 120 * 1000;

  function row(file) {
    var item = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    var status = document.createElement("span");
    status.textContent = " waiting";
    item.append(name, " ", bar, status);
    list.append(item);
    return { item: item, bar: bar, status: status };
  }

  function show(entry, outcome) {
    entry.item.className = outcome.status === "unanswered" ? "rejected" : outcome.status;
    entry.bar.value = 100;
    entry.status.textContent = " " + outcome.status + " — ";
    var message = document.createElement(outcome.url ? "a" : "span");
    message.textContent = outcome.message;
    if (outcome.url) message.href = outcome.url;
    entry.status.append(message);
  }

  function send(file, entry, progress, done) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("files", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    var timer = null, giveUpReason = "";
    function giveUpAfter(ms, reason) {
      clearTimeout(timer);
      timer = setTimeout(function () { giveUpReason = reason; request.abort(); }, ms);
    }
    request.upload.onprogress = function (event) {
      giveUpAfter(STALL_MS, "no bytes could be sent for a minute");
      if (event.lengthComputable) {
        entry.bar.value = (100 * event.loaded) / event.total;
        progress(event.loaded);
      }
    };
    request.upload.onload = function () {
      entry.status.textContent = " checking";
      giveUpAfter(ANSWER_MS, "the server did not answer within two minutes");
    };
    request.onloadend = function () { clearTimeout(timer); };
    request.onabort = function () {
      show(entry, { status: "unanswered", message: giveUpReason +
        "; it may still arrive: look on the contact sheet before sending it again" });
      done({ status: "unanswered" });
    };
    request.onload = function () {
      var outcome;
      try {
        var body = JSON.parse(request.responseText);
        outcome = body.files && body.files[0] ? body.files[0] : { status: "rejected", message: body.error };
      } catch (error) {
        var reason = request.status === 429 ? "too many uploads; wait a minute" : "the server answered " + request.status;
        outcome = { status: "rejected", message: reason };
      }
      show(entry, outcome);
      done(outcome);
    };
    request.onerror = function () {
      show(entry, { status: "rejected", message: "the connection failed" });
      done();
    };
    entry.status.textContent = " uploading";
    giveUpAfter(STALL_MS, "no bytes could be sent for a minute");
    request.send(data);
  }

  function uploadAll(files) {
    if (!files.length) return;
    document.getElementById("progress").hidden = false;
    var total = 0, loaded = [], queue = [], finished = 0, counts = {};
    files.forEach(function (file, index) {
      total += file.size;
      loaded[index] = 0;
      queue.push({ file: file, index: index, entry: row(file) });
    });
    function update() {
      var sum = loaded.reduce(function (a, b) { return a + b; }, 0);
      overall.value = total ? (100 * sum) / total : 100;
      overallText.textContent = finished + " of " + files.length + " files done";
    }
    function next() {
      var job = queue.shift();
      if (!job) return;
      send(job.file, job.entry, function (bytes) { loaded[job.index] = bytes; update(); }, function (outcome) {
        loaded[job.index] = job.file.size;
        finished += 1;
        var status = outcome ? outcome.status : "rejected";
        counts[status] = (counts[status] || 0) + 1;
        update();
        if (finished === files.length) summary(counts);
        next();
      });
    }
    for (var i = 0; i < PARALLEL; i++) next();
  }

  function summary(counts) {
    var parts = ["added", "duplicate", "rejected", "unanswered"].filter(function (key) { return counts[key]; })
      .map(function (key) { return counts[key] + " " + key; });
    overallText.textContent = "Done: " + parts.join(", ") + ". ";
    var link = document.createElement("a");
    link.href = form.dataset.next;
    link.textContent = "To the contact sheet";
    overallText.append(link);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    uploadAll(Array.prototype.slice.call(input.files));
    form.reset();
  });
  input.addEventListener("change", function () {
    uploadAll(Array.prototype.slice.call(input.files));
    form.reset();
  });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    uploadAll(Array.prototype.slice.call(event.dataTransfer.files));
  });
})();
