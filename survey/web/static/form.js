// Canvass respondent form: progressive enhancement only. The server applies
// show_if and checks every answer itself; without JavaScript the form works
// the same, showing every question.
(function () {
  "use strict";
  // The thank-you page: the server has the answers, so the browser's copy
  // of the form just sent goes (the form named it on submitting).
  var stored = document.querySelector("[data-clear-draft]");
  if (stored) {
    try {
      var slug = stored.getAttribute("data-clear-draft");
      var sent = sessionStorage.getItem("canvass:sent:" + slug);
      if (sent) localStorage.removeItem(sent);
      sessionStorage.removeItem("canvass:sent:" + slug);
      localStorage.removeItem("canvass:" + slug);
    } catch (e) { /* storage off */ }
  }
  var form = document.querySelector("form.survey");
  if (!form) return;

  // The answer to question id, in the shapes the server's conditions test:
  // a string, a list of strings, or "" when unanswered.
  function answer(id) {
    var fields = form.querySelectorAll('[name="' + id + '"]');
    var values = [];
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.disabled) continue;
      if (f.type === "checkbox") { if (f.checked) values.push(f.value); }
      else if (f.type === "radio") { if (f.checked) return f.value; }
      else return f.value.trim();
    }
    return values;
  }

  // A typed number as the server reads it in the page's language
  // (survey.ParseNumber): "2.500" is 2500 in Spanish and French, 2.5 in
  // English. Grouping is not checked here; the server does that.
  var pageLang = document.documentElement.lang;
  var decimalComma = /^(fr|es)/.test(pageLang);
  function typedNumber(value) {
    var v = value.replace(/[\s\u00a0\u202f\u2009]/g, "").replace(/^\u2212/, "-");
    v = decimalComma ? v.replace(/\./g, "").replace(",", ".") : v.replace(/,/g, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(v) ? parseFloat(v) : NaN;
  }

  // numeric: the question is a number question, whose answer the server
  // compares as a number; any other answer is compared as text.
  function matches(value, code, numeric) {
    if (Array.isArray(value)) return value.indexOf(code) >= 0;
    if (value === "") return false;
    if (value === code) return true;
    if (!numeric) return false;
    var a = typedNumber(value), b = parseFloat(code);
    return !isNaN(a) && !isNaN(b) && a === b;
  }

  function holds(c) {
    if (!c) return true;
    if (c.all) return c.all.every(holds);
    if (c.any) return c.any.some(holds);
    if (c.not) return !holds(c.not);
    var want = c.any_of || [c.equals];
    var value = answer(c.question);
    var numeric = !!form.querySelector('input[inputmode=decimal][name="' + c.question + '"]');
    return want.some(function (w) { return matches(value, String(w), numeric); });
  }

  // Apply every show_if in document order: conditions only look at earlier
  // questions, so one pass settles them. Hidden inputs are disabled, so they
  // are neither posted nor tested by later conditions, as on the server.
  function apply() {
    var nodes = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var parentHidden = node.parentElement.closest("[data-hidden-by-rule]");
      var show = !parentHidden && holds(JSON.parse(node.getAttribute("data-show-if")));
      node.hidden = !show;
      if (show) node.removeAttribute("data-hidden-by-rule"); else node.setAttribute("data-hidden-by-rule", "");
      var inputs = node.querySelectorAll("input, select, textarea");
      for (var j = 0; j < inputs.length; j++) {
        var hiddenAbove = inputs[j].closest("[data-hidden-by-rule]");
        inputs[j].disabled = !!hiddenAbove;
      }
    }
  }

  // A matrix whose rows are all hidden is hidden itself; a "please specify"
  // box shows only while its option is chosen.
  function tidy() {
    var matrices = form.querySelectorAll(".q-matrix");
    for (var i = 0; i < matrices.length; i++) {
      var rows = matrices[i].querySelectorAll("tr[data-row]");
      var shown = 0;
      for (var r = 0; r < rows.length; r++) if (!rows[r].hidden) shown++;
      if (!matrices[i].hasAttribute("data-hidden-by-rule")) matrices[i].hidden = shown === 0;
    }
    var others = form.querySelectorAll(".other");
    for (var k = 0; k < others.length; k++) {
      var choice = others[k].parentElement.querySelector("input[type=radio], input[type=checkbox]");
      var text = others[k].querySelector("input");
      others[k].hidden = !(choice && choice.checked) && !(text && text.value);
    }
  }

  // Suggest the IFLA region from the country. A suggestion the respondent
  // has not touched follows the country (Egypt, then Mexico: Latin America,
  // not the Middle East); a region they chose themselves stays. A region
  // already ticked when the page opens (a draft, a form sent back with an
  // error) counts as their choice unless it is the one their country
  // suggests.
  function countryRegion(select) {
    var opt = select.options[select.selectedIndex];
    return (opt && opt.getAttribute("data-region")) || "";
  }
  function regionRadios() { return form.querySelectorAll('input[type=radio][name="region"]'); }
  function checkedRegion() {
    var radios = regionRadios();
    for (var i = 0; i < radios.length; i++) if (radios[i].checked) return radios[i].value;
    return "";
  }
  var regionChosen = false; // settled once restore() has run, below
  function suggestRegion(select) {
    if (regionChosen) return;
    var region = countryRegion(select);
    var radios = regionRadios();
    for (var k = 0; k < radios.length; k++) radios[k].checked = region !== "" && radios[k].value === region;
  }

  // An exclusive option ("none") clears the others, and the others clear it.
  function exclusive(box) {
    if (!box.checked) return;
    var group = form.querySelectorAll('input[type=checkbox][name="' + box.name + '"]');
    var isExclusive = box.hasAttribute("data-exclusive");
    for (var i = 0; i < group.length; i++) {
      if (group[i] !== box && (isExclusive || group[i].hasAttribute("data-exclusive"))) group[i].checked = false;
    }
  }

  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("select[data-country]")) suggestRegion(t);
    // Only the respondent's own clicks fire change; a suggestion set by
    // suggestRegion does not, so this marks their choice alone.
    if (t.type === "radio" && t.name === "region") regionChosen = true;
    if (t.type === "checkbox") exclusive(t);
    apply();
    tidy();
  });
  form.addEventListener("input", function (e) {
    if (e.target.matches("input[type=text], textarea")) apply();
  });
  // A safety net for unsent answers: kept in this browser (localStorage)
  // as they are typed, restored after a reload or a lost connection, and
  // cleared once the server has confirmed. There is one copy per personal
  // link and one for the open form (data-draft-key), so the open form never
  // takes up a library's answers. The open form's copy keeps its submission
  // id too: if the earlier post did arrive, sending again cannot store a
  // second response. A personal link's response is named by its token, so
  // its form restores no id; and no id of an invited response ("inv-", from
  // before the copies were kept apart) is ever put back.
  var survey = form.getAttribute("data-survey");
  var draftKey = "canvass:" + survey + ":" + (form.getAttribute("data-draft-key") || "open");
  var personal = !!form.querySelector("input[name=t]");
  var idField = form.querySelector("input[name=submission_id]");
  try { localStorage.removeItem("canvass:" + survey); } catch (e) { /* storage off */ }

  // One click, one post; the submission id makes a second post harmless
  // anyway. Sending (not saving) names this copy for the thank-you page.
  form.addEventListener("submit", function (e) {
    var b = form.querySelector("button[type=submit]");
    if (b) setTimeout(function () { b.disabled = true; }, 0);
    if (!e.submitter || e.submitter.value !== "save") {
      try { sessionStorage.setItem("canvass:sent:" + survey, draftKey); } catch (err) { /* storage off */ }
    }
  });

  function save() {
    var values = [];
    var fields = form.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      // Hidden fields (the CSRF token, the id, the language, the link's
      // token) are the server's, not answers.
      if (!f.name || f.type === "hidden" || f.disabled) continue;
      if ((f.type === "checkbox" || f.type === "radio") && !f.checked) continue;
      if (f.value === "") continue;
      values.push([f.name, f.value]);
    }
    try {
      // Nothing typed, nothing kept: an untouched form leaves no copy behind.
      if (!values.length) localStorage.removeItem(draftKey);
      else localStorage.setItem(draftKey, JSON.stringify({id: idField.value, lang: pageLang, values: values, saved: Date.now()}));
    } catch (e) { /* storage full or off: the server still has the form */ }
  }
  // A number typed in one language, written for another: "1.500" typed
  // in Spanish is 1500, which English reads from "1500", not from "1.500"
  // (1.5). The text is read as survey.readNumber reads it with from's
  // decimal mark (one kind of grouping, groups of three) and written
  // ungrouped with to's mark, digit for digit, so nothing is rounded. A
  // text that is no number in from's convention is left as typed, for the
  // server to question.
  function markOf(lang) { return /^(fr|es)/.test(lang || "") ? "," : "."; }
  function rewriteNumber(text, from, to) {
    var mark = markOf(from), toMark = markOf(to);
    if (mark === toMark) return text;
    var s = text.trim(), sign = "";
    var m = /^([-+\u2212]?)(.*)$/.exec(s);
    if (m[1] === "-" || m[1] === "\u2212") sign = "-";
    var parts = m[2].split(/([.,\u0020\u00a0\u202f\u2009])/);
    var runs = [], seps = [];
    for (var i = 0; i < parts.length; i++) (i % 2 ? seps : runs).push(parts[i]);
    for (var r = 0; r < runs.length; r++) {
      if (!/^\d*$/.test(runs[r])) return text;
      if (runs[r] === "" && !(r === 0 && seps.length === 1 && seps[0] === mark)) return text;
    }
    var intRuns = runs, frac = "";
    if (seps.length && seps[seps.length - 1] === mark) {
      intRuns = runs.slice(0, seps.length);
      frac = runs[seps.length];
      seps = seps.slice(0, -1);
    }
    if (seps.length) {
      var space = seps[0] !== "." && seps[0] !== ",";
      for (var k = 0; k < seps.length; k++) {
        var isSpace = seps[k] !== "." && seps[k] !== ",";
        if (seps[k] === mark || isSpace !== space || (!space && seps[k] !== seps[0])) return text;
      }
      if (intRuns[0].length > 3 || intRuns[0].charAt(0) === "0") return text;
      for (var g = 1; g < intRuns.length; g++) if (intRuns[g].length !== 3) return text;
    }
    return sign + (intRuns.join("") || "0") + (frac ? toMark + frac : "");
  }

  function restore() {
    var draft;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { return; }
    if (!draft || !draft.values || !draft.values.length) return;
    // Only into an untouched form: a form the server sent back has the
    // answers already. A personal link's form opening with its stored
    // answers (a notice says so) takes the copy only when the copy is
    // newer: an edit made after submitting, not sent, survives a language
    // switch; answers changed since on another device are not undone.
    if (document.getElementById("error-summary")) return;
    var storedAt = Number(form.getAttribute("data-stored-at") || "0");
    if (document.getElementById("notice") && !(storedAt && draft.saved > storedAt)) return;
    for (var i = 0; i < draft.values.length; i++) {
      var name = draft.values[i][0], value = draft.values[i][1];
      var fields = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
      for (var j = 0; j < fields.length; j++) {
        var f = fields[j];
        if (f.type === "checkbox" || f.type === "radio") { if (f.value === value) f.checked = true; }
        else if (draft.lang && f.getAttribute("inputmode") === "decimal") f.value = rewriteNumber(value, draft.lang, pageLang);
        else f.value = value;
      }
    }
    if (draft.id && !personal && !/^inv-/i.test(draft.id)) idField.value = draft.id;
    var notice = document.createElement("div");
    notice.className = "notice";
    notice.id = "restored";
    notice.setAttribute("role", "status");
    notice.textContent = form.getAttribute("data-restored") || "Answers you had not sent yet were restored.";
    form.parentNode.insertBefore(notice, form);
  }
  restore();
  var countrySelect = form.querySelector("select[data-country]");
  regionChosen = !!countrySelect && checkedRegion() !== "" && checkedRegion() !== countryRegion(countrySelect);
  save();
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  apply();
  tidy();
  var summary = document.getElementById("error-summary") || document.getElementById("notice");
  if (summary) summary.focus();
})();
