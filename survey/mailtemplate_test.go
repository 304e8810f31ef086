package survey_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/metlib/canvass/survey"
)

// goSyntaxDefaults are the built-in texts as they were before merge fields
// (Go templates): what working groups copied and edited, and stored.
var goSyntaxDefaults = map[string]map[survey.MailKind]survey.MailTemplate{
	"en": {
		survey.MailInvitation: {Subject: "{{.Survey}}: an invitation to {{.Library}}", Body: `Dear {{if .Name}}{{.Name}}{{else}}colleague{{end}},

The Metropolitan Libraries Section invites {{.Library}} to take part in "{{.Survey}}".
Your answers help build a picture of how public and metropolitan libraries work and
measure their impact; the findings will be published on the section's webpage.

This link is personal to your library. You can save your answers and come back later:
{{.Link}}
{{if .Closes}}
The survey closes on {{.Closes}}.{{end}}

With thanks,
The Metropolitan Libraries Section
`},
		survey.MailReminder: {Subject: "Reminder: {{.Survey}}", Body: `Dear {{if .Name}}{{.Name}}{{else}}colleague{{end}},

We have not yet received the answers of {{.Library}} to "{{.Survey}}".
Your library's personal link, where any answers you saved are waiting:
{{.Link}}
{{if .Closes}}
The survey closes on {{.Closes}}.{{end}}

With thanks,
The Metropolitan Libraries Section
`},
	},
	"fr": {
		survey.MailInvitation: {Subject: "{{.Survey}} : invitation pour {{.Library}}", Body: `{{if .Name}}Madame, Monsieur {{.Name}}{{else}}Madame, Monsieur{{end}},

La Section des bibliothèques métropolitaines invite {{.Library}} à participer à « {{.Survey}} ».
Vos réponses aideront à comprendre comment les bibliothèques publiques et métropolitaines
travaillent et mesurent leur impact ; les résultats seront publiés sur la page de la section.

Ce lien est propre à votre bibliothèque. Vous pouvez enregistrer vos réponses et revenir plus tard :
{{.Link}}
{{if .Closes}}
L'enquête se termine le {{.Closes}}.{{end}}

Avec nos remerciements,
La Section des bibliothèques métropolitaines
`},
		survey.MailReminder: {Subject: "Rappel : {{.Survey}}", Body: `{{if .Name}}Madame, Monsieur {{.Name}}{{else}}Madame, Monsieur{{end}},

Nous n'avons pas encore reçu les réponses de {{.Library}} à « {{.Survey}} ».
Le lien personnel de votre bibliothèque, où vous attendent les réponses enregistrées :
{{.Link}}
{{if .Closes}}
L'enquête se termine le {{.Closes}}.{{end}}

Avec nos remerciements,
La Section des bibliothèques métropolitaines
`},
	},
	"es": {
		survey.MailInvitation: {Subject: "{{.Survey}}: invitación para {{.Library}}", Body: `Estimado/a {{if .Name}}{{.Name}}{{else}}colega{{end}}:

La Sección de Bibliotecas Metropolitanas invita a {{.Library}} a participar en «{{.Survey}}».
Sus respuestas ayudarán a conocer cómo trabajan y miden su impacto las bibliotecas públicas
y metropolitanas; los resultados se publicarán en la página web de la sección.

Este enlace es personal para su biblioteca. Puede guardar sus respuestas y volver más tarde:
{{.Link}}
{{if .Closes}}
La encuesta se cierra el {{.Closes}}.{{end}}

Con nuestro agradecimiento,
La Sección de Bibliotecas Metropolitanas
`},
		survey.MailReminder: {Subject: "Recordatorio: {{.Survey}}", Body: `Estimado/a {{if .Name}}{{.Name}}{{else}}colega{{end}}:

Todavía no hemos recibido las respuestas de {{.Library}} a «{{.Survey}}».
El enlace personal de su biblioteca, donde le esperan las respuestas guardadas:
{{.Link}}
{{if .Closes}}
La encuesta se cierra el {{.Closes}}.{{end}}

Con nuestro agradecimiento,
La Sección de Bibliotecas Metropolitanas
`},
	},
}

