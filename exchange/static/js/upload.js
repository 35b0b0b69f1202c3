// The edit page's upload control, enhanced: upload without leaving the page, then put the Markdown
// at the cursor in the body (in the guided form: in the section last written in). Without this script
// the form posts and shows the Markdown to paste.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  var body = document.querySelector("textarea#body, textarea[data-heading]");
  if (!form || !body || !window.fetch || !window.FormData) {
    return;
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("textarea#body, textarea[data-heading]")) {
      body = event.target;
    }
  });
  var result = form.querySelector("[data-upload-result]");

  function insert(text) {
    var start = body.selectionStart || 0;
    var end = body.selectionEnd || start;
    var before = body.value.slice(0, start);
    var after = body.value.slice(end);
    var block = (before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "") + text + "\n\n";
    body.value = before + block + after;
    body.focus();
    body.selectionStart = body.selectionEnd = before.length + block.length;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    result.textContent = "Uploading…";
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          result.textContent = "Not uploaded: " + answer.data.error.message;
          return;
        }
        insert(answer.data.markdown);
        result.textContent = "Uploaded " + answer.data.name + ": added at the cursor.";
        form.reset();
      })
      .catch(function () {
        result.textContent = "The upload failed. Check your connection and try again.";
      });
  });
}());
