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

		"mail_kind.invitation":   "Invitation",
		"mail_kind.reminder":     "Reminder",
		"mail_kind.report_ready": "Report ready",

		"import_action.create":    "New library",
		"import_action.merge":     "Merged into an existing library",
		"import_action.duplicate": "Duplicate in the file, left out",
		"import_action.reject":    "Rejected",

		"region.unknown":       "Not known",
		"library_type.unknown": "Not known",

		"audit_action.contact.erase":                "Contact erased",
		"audit_action.contact.export":               "Contact's data exported",
		"audit_action.demo.add":                     "Demo data added",
		"audit_action.demo.remove":                  "Demo data removed",
		"audit_action.invitation.bounce":            "Invitation bounced",
		"audit_action.invitation.create":            "Libraries invited",
		"audit_action.invitation.legal_basis":       "Invited on a legal basis",
		"audit_action.invitation.mailmerge":         "Mail-merge file downloaded",
		"audit_action.invitation.new_links":         "New links made",
		"audit_action.invitation.revoke":            "Invitation withdrawn",
		"audit_action.invitation.send":              "Invitations emailed",
		"audit_action.library.create":               "Library added",
		"audit_action.library.delete":               "Library deleted",
		"audit_action.library.export":               "Directory exported",
		"audit_action.library.import":               "Directory file imported",
		"audit_action.library.merge":                "Libraries merged",
		"audit_action.library.update":               "Library edited",
		"audit_action.library.update_from_response": "Library updated from a response",
		"audit_action.mail_template.save":           "Email text saved",
		"audit_action.response.delete":              "Response deleted",
		"audit_action.responses.export":             "Responses downloaded",
		"audit_action.series.export":                "Waves of a series downloaded",
		"audit_action.responses.import":             "Responses imported",
		"audit_action.results.publish":              "Results published",
		"audit_action.results.unpublish":            "Results withdrawn",
		"audit_action.results.refresh":              "Public figures retaken",
		"audit_action.reports.release":              "Benchmark reports released",
		"audit_action.reports.withdraw":             "Benchmark reports withdrawn",
		"audit_action.reports.send":                 "Report emails sent",
		"audit_action.reports.mailmerge":            "Report mail-merge file downloaded",
		"audit_action.survey.create":                "Survey created",
		"audit_action.survey.dates":                 "Survey dates changed",
		"audit_action.survey.status":                "Survey opened or closed",
		"audit_action.survey.update":                "New survey version",
		"audit_action.survey.wave":                  "New wave of a series",
		"audit_action.survey.import_round":          "Old round imported as a wave",
		"audit_action.token.create":                 "API token created",
		"audit_action.token.revoke":                 "API token revoked",
		"audit_action.user.create":                  "Account created",
		"audit_action.user.login":                   "Signed in",
		"audit_action.user.login_blocked":           "Sign-in blocked (too many attempts)",
		"audit_action.user.login_failed":            "Sign-in failed",
		"audit_action.user.logout":                  "Signed out",
		"audit_action.user.password_change":         "Password changed",
		"audit_action.user.password_set":            "Password set through a link",
		"audit_action.user.reset_link":              "Password link issued",
		"audit_action.user.update":                  "Account changed",
	},
	// The audit log's actions are named in the three languages of the
	// respondents' pages already, so the log reads the same once the
	// admin pages are translated; other kinds fall back to English.
	"fr": {
		"audit_action.contact.erase":                "Contact effacé",
		"audit_action.contact.export":               "Données d'un contact exportées",
		"audit_action.demo.add":                     "Données de démonstration ajoutées",
		"audit_action.demo.remove":                  "Données de démonstration supprimées",
		"audit_action.invitation.bounce":            "Invitation revenue en erreur",
		"audit_action.invitation.create":            "Bibliothèques invitées",
		"audit_action.invitation.legal_basis":       "Invitation sur une base légale",
		"audit_action.invitation.mailmerge":         "Fichier de publipostage téléchargé",
		"audit_action.invitation.new_links":         "Nouveaux liens créés",
		"audit_action.invitation.revoke":            "Invitation retirée",
		"audit_action.invitation.send":              "Invitations envoyées par courriel",
		"audit_action.library.create":               "Bibliothèque ajoutée",
		"audit_action.library.delete":               "Bibliothèque supprimée",
		"audit_action.library.export":               "Annuaire exporté",
		"audit_action.library.import":               "Fichier d'annuaire importé",
		"audit_action.library.merge":                "Bibliothèques fusionnées",
		"audit_action.library.update":               "Bibliothèque modifiée",
		"audit_action.library.update_from_response": "Bibliothèque mise à jour d'après une réponse",
		"audit_action.mail_template.save":           "Texte du courriel enregistré",
		"audit_action.response.delete":              "Réponse supprimée",
		"audit_action.responses.export":             "Réponses téléchargées",
		"audit_action.series.export":                "Vagues d'une série téléchargées",
		"audit_action.responses.import":             "Réponses importées",
		"audit_action.results.publish":              "Résultats publiés",
		"audit_action.results.unpublish":            "Résultats retirés",
		"audit_action.results.refresh":              "Chiffres publics recalculés",
		"audit_action.reports.release":              "Rapports comparatifs publiés",
		"audit_action.reports.withdraw":             "Rapports comparatifs retirés",
		"audit_action.reports.send":                 "Courriels des rapports envoyés",
		"audit_action.reports.mailmerge":            "Fichier de publipostage des rapports téléchargé",
		"audit_action.survey.create":                "Enquête créée",
		"audit_action.survey.dates":                 "Dates de l'enquête modifiées",
		"audit_action.survey.status":                "Enquête ouverte ou fermée",
		"audit_action.survey.update":                "Nouvelle version de l'enquête",
		"audit_action.survey.wave":                  "Nouvelle vague d'une série",
		"audit_action.survey.import_round":          "Ancienne vague importée",
		"audit_action.token.create":                 "Jeton d'API créé",
		"audit_action.token.revoke":                 "Jeton d'API révoqué",
		"audit_action.user.create":                  "Compte créé",
		"audit_action.user.login":                   "Connexion",
		"audit_action.user.login_blocked":           "Connexion bloquée (trop de tentatives)",
		"audit_action.user.login_failed":            "Échec de connexion",
		"audit_action.user.logout":                  "Déconnexion",
		"audit_action.user.password_change":         "Mot de passe changé",
		"audit_action.user.password_set":            "Mot de passe défini par un lien",
		"audit_action.user.reset_link":              "Lien de mot de passe émis",
		"audit_action.user.update":                  "Compte modifié",
	},
	"es": {
		"audit_action.contact.erase":                "Contacto borrado",
		"audit_action.contact.export":               "Datos de un contacto exportados",
		"audit_action.demo.add":                     "Datos de demostración añadidos",
		"audit_action.demo.remove":                  "Datos de demostración eliminados",
		"audit_action.invitation.bounce":            "Invitación rebotada",
		"audit_action.invitation.create":            "Bibliotecas invitadas",
		"audit_action.invitation.legal_basis":       "Invitación con base jurídica",
		"audit_action.invitation.mailmerge":         "Archivo de combinación de correspondencia descargado",
		"audit_action.invitation.new_links":         "Enlaces nuevos creados",
		"audit_action.invitation.revoke":            "Invitación retirada",
		"audit_action.invitation.send":              "Invitaciones enviadas por correo",
		"audit_action.library.create":               "Biblioteca añadida",
		"audit_action.library.delete":               "Biblioteca eliminada",
		"audit_action.library.export":               "Directorio exportado",
		"audit_action.library.import":               "Archivo de directorio importado",
		"audit_action.library.merge":                "Bibliotecas fusionadas",
		"audit_action.library.update":               "Biblioteca modificada",
		"audit_action.library.update_from_response": "Biblioteca actualizada a partir de una respuesta",
		"audit_action.mail_template.save":           "Texto del correo guardado",
		"audit_action.response.delete":              "Respuesta eliminada",
		"audit_action.responses.export":             "Respuestas descargadas",
		"audit_action.series.export":                "Oleadas de una serie descargadas",
		"audit_action.responses.import":             "Respuestas importadas",
		"audit_action.results.publish":              "Resultados publicados",
		"audit_action.results.unpublish":            "Resultados retirados",
		"audit_action.results.refresh":              "Cifras públicas recalculadas",
		"audit_action.reports.release":              "Informes comparativos publicados",
		"audit_action.reports.withdraw":             "Informes comparativos retirados",
		"audit_action.reports.send":                 "Correos de los informes enviados",
		"audit_action.reports.mailmerge":            "Archivo de combinación de los informes descargado",
		"audit_action.survey.create":                "Encuesta creada",
		"audit_action.survey.dates":                 "Fechas de la encuesta modificadas",
		"audit_action.survey.status":                "Encuesta abierta o cerrada",
		"audit_action.survey.update":                "Nueva versión de la encuesta",
		"audit_action.survey.wave":                  "Nueva oleada de una serie",
		"audit_action.survey.import_round":          "Oleada anterior importada",
		"audit_action.token.create":                 "Token de API creado",
		"audit_action.token.revoke":                 "Token de API revocado",
		"audit_action.user.create":                  "Cuenta creada",
		"audit_action.user.login":                   "Inicio de sesión",
		"audit_action.user.login_blocked":           "Inicio de sesión bloqueado (demasiados intentos)",
		"audit_action.user.login_failed":            "Inicio de sesión fallido",
		"audit_action.user.logout":                  "Cierre de sesión",
		"audit_action.user.password_change":         "Contraseña cambiada",
		"audit_action.user.password_set":            "Contraseña definida mediante un enlace",
		"audit_action.user.reset_link":              "Enlace de contraseña emitido",
		"audit_action.user.update":                  "Cuenta modificada",
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
	"mail_kind":       {string(survey.MailInvitation), string(survey.MailReminder), string(survey.MailReportReady)},
	"import_action":   {"create", "merge", "duplicate", "reject"},
	"audit_action":    auditActions,
}

// auditActions are the actions the audit log records (campaign's and the
// sign-in's), in the order the audit page's filter offers them; a test
// reads the sources for every action audited and finds it here.
var auditActions = []string{
	"contact.erase", "contact.export", "demo.add", "demo.remove",
	"invitation.create", "invitation.legal_basis", "invitation.send", "invitation.mailmerge", "invitation.new_links",
	"invitation.revoke", "invitation.bounce",
	"library.create", "library.update", "library.update_from_response", "library.merge", "library.delete",
	"library.import", "library.export", "mail_template.save",
	"responses.export", "responses.import", "response.delete", "results.publish", "results.unpublish", "results.refresh",
	"reports.release", "reports.withdraw", "reports.send", "reports.mailmerge",
	"series.export",
	"survey.create", "survey.update", "survey.status", "survey.dates", "survey.wave", "survey.import_round",
	"token.create", "token.revoke",
	"user.create", "user.update", "user.reset_link", "user.password_set", "user.password_change",
	"user.login", "user.login_failed", "user.login_blocked", "user.logout",
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