func TestMailTemplateValidation(t *testing.T) {
	for _, tc := range []struct {
		name, subject, body string
		want                []string // "path: message part", all of them; none: valid
	}{
		{"valid", "{survey}: {library}", "Dear {name},\n{link}\nCloses {deadline}.", nil},
		{"valid without other merge fields", "Our survey", "Please answer: {link}", nil},
		{"no link", "Survey", "Dear {name}", []string{"body: The body must contain {link}"}},
		{"link only in the subject", "{link}", "Hello", []string{"body: The body must contain {link}"}},
		{"unknown merge field", "Survey", "Dear {nmae},\n{link}", []string{"body: The body uses {nmae}, which is not a merge field: use {name}, {library}, {survey}, {link} or {deadline}."}},
		{"capitalised", "{Survey}", "{link}", []string{"subject: The subject uses {Survey}, which is not a merge field (did you mean {survey}?)"}},
		{"old syntax", "Survey", "Dear {{.Name}},\n{{.Link}}", []string{"body: The body uses double braces", "body: The body must contain {link}"}},
		{"deadline in the subject", "Closes {deadline}", "{link}", []string{"subject: The subject cannot use {deadline}"}},
		{"subject on two lines", "One\nTwo", "{link}", []string{"subject: The subject must be one line."}},
		{"empty", " ", "", []string{"subject: The subject is required.", "body: The body is required."}},
		{"unclosed brace", "S", "Bonjour {name, voici {link}", []string{"body: The body has a { that is not closed, at character 9: “{name, voici {li…”."}},
		{"unclosed at the end", "Survey {survey", "{link}", []string{"subject: The subject has a { that is not closed, at character 8: “{survey”."}},
		{"stray closing brace", "S", "Hi} {link}", []string{"body: The body has a } that closes nothing, at character 3: “Hi} {link}”."}},
		{"each unknown once", "S", "{x} {x} {y}\n{link}", []string{"body: The body uses {x}", "body: The body uses {y}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := survey.MailTemplate{Kind: survey.MailInvitation, Language: "en", Subject: tc.subject, Body: tc.body}.Validate()
			var got []string
			for _, f := range survey.ErrorFields(err) {
				got = append(got, f.Path+": "+f.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("problem %d: got %q, want %q…", i, got[i], tc.want[i])
				}
			}
			if tc.want != nil && survey.ErrorCode(err) != survey.EINVALID {
				t.Errorf("code %q", survey.ErrorCode(err))
			}
		})
	}
	for _, lang := range []string{"en", "fr", "es"} {
		for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
			if err := survey.DefaultMailTemplate(kind, lang).Validate(); err != nil {
				t.Errorf("built-in %s %s: %v %+v", kind, lang, err, survey.ErrorFields(err))
			}
		}
	}
}

func TestMailTemplateRender(t *testing.T) {
	tmpl := survey.MailTemplate{Kind: survey.MailInvitation, Language: "en",
		Subject: "{survey} for {library}", Body: "Dear {name},\n{link}\nThe survey closes on {deadline}.\nThanks"}
	for _, tc := range []struct {
		name          string
		data          survey.MailData
		subject, body string
	}{
		{"everything", survey.MailData{Name: "Ada", Library: "Lyon", Survey: "Impact", Link: "https://x/s/i?t=1", Closes: "31 January 2027"},
			"Impact for Lyon", "Dear Ada,\nhttps://x/s/i?t=1\nThe survey closes on 31 January 2027.\nThanks"},
		{"no name, no deadline", survey.MailData{Library: "Lyon", Survey: "Impact", Link: "L"},
			"Impact for Lyon", "Dear colleague,\nL\nThanks"},
		// Values are text: a library named like a merge field or a Go
		// template is mailed as it is named, and runs nothing.
		{"values never expand", survey.MailData{Name: "{link}", Library: "{{.Link}} {{printf \"%d\" 1}}", Survey: "{deadline}", Link: "L"},
			"{deadline} for {{.Link}} {{printf \"%d\" 1}}", "Dear {link},\nL\nThanks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, body, err := tmpl.Render(tc.data)
			if err != nil || subject != tc.subject || body != tc.body {
				t.Errorf("got %q %q %v,\nwant %q %q", subject, body, err, tc.subject, tc.body)
			}
		})
	}
	fr := survey.DefaultMailTemplate(survey.MailReminder, "fr")
	if _, body, _ := fr.Render(survey.MailData{Link: "L"}); !strings.HasPrefix(body, "Bonjour Madame, Monsieur,\n") || strings.Contains(body, "se termine") {
		t.Errorf("French without name or deadline:\n%s", body)
	}
	es := survey.DefaultMailTemplate(survey.MailInvitation, "es")
	if _, body, _ := es.Render(survey.MailData{Name: "Ana Ruiz", Link: "L", Closes: "31 de enero de 2027"}); !strings.HasPrefix(body, "Estimado/a Ana Ruiz:\n") || !strings.Contains(body, "La encuesta se cierra el 31 de enero de 2027.") {
		t.Errorf("Spanish with name and deadline:\n%s", body)
	}
}

