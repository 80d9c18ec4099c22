/* objweb management interface: progressive enhancement only.
   Every form and link works without this file. With it: the site tree opens lazily,
   "select all" ticks a whole batch, code fields become CodeMirror editors (highlighting,
   indenting, search and the error at its line) or, without codemirror.js, get line numbers,
   uploads show their progress, and a kept login name is forgotten. */
(function () {
  "use strict";

  /* -- the site tree: branches load when opened ------------------------------------- */

  function setUpTree(root) {
    root.querySelectorAll(".tree-node:not([data-leaf]) > .tree-toggle").forEach(function (button) {
      button.hidden = false;
    });
  }

  function toggleBranch(button) {
    var node = button.parentElement;
    var open = button.getAttribute("aria-expanded") === "true";
    var branch = node.querySelector(":scope > .tree-children");
    if (open) {
      button.setAttribute("aria-expanded", "false");
      if (branch) { branch.hidden = true; }
      return;
    }
    button.setAttribute("aria-expanded", "true");
    if (node.dataset.loaded === "true") {
      if (branch) { branch.hidden = false; }
      return;
    }
    button.disabled = true;
    fetch(node.dataset.childrenUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var list = parsed.querySelector(".tree-children");
        if (branch) { branch.remove(); }
        if (list) {
          node.appendChild(document.importNode(list, true));
          setUpTree(node);
        }
        node.dataset.loaded = "true";
      })
      .catch(function () { button.setAttribute("aria-expanded", "false"); })
      .finally(function () { button.disabled = false; });
  }

  /* -- select all on the contents table --------------------------------------------- */

  function setUpSelection(form) {
    var all = form.querySelector(".select-all");
    if (!all) { return; }
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='names']"));
    var link = form.querySelector(".select-all-link");
    all.hidden = false;
    if (link) { link.hidden = true; }
    function refresh() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length && ticked > 0;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
      boxes.forEach(function (box) {
        box.closest("tr").classList.toggle("selected", box.checked);
      });
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
    boxes.forEach(function (box) { box.addEventListener("change", refresh); });
    refresh();
  }

  /* -- code editors: line numbers, and the error at its line ---------------------------- */

  function setUpEditor(editor) {
    var area = editor.querySelector("textarea");
    if (!area || editor.classList.contains("enhanced")) { return; }
    if (window.objwebCodeMirror && editor.dataset.language) {
      setUpCodeMirror(editor, area);
      return;
    }
    var gutter = document.createElement("pre");
    gutter.className = "gutter";
    gutter.setAttribute("aria-hidden", "true");
    editor.insertBefore(gutter, area);
    editor.classList.add("enhanced");
    var errorLine = parseInt(editor.dataset.errorLine || "0", 10);
    function number() {
      var count = area.value.split("\n").length;
      var lines = [];
      for (var index = 1; index <= count; index += 1) {
        lines.push(index === errorLine
          ? "<span class=\"error-at\" title=\"Error on this line\">" + index + "</span>"
          : "<span>" + index + "</span>");
      }
      gutter.innerHTML = lines.join("");
      gutter.scrollTop = area.scrollTop;
    }
    area.addEventListener("input", number);
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    number();
    if (errorLine > 0) {
      var field = editor.closest(".field");
      var message = field && field.querySelector(".field-error");
      var note = document.createElement("p");
      note.className = "editor-message";
      note.textContent = message ? message.textContent : "Error on line " + errorLine;
      editor.appendChild(note);
      // The editor shows the error at its line now; the plain-page copies step aside.
      if (field) { field.classList.add("error-in-editor"); }
      showLine(area, errorLine);
    }
  }

  function labelOf(area) {
    var label = document.querySelector("label[for='" + area.id + "']");
    return label ? label.textContent.replace("*", "").trim() : area.name;
  }

  function setUpCodeMirror(editor, area) {
    // The vendored CodeMirror (codemirror.js) replaces the text area, which it keeps
    // filled in, so the form posts exactly what it posts without scripts.
    var errorLine = parseInt(editor.dataset.errorLine || "0", 10);
    var field = editor.closest(".field");
    var message = field && field.querySelector(".field-error");
    var hint = document.createElement("p");
    hint.className = "editor-hint help";
    hint.id = area.id + "-keys";
    hint.textContent = "Tab indents and Shift+Tab outdents; press Esc, then Tab, to leave the " +
      "editor. Ctrl+F searches.";
    var described = [area.getAttribute("aria-describedby"), hint.id].filter(Boolean).join(" ");
    var view = window.objwebCodeMirror.createEditor(area, {
      language: editor.dataset.language, label: labelOf(area), describedBy: described,
      error: errorLine > 0 ? { line: errorLine, message: message ? message.textContent : "" } : null
    });
    editor.classList.add("enhanced", "codemirror");
    editor.appendChild(hint);
    editor.objwebEditor = view;
    var label = document.querySelector("label[for='" + area.id + "']");
    if (label) {
      // The label still names the field, and a click on it goes to the editor.
      label.addEventListener("click", function (event) { event.preventDefault(); view.focus(); });
    }
    if (errorLine > 0 && field) {
      // The message stays beside the field; the editor marks the line itself.
      field.classList.add("error-in-codemirror");
    }
  }

  function showLine(area, line) {
    var lines = area.value.split("\n");
    var offset = 0;
    for (var index = 0; index < line - 1 && index < lines.length; index += 1) {
      offset += lines[index].length + 1;
    }
    var height = parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 3) * height);
    area.setSelectionRange(offset, offset);
  }

  /* -- uploads: a progress bar while the file goes up --------------------------------- */

  function setUpUpload(form) {
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type='file']");
      if (!file || !file.files.length || !window.FormData) { return; }
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      var box = form.querySelector(".upload-progress");
      var bar = box && box.querySelector("progress");
      var percent = box && box.querySelector(".upload-percent");
      if (box) { box.hidden = false; }
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      var token = form.querySelector("input[name='csrf_token']");
      if (token) { request.setRequestHeader("X-CSRF-Token", token.value); }
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable || !bar) { return; }
        var done = Math.round(100 * progress.loaded / progress.total);
        bar.value = done;
        bar.textContent = done + "%";
        if (percent) { percent.textContent = done + "%"; }
      });
      request.addEventListener("load", function () { showAnswer(request); });
      request.addEventListener("error", function () { form.submit(); });
      request.send(data);
    });
  }

  function showAnswer(request) {
    // Show the page the server answered (the next page with its message, or the form
    // with its errors) as if the browser had submitted the form itself.
    var page = new DOMParser().parseFromString(request.responseText, "text/html");
    if (request.responseURL && request.responseURL !== window.location.href) {
      window.history.pushState(null, "", request.responseURL);
    }
    document.title = page.title;
    document.body.replaceWith(document.importNode(page.body, true));
    start(document);
  }

  /* -- start ---------------------------------------------------------------------------- */

  function setUpSkipLink(root) {
    // Browsers scroll to the target of a skip link but do not all move the focus there.
    var link = root.querySelector(".skip-link");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView();
    });
  }

  function start(root) {
    setUpSkipLink(root);
    var tree = root.querySelector(".tree");
    if (tree) {
      setUpTree(tree);
      tree.addEventListener("click", function (event) {
        var button = event.target.closest(".tree-toggle");
        if (button) { toggleBranch(button); }
      });
    }
    var contents = root.querySelector("#contents-form");
    if (contents) { setUpSelection(contents); }
    root.querySelectorAll(".editor").forEach(setUpEditor);
    root.querySelectorAll("form[data-upload='true']").forEach(setUpUpload);
  }

  function forgetLoginName() {
    // A screen shows only once the login succeeded: the name the login page kept in
    // this tab for a refused login (objweb/views/static/login.js) is not needed any more.
    try {
      window.sessionStorage.removeItem("objweb.login.name");
    } catch (error) {
      // Storage switched off: the login page kept nothing either.
    }
  }

  forgetLoginName();
  window.addEventListener("popstate", function () { window.location.reload(); });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
}());
