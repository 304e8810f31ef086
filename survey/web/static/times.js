// Canvass times in the reader's own zone. The server writes every instant
// in UTC, in the page's language, as <time datetime="…Z" data-local>
// (timeIn in lang_admin.go): correct without JavaScript, but in a zone the
// reader has to convert. This rewrites each one in the browser's zone,
// keeping the UTC text as its tooltip. Days (<time datetime="2026-12-31">,
// no data-local) are left alone: read as instants they would be midnight
// UTC, the day before for every reader west of Greenwich.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  // Canvass writes English dates day first on a 24-hour clock, as
  // survey/dates.go does ("1 Dec 2026, 08:57"): that is CLDR's en-GB.
  var locale = /^en\b/i.test(lang) ? "en-GB" : lang;
  var options = {day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
  var format;
  // The zone as an offset ("GMT-8", "UTC+5:30" in French): unambiguous
  // anywhere, unlike abbreviations (IST is India, Ireland or Israel).
  // Browsers from before 2021 lack shortOffset; they get "short".
  ["shortOffset", "short"].some(function (zoneName) {
    try {
      options.timeZoneName = zoneName;
      format = new Intl.DateTimeFormat(locale, options);
      return true;
    } catch (e) {
      return false;
    }
  });
  if (!format) return;
  var times = document.querySelectorAll("time[data-local][datetime]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i];
    var at = new Date(el.getAttribute("datetime"));
    if (isNaN(at.getTime())) continue;
    if (!el.title) el.title = el.textContent;
    el.textContent = format.format(at);
  }
})();