// TestStoredGoTemplatesKeepWorking: a text stored in the old syntax says,
// read written with merge fields, exactly what it said before, for every mix of
// known and unknown name and closing date; one that merge fields cannot
// say exactly stays as stored (Legacy) and renders as before.
func TestStoredGoTemplatesKeepWorking(t *testing.T) {
	datas := []survey.MailData{
		{Name: "Ada Lovelace", Library: "Bibliothèque de Lyon", Survey: "Impact", Link: "https://x/s/i?t=1", Closes: "31 January 2027"},
		{Library: "Lyon", Survey: "Impact", Link: "https://x/s/i?t=2"},
		{Name: "Ada", Library: "Lyon", Survey: "Impact", Link: "https://x/s/i?t=3"},
		{Library: "Lyon", Survey: "Impact", Link: "https://x/s/i?t=4", Closes: "1 March 2027"},
	}
	same := func(t *testing.T, old, upgraded survey.MailTemplate) {
		t.Helper()
		for _, d := range datas {
			os, ob, err1 := old.Render(d)
			ns, nb, err2 := upgraded.Render(d)
			if err1 != nil || err2 != nil || os != ns || ob != nb {
				t.Errorf("with %+v:\nbefore %q\n%s\nafter  %q\n%s (%v %v)", d, os, ob, ns, nb, err1, err2)
			}
		}
	}
	for _, lang := range []string{"en", "es"} {
		for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
			old := goSyntaxDefaults[lang][kind]
			old.Kind, old.Language, old.Custom = kind, lang, true
			up := old.Upgraded()
			if up.Legacy || strings.Contains(up.Subject+up.Body, "{{") {
				t.Fatalf("%s %s not converted: %+v", lang, kind, up)
			}
			want := survey.DefaultMailTemplate(kind, lang)
			if kind == survey.MailReminder {
				// The built-in reminder has since said that responding
				// libraries get a report; the old text did not.
				want.Body = strings.Replace(want.Body, reminderReportParagraph[lang], "", 1)
			}
			if up.Subject != want.Subject || up.Body != want.Body {
				t.Errorf("%s %s converted to\n%q\n%q\nwant the built-in\n%q\n%q", lang, kind, up.Subject, up.Body, want.Subject, want.Body)
			}
			same(t, old, up)
			if err := up.Validate(); err != nil {
				t.Errorf("%s %s converted does not validate: %+v", lang, kind, survey.ErrorFields(err))
			}
		}
	}
	for _, tc := range []struct{ name, subject, body string }{
		{"French salutation", goSyntaxDefaults["fr"][survey.MailInvitation].Subject, goSyntaxDefaults["fr"][survey.MailInvitation].Body},
		{"bare name", "{{.Survey}}", "Hello {{.Name}}\n{{.Link}}"},
		{"another fallback", "S", "Dear {{if .Name}}{{.Name}}{{else}}friend{{end}},\n{{.Link}}"},
		{"deadline inside a line", "S", "{{.Link}}\nOpen{{if .Closes}} until {{.Closes}}{{end}}.\n"},
		{"bare deadline", "S", "{{.Link}}\nCloses: {{.Closes}}\n"},
		{"a brace word already there", "S", "Use {code} then {{.Link}}"},
		{"other Go syntax", "S", "{{.Link}} {{printf \"%s\" .Library}}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := survey.MailTemplate{Kind: survey.MailInvitation, Language: "en", Subject: tc.subject, Body: tc.body, Custom: true}
			if tc.name == "French salutation" {
				old.Language = "fr"
			}
			up := old.Upgraded()
			if !up.Legacy || up.Subject != old.Subject || up.Body != old.Body {
				t.Fatalf("got %+v, want the stored text marked Legacy", up)
			}
			same(t, old, up)
		})
	}
	// Convertible pieces inside a custom text: converted, same mails.
	custom := survey.MailTemplate{Kind: survey.MailReminder, Language: "en", Custom: true, Subject: "Reminder {{ .Survey }}",
		Body: "Hi {{if .Name}}{{.Name}}{{else}}colleague{{end}} at {{.Library}}!\n{{.Link}}\n{{if .Closes}}\nDeadline: {{.Closes}}, {{.Closes}}!{{end}}"}
	up := custom.Upgraded()
	if up.Legacy || up.Subject != "Reminder {survey}" || up.Body != "Hi {name} at {library}!\n{link}\n\nDeadline: {deadline}, {deadline}!" {
		t.Errorf("custom converted to %+v", up)
	}
	same(t, custom, up)
}

