// Canvass live response counts for a host page. Put
//   <div data-canvass-survey="landscape" data-lang="fr" data-breakdown="region"></div>
//   <script src="https://survey.example.org/embed/landscape/widget.js" async></script>
// on the page; each such element shows the survey's counts, drawn in a
// Shadow DOM so the host's styles neither reach in nor leak out. The only
// global is window.Canvass. If the service cannot be reached, the element
// says so quietly and the host page is otherwise untouched.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var ns = (window.Canvass = window.Canvass || {});
  if (ns.render) { ns.scan(); return; }

  var text = {
    en: { responses: "responses", unavailable: "Response counts are unavailable just now.", countries: " countries" },
    fr: { responses: "réponses", unavailable: "Les chiffres de réponse sont indisponibles pour le moment.", countries: " pays" },
    es: { responses: "respuestas", unavailable: "Los recuentos de respuestas no están disponibles ahora.", countries: " países" }
  };
  var css = ":host{all:initial;display:block;font:14px/1.4 system-ui,sans-serif;color:#1b1f24}" +
    ".total{font-size:1.6em;font-weight:700;margin:0}.note{color:#555d66;margin:.2em 0 .6em}" +
    "dl{margin:0}dt{margin-top:.35em}dd{margin:0;display:flex;align-items:center;gap:.5em}" +
    ".bar{display:inline-block;height:.8em;background:#0b5cad;border-radius:2px;min-width:2px}";

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content != null) e.textContent = content;
    return e;
  }
  // style applies rules to a shadow root. A constructed stylesheet passes
  // host pages whose CSP forbids inline <style>; older browsers get the element.
  function style(root, rules) {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function" && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(rules);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el("style", null, rules));
    }
  }
  // shown is a count as drawn: a withheld one (null: under the survey's
  // threshold, or hidden so that a small one cannot be worked out) is "x",
  // the same mark for both, explained by the note counts.json carries.
  function shown(c) { return c.count == null ? "x" : String(c.count); }

  ns.render = function (host) {
    var slug = host.getAttribute("data-canvass-survey");
    if (!slug || host.getAttribute("data-canvass-done")) return;
    host.setAttribute("data-canvass-done", "1");
    var lang = host.getAttribute("data-lang") || document.documentElement.lang || "en";
    var t = text[lang.slice(0, 2)] || text.en;
    var breakdown = host.getAttribute("data-breakdown") || "";
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    style(root, css);
    var box = el("div", "canvass");
    box.setAttribute("aria-live", "polite");
    root.appendChild(box);
    var url = base + "/embed/" + encodeURIComponent(slug) + "/counts.json?lang=" + encodeURIComponent(lang);
    fetch(url, { mode: "cors", credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) {
        var hidden = d.total.count == null;
        box.appendChild(el("p", "total", shown(d.total) + " " + d.total.label));
        if (d.countries != null) box.appendChild(el("p", "note", d.countries + t.countries));
        var rows = breakdown === "region" ? d.by_region : breakdown === "type" ? d.by_type : [];
        var max = 1;
        rows.forEach(function (c) { if (c.count > max) max = c.count; });
        if (rows.length) {
          var dl = el("dl");
          rows.forEach(function (c) {
            if (c.count === 0) return;
            if (c.count == null) hidden = true;
            dl.appendChild(el("dt", null, c.label));
            var dd = el("dd");
            // A withheld count draws no bar: a short one would say "small".
            if (c.count != null) {
              var bar = el("span", "bar");
              bar.style.width = Math.round(100 * c.count / max) + "%";
              dd.appendChild(bar);
            }
            dd.appendChild(el("span", "count", shown(c)));
            dl.appendChild(dd);
          });
          box.appendChild(dl);
        }
        if (hidden && d.note) box.appendChild(el("p", "note", d.note));
        host.setAttribute("data-canvass-total", d.total.count == null ? "" : String(d.total.count));
      })
      .catch(function () { box.appendChild(el("p", "note", t.unavailable)); });
  };
  // renderLibraries lists the member libraries that opted in to a public
  // profile: <div data-canvass-libraries data-region="europe"></div>.
  ns.renderLibraries = function (host) {
    if (host.getAttribute("data-canvass-done")) return;
    host.setAttribute("data-canvass-done", "1");
    var lang = host.getAttribute("data-lang") || document.documentElement.lang || "en";
    var t = text[lang.slice(0, 2)] || text.en;
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    style(root, css + "ul{list-style:none;margin:0;padding:0}li{padding:.3em 0;border-bottom:1px solid #e3e6ea}a{color:#0b5cad}.meta{color:#555d66}");
    var list = el("ul", "libraries");
    root.appendChild(list);
    var query = "?lang=" + encodeURIComponent(lang);
    ["region", "country", "type"].forEach(function (k) {
      var v = host.getAttribute("data-" + k);
      if (v) query += "&" + k + "=" + encodeURIComponent(v);
    });
    fetch(base + "/embed/libraries.json" + query, { mode: "cors", credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) {
        d.libraries.forEach(function (l) {
          var li = el("li");
          var name = l.website && /^https?:\/\//.test(l.website) ? el("a", null, l.name) : el("span", null, l.name);
          if (name.tagName === "A") { name.href = l.website; name.rel = "noopener"; }
          li.appendChild(name);
          li.appendChild(el("div", "meta", [l.city, l.country].filter(Boolean).join(", ")));
          list.appendChild(li);
        });
      })
      .catch(function () { root.appendChild(el("p", "note", t.unavailable)); });
  };
  ns.scan = function () {
    var hosts = document.querySelectorAll("[data-canvass-survey]");
    for (var i = 0; i < hosts.length; i++) ns.render(hosts[i]);
    var libs = document.querySelectorAll("[data-canvass-libraries]");
    for (var j = 0; j < libs.length; j++) ns.renderLibraries(libs[j]);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ns.scan);
  else ns.scan();
})();
