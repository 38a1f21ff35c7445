// hotline-triage review UI: keyboard shortcuts, and nothing else.
//
// This is the UI's only script, served from /static under "script-src 'self'" (no inline
// script is allowed, so crawled text could not run even if escaping failed). It reads no page
// content: it only finds our own links, buttons and checkboxes by id or class and clicks them,
// so every action is the same GET link or POST form (with its CSRF token) as without it.
(function () {
  "use strict";

  var LABEL_KEYS = { s: "spam", n: "not_spam", o: "official" };

  // Shortcuts are off while the reviewer types (reviewer name, note, filters).
  function typing(target) {
    if (!target || !target.tagName) { return false; }
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)) { return true; }
    return target.tagName === "INPUT" &&
      !/^(checkbox|radio|submit|button|reset)$/.test(target.type);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link && link.href) { window.location.assign(link.href); return true; }
    return false;
  }

  function press(form, label) {
    var button = form && form.querySelector('button[name="label"][value="' + label + '"]');
    if (button) { button.click(); return true; }
    return false;
  }

  function toggleHelp() {
    var help = document.getElementById("keys");
    if (help) { help.open = !help.open; }
    return Boolean(help);
  }

  // The page view: label and next, j/k along the queue, u back to it.
  function pageKey(key, form) {
    if (LABEL_KEYS[key]) { return press(form, LABEL_KEYS[key]); }
    if (key === "j") { return follow("next-page"); }
    if (key === "k") { return follow("prev-page"); }
    if (key === "u") { return follow("to-queue"); }
    return false;
  }

  // The queue: a selected row moved by j/k, ticked by x, opened by Enter; s/n/o bulk-label.
  var cursor = -1;

  function rows() { return document.querySelectorAll("#bulk tr.row"); }

  function select(index) {
    var all = rows();
    if (!all.length) { return false; }
    index = Math.max(0, Math.min(all.length - 1, index));
    if (cursor >= 0 && all[cursor]) { all[cursor].classList.remove("cursor"); }
    cursor = index;
    all[cursor].classList.add("cursor");
    all[cursor].scrollIntoView({ block: "nearest" });
    return true;
  }

  function current() { var all = rows(); return cursor >= 0 ? all[cursor] : null; }

  function queueKey(key, form) {
    var row = current();
    if (key === "j") { return select(cursor + 1); }
    if (key === "k") { return select(cursor < 0 ? 0 : cursor - 1); }
    if (key === "x" && row) {
      var box = row.querySelector("input.pick");
      box.checked = !box.checked;
      return true;
    }
    if (key === "Enter" && row && !/^(A|BUTTON|INPUT)$/.test(document.activeElement.tagName)) {
      window.location.assign(row.querySelector("a.page-link").href);
      return true;
    }
    if (LABEL_KEYS[key]) {
      if (!form.querySelector("input.pick:checked")) {
        if (!row) { return false; }
        row.querySelector("input.pick").checked = true;  // nothing ticked: the selected row
      }
      return press(form, LABEL_KEYS[key]);
    }
    return false;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var pageForm = document.getElementById("label-page");
    var bulkForm = document.getElementById("bulk");
    var done = false;
    if (event.key === "?") {
      done = toggleHelp();
    } else if (pageForm) {
      done = pageKey(event.key, pageForm);
    } else if (bulkForm) {
      done = queueKey(event.key, bulkForm);
    }
    if (done) { event.preventDefault(); }
  }

  function tickAll() {
    var all = document.getElementById("pick-all");
    if (!all) { return; }
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll("#bulk input.pick");
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = all.checked; }
    });
  }

  document.addEventListener("keydown", onKey);
  tickAll();
  document.documentElement.classList.add("keys-on");
}());
