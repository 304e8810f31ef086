package web

import (
	"fmt"
	"html/template"
	"time"

	"github.com/metlib/canvass/survey"
)

// codeTexts names the codes the working group's pages show (statuses,
// roles, sources, …) in each UI language, keyed "kind.code". It is a
// catalogue like uiText and errorTexts: English now; a translation of the
// admin pages adds "fr" and "es" maps with the same keys. Regions and
// library types are not here: survey.RegionLabels and
// survey.LibraryTypeLabels already name them in every language, and the
// respondents' pages use those too.
var codeTexts = map[string]map[string]string{
	"en": {
		"invitation_status.not_sent":  "Not sent",
		"invitation_status.sent":      "Sent",
		"invitation_status.opened":    "Opened",
		"invitation_status.started":   "Started",
		"invitation_status.submitted": "Submitted",
		"invitation_status.withdrawn": "Withdrawn",

		"role.admin":       "Administrator",
		"role.analyst":     "Analyst",
		"role.coordinator": "Regional coordinator",

		"survey_status.draft":  "Draft",
		"survey_status.open":   "Open",
		"survey_status.closed": "Closed",

		"response_status.draft":     "Draft (not submitted)",
		"response_status.submitted": "Submitted",

		"source.web":  "Web form",
		"source.api":  "API",
		"source.demo": "Demo data",

		"mail_kind.invitation": "Invitation",
		"mail_kind.reminder":   "Reminder",

		"import_action.create":    "New library",
		"import_action.merge":     "Merged into an existing library",
		"import_action.duplicate": "Duplicate in the file, left out",
		"import_action.reject":    "Rejected",

		"region.unknown":       "Not known",
		"library_type.unknown": "Not known",
	},
}

// codeKinds are the kinds of code codeTexts names; a test checks that each
// code of each kind has a label.
var codeKinds = map[string][]string{
	"invitation_status": {string(survey.InvitationNotSent), string(survey.InvitationSent), string(survey.InvitationOpened),
		string(survey.InvitationStarted), string(survey.InvitationSubmitted), "withdrawn"},
	"role":            {string(survey.RoleAdmin), string(survey.RoleAnalyst), string(survey.RoleCoordinator)},
	"survey_status":   {string(survey.StatusDraft), string(survey.StatusOpen), string(survey.StatusClosed)},
	"response_status": {string(survey.ResponseDraft), string(survey.ResponseSubmitted)},
	"source":          {"web", "api", "demo"},
	"mail_kind":       {string(survey.MailInvitation), string(survey.MailReminder)},
	"import_action":   {"create", "merge", "duplicate", "reject"},
}

// codeLabel names code, a value of kind, in lang: a region, a library type,
// a country (ISO 3166-1 code), a language (its code), or any kind of
// codeTexts. A code without a label is shown as it is, so a new status is
// never hidden; empty is empty.
func codeLabel(lang, kind string, code any) string {
	c := fmt.Sprint(code)
	if c == "" {
		return ""
	}
	switch kind {
	case "region":
		if l := survey.RegionLabels[survey.Region(c)]; l != nil {
			return l.In(lang, "en")
		}
	case "library_type":
		if l := survey.LibraryTypeLabels[survey.LibraryType(c)]; l != nil {
			return l.In(lang, "en")
		}
	case "country":
		if n := countryName(c, lang); n != "" {
			return n
		}
	case "language":
		return languageIn(lang, c)
	}
	key := kind + "." + c
	if t, ok := codeTexts[lang][key]; ok {
		return t
	}
	if t, ok := codeTexts["en"][key]; ok {
		return t
	}
	return c
}

// timeIn writes a moment for the reader: the date and time in lang, in UTC
// (the server cannot know the browser's zone), inside a <time> element whose
// datetime attribute carries the exact instant. data-local marks it as an
// instant: static/times.js rewrites it in the reader's own zone and keeps
// this UTC text as its tooltip; without JavaScript the UTC text stays.
// Nothing is "—".
func timeIn(lang string, t any) template.HTML {
	at, ok := timeOf(t)
	if !ok {
		return "—"
	}
	at = at.UTC()
	return template.HTML(`<time datetime="` + at.Format(time.RFC3339) + `" data-local>` +
		template.HTMLEscapeString(survey.FormatDateTime(lang, at)) + `</time>`)
}

// dayIn writes a value that was entered as a day, such as a survey's
// opening and closing dates (the admin form takes UTC days, stored as
// 00:00 UTC) or a consent dated by an import: the day in lang ("31 December
// 2026"), in a <time datetime="2026-12-31"> that times.js leaves alone, so
// no reader west of Greenwich sees it as the day before. A value at any
// other time of day (set through the API, or stamped when a box was
// ticked) is an instant, written as timeIn writes it.
func dayIn(lang string, t any) template.HTML {
	at, ok := timeOf(t)
	if !ok {
		return "—"
	}
	at = at.UTC()
	if !at.Equal(at.Truncate(24 * time.Hour)) { // Truncate counts days from 1 January of year 1, 00:00 UTC
		return timeIn(lang, at)
	}
	return template.HTML(`<time datetime="` + at.Format(time.DateOnly) + `">` +
		template.HTMLEscapeString(survey.FormatDate(lang, at)) + `</time>`)
}

// sentenceWith writes a catalogue sentence (plain text, escaped here) with
// HTML such as timeIn's <time> element in its %s verbs. printf would give
// a string, which html/template escapes: the page would show the tag.
func sentenceWith(format string, parts ...template.HTML) template.HTML {
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
	}
	return template.HTML(fmt.Sprintf(template.HTMLEscapeString(format), args...))
}

// timeOf reads a template's time value (a time.Time or a *time.Time); ok is
// false for nil and the zero time.
func timeOf(t any) (time.Time, bool) {
	var at time.Time
	switch v := t.(type) {
	case time.Time:
		at = v
	case *time.Time:
		if v != nil {
			at = *v
		}
	}
	return at, !at.IsZero()
}