// TestFrenchDefaultMailSpacesItsPunctuation: the built-in French mails
// put a no-break space before ":" and ";" and inside « », as the pages do,
// so that no mail reader breaks the line before the mark. The subject is
// written out; the bodies are searched for any of those marks after an
// ordinary space or a letter (the link's "https:" is not prose).
func TestFrenchDefaultMailSpacesItsPunctuation(t *testing.T) {
	fault := regexp.MustCompile(`[\p{L}\p{N}) ][:;?!»]|«[\p{L}\p{N} ]`)
	want := map[survey.MailKind]string{
		survey.MailInvitation: "{survey}\u00a0: invitation pour {library}",
		survey.MailReminder:   "Rappel\u00a0: {survey}",
	}
	for kind, subject := range want {
		tpl := survey.DefaultMailTemplate(kind, "fr")
		if tpl.Subject != subject {
			t.Errorf("%s subject %q, want %q", kind, tpl.Subject, subject)
		}
		for i, line := range strings.Split(tpl.Body, "\n") {
			if m := fault.FindString(line); m != "" {
				t.Errorf("%s line %d: %q without a no-break space in %q", kind, i+1, m, line)
			}
		}
		for _, piece := range []string{"«\u00a0{survey}\u00a0»", "plus tard\u00a0:"} {
			if kind == survey.MailInvitation && !strings.Contains(tpl.Body, piece) {
				t.Errorf("invitation lacks %q:\n%s", piece, tpl.Body)
			}
		}
		if kind == survey.MailInvitation && !strings.Contains(tpl.Body, "impact\u202f;") {
			t.Errorf("invitation lacks a narrow no-break space before ';':\n%s", tpl.Body)
		}
	}
}

// reminderReportParagraph is what the built-in reminders say of the
// benchmark report, which the texts of the old syntax did not.
var reminderReportParagraph = map[string]string{
	"en": "Every library that answers gets its own report: how it compares with its peers\nand with all respondents, without any other library's answers.\n\n",
	"es": "Cada biblioteca que responde recibe su propio informe: cómo se compara con sus pares\ny con el conjunto de participantes, sin las respuestas de ninguna otra biblioteca.\n\n",
}

// TestReportMailTexts: the report-ready text in each language validates,
// carries the link, and the reminders say a report comes to those who
// answer.
func TestReportMailTexts(t *testing.T) {
	for lang, words := range map[string][2]string{
		"en": {"report of Lyon is ready", "gets its own report"},
		"fr": {"rapport de votre bibliothèque est prêt", "reçoit son propre rapport"},
		"es": {"informe de Lyon está listo", "recibe su propio informe"},
	} {
		ready := survey.DefaultMailTemplate(survey.MailReportReady, lang)
		if ready.Language != lang || ready.Kind != survey.MailReportReady {
			t.Fatalf("%s: built-in %+v", lang, ready)
		}
		if err := ready.Validate(); err != nil {
			t.Errorf("%s report_ready does not validate: %+v", lang, survey.ErrorFields(err))
		}
		subject, body, err := ready.Render(survey.MailData{Name: "Ada", Library: "Lyon", Survey: "Impact", Link: "https://x/s/impact/report?t=1"})
		if err != nil || !strings.Contains(subject, words[0]) || !strings.Contains(body, "\nhttps://x/s/impact/report?t=1\n") {
			t.Errorf("%s report_ready: %q\n%s (%v): want %q in the subject and the link on a line", lang, subject, body, err, words[0])
		}
		_, body, _ = survey.DefaultMailTemplate(survey.MailReminder, lang).Render(survey.MailData{Link: "L"})
		if !strings.Contains(strings.ReplaceAll(body, "\n", " "), words[1]) {
			t.Errorf("%s reminder does not say that responding libraries get a report:\n%s", lang, body)
		}
	}
}
