// The article form's enhancements: autosave through the API and a live preview.
// Without this file the form works as a plain form (Save draft, Preview, Publish buttons).
// Drafts autosave as edits (PATCH with base_revision, so another person's newer edit is a conflict,
// never overwritten); a published article's autosaves go to the writer's private working copy
// (PUT .../draft); a new article is created as a draft on its first autosave.
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form || !window.fetch || !window.JSON) { return; }
  var status = document.getElementById("autosave-status");
  var mode = form.getAttribute("data-autosave");
  var api = form.getAttribute("data-api");
  var previewUrl = form.getAttribute("data-preview");
  var csrf = form.querySelector("input[name=csrf_token]");
  var baseInput = form.querySelector("input[name=base_revision]");
  var INTERVAL = 4000;
  var lastSaved = null;
  var saving = false;
  var stopped = false;
  var timer = null;

  function value(name) {
    var field = form.querySelector("[name='" + name + "']");
    if (!field) { return ""; }
    if (field.type === "radio") {
      var checked = form.querySelector("[name='" + name + "']:checked");
      return checked ? checked.value : "";
    }
    return field.value;
  }

  // The same layout as exchange/articles/sections.py join(): keep the two in step.
  function trim(text) {
    var lines = (text || "").replace(/\r\n/g, "\n").split("\n");
    while (lines.length && !lines[0].trim()) { lines.shift(); }
    while (lines.length && !lines[lines.length - 1].trim()) { lines.pop(); }
    return lines.join("\n");
  }
  function block(heading, text) {
    text = trim(text);
    return text ? heading + "\n\n" + text : heading;
  }
  function checklist(text) {
    text = trim(text);
    if (!text) { return ""; }
    return text.split("\n").map(function (line) {
      return /^[-*+][ \t]/.test(line) || !line.trim() ? line : "- [ ] " + line.trim();
    }).join("\n");
  }
  function body() {
    if (value("editor") !== "guided") { return value("body"); }
    var blocks = [];
    var intro = trim(value("intro"));
    if (intro) { blocks.push(intro); }
    if (value("guided_kind") === "playbook") {
      var plays = form.querySelectorAll("li.play");
      for (var i = 1; i <= plays.length; i++) {
        var parts = [trim(value("play-" + i + "-why")), checklist(value("play-" + i + "-checklist"))];
        var questions = trim(value("play-" + i + "-questions"));
        if (questions) { parts.push("### Key questions\n\n" + questions); }
        var title = value("play-" + i + "-title").split(/\s+/).filter(Boolean).join(" ") || "Untitled play";
        blocks.push(block("## Play " + i + ": " + title, parts.filter(Boolean).join("\n\n")));
      }
    } else {
      var sections = form.querySelectorAll("textarea[data-heading]");
      for (var j = 0; j < sections.length; j++) {
        blocks.push(block("## " + sections[j].getAttribute("data-heading"), sections[j].value));
      }
    }
    return blocks.join("\n\n") + "\n";
  }

  function fields() {
    var data = {title: value("title"), summary: value("summary"), body: body(), tags: value("tags")};
    if (mode === "create") {
      data.kind = value("kind") || "case_study";
      data.edit_policy = value("edit_policy") || undefined;
      data.status = "draft";
    } else {
      data.base_revision = parseInt(baseInput.value, 10);
    }
    return data;
  }

  function show(text, conflict) {
    status.textContent = text;
    status.className = "autosave-status" + (conflict ? " is-conflict" : "");
  }
  function now() {
    return new Date().toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  }
  function request(method, url, data, keepalive) {
    return fetch(url, {
      method: method, credentials: "same-origin", keepalive: !!keepalive,
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": csrf ? csrf.value : ""},
      body: JSON.stringify(data)
    });
  }

  function refused(response) {
    return response.json().then(function (answer) {
      var error = answer && answer.error ? answer.error : {};
      if (response.status === 409) {
        stopped = true;
        show("Someone else saved a newer version" + (error.current_revision ? " (revision " +
             error.current_revision + ")" : "") + ". Your text is still here: save it to see their change " +
             "beside yours and merge.", true);
      } else {
        show("Not saved yet: " + (error.message || "the server refused it") + ".", false);
      }
    }, function () { show("Not saved yet: the server did not answer. Your text is still here.", false); });
  }

  function saved(answer) {
    if (mode === "create") {
      mode = "edit";
      api = answer.url.replace(/^\/articles\//, "/api/v1/articles/");
      form.setAttribute("action", answer.url + "/edit");
      baseInput.value = answer.revision;
      if (window.history && history.replaceState) { history.replaceState(null, "", answer.url + "/edit"); }
    } else if (mode === "edit") {
      baseInput.value = answer.revision;
    }
    if (mode === "copy" && answer.conflict) {
      show("Saved at " + now() + " (only you can see it). The article changed since you started (revision " +
           answer.current_revision + "): saving shows both to merge.", true);
    } else {
      show("Saved at " + now() + (mode === "copy" ? " (only you can see it until you save your changes)." :
           " as a draft."), false);
    }
  }

  function save(keepalive) {
    if (saving || stopped) { return; }
    var data = fields();
    var snapshot = JSON.stringify(data);
    if (snapshot === lastSaved) { return; }
    if (mode === "create" && (data.title.trim().length < 3 || !data.summary.trim())) { return; }
    saving = true;
    var method = mode === "create" ? "POST" : mode === "edit" ? "PATCH" : "PUT";
    var url = mode === "copy" ? api + "/draft" : api;
    if (mode === "edit") { data.change_note = "Autosaved"; }
    request(method, url, data, keepalive).then(function (response) {
      if (response.ok) {
        lastSaved = snapshot;
        return response.json().then(saved);
      }
      return refused(response);
    }, function () {
      show("Not saved yet: no connection. Your text is still here.", false);
    }).then(function () { saving = false; }, function () { saving = false; });
  }

  // Live preview: the server renders (the same renderer as the saved article), nothing is stored.
  var preview = document.getElementById("preview");
  var previewBody = document.getElementById("preview-body");
  var previewTimer = null;
  var lastPreview = null;
  function refreshPreview() {
    var text = body();
    if (text === lastPreview) { return; }
    lastPreview = text;
    request("POST", previewUrl, {body: text}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (answer && typeof answer.html === "string") {
        previewBody.innerHTML = answer.html;  // our renderer's output: safe HTML, as on the article page
        preview.hidden = false;
      }
    }, function () { /* the Preview button still works */ });
  }

  form.addEventListener("input", function () {
    if (timer === null) { timer = setTimeout(function () { timer = null; save(false); }, INTERVAL); }
    if (preview && previewBody) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, 700);
    }
  });
  form.addEventListener("submit", function () { stopped = true; });
  // Closing or leaving the tab: save now (keepalive lets the request outlive the page).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
  lastSaved = mode === "create" ? null : JSON.stringify(fields());
  if (status) { show(mode === "copy" ? "Your changes autosave privately as you type." :
                     "Your draft autosaves as you type.", false); }
}());
