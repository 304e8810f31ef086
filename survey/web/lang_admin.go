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
// (a browser's zone is unknown to the server, and UTC is the one zone the
// whole working group shares), inside a <time> element whose datetime
// attribute carries the exact instant. Nothing is "—".
func timeIn(lang string, t any) template.HTML {
	var at time.Time
	switch v := t.(type) {
	case time.Time:
		at = v
	case *time.Time:
		if v != nil {
			at = *v
		}
	}
	if at.IsZero() {
		return "—"
	}
	at = at.UTC()
	return template.HTML(`<time datetime="` + at.Format(time.RFC3339) + `">` +
		template.HTMLEscapeString(survey.FormatDateTime(lang, at)) + `</time>`)
}
