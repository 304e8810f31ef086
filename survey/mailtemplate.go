package survey

import (
	"bytes"
	"context"
	"strings"
	"text/template"
	"time"
)

// MailKind is what an email is for.
type MailKind string

const (
	MailInvitation MailKind = "invitation"
	MailReminder   MailKind = "reminder"
)

// MailTemplate is the subject and body of one kind of email in one
// language, written with text/template: {{.Name}} (the contact),
// {{.Library}}, {{.Survey}} (its title), {{.Link}} (the personal link) and
// {{.Closes}} (the closing date, empty when none is set).
type MailTemplate struct {
	Kind      MailKind  `json:"kind"`
	Language  string    `json:"language"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Custom    bool      `json:"custom"` // false for the built-in text
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// MailData fills a template.
type MailData struct {
	Name, Library, Survey, Link, Closes string
}

// Render fills t with d.
func (t MailTemplate) Render(d MailData) (subject, body string, err error) {
	render := func(field, text string) (string, error) {
		tmpl, err := template.New(field).Option("missingkey=error").Parse(text)
		if err != nil {
			return "", Errorf(EINVALID, "%s: %v", field, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, d); err != nil {
			return "", Errorf(EINVALID, "%s: %v", field, err)
		}
		return b.String(), nil
	}
	if subject, err = render("subject", t.Subject); err != nil {
		return "", "", err
	}
	body, err = render("body", t.Body)
	return strings.TrimSpace(subject), body, err
}

// Validate checks a template a user wrote: both parts present, the subject
// on one line, both rendering with sample data, the body carrying the link.
func (t MailTemplate) Validate() error {
	var problems []FieldError
	if t.Kind != MailInvitation && t.Kind != MailReminder {
		problems = append(problems, FieldError{Path: "kind", Message: "kind is invitation or reminder."})
	}
	if strings.TrimSpace(t.Subject) == "" {
		problems = append(problems, FieldError{Path: "subject", Message: "The subject is required."})
	} else if strings.ContainsAny(t.Subject, "\r\n") {
		problems = append(problems, FieldError{Path: "subject", Message: "The subject must be one line."})
	}
	if strings.TrimSpace(t.Body) == "" {
		problems = append(problems, FieldError{Path: "body", Message: "The body is required."})
	} else if !strings.Contains(t.Body, "{{.Link}}") {
		problems = append(problems, FieldError{Path: "body", Message: "The body must contain {{.Link}}, the library's personal link."})
	}
	if len(problems) == 0 {
		sample := MailData{Name: "Ada", Library: "Sample Library", Survey: "Survey", Link: "https://example.org/s/x?t=y", Closes: "2027-01-31"}
		if _, _, err := t.Render(sample); err != nil {
			problems = append(problems, FieldError{Path: strings.SplitN(err.Error(), ":", 2)[0], Message: err.Error()})
		}
	}
	if len(problems) > 0 {
		return &Error{Code: EINVALID, Message: "The template needs attention.", Fields: problems}
	}
	return nil
}

// DefaultMailTemplate is the built-in text for kind in lang (English when
// lang has none).
func DefaultMailTemplate(kind MailKind, lang string) MailTemplate {
	texts, ok := defaultMail[lang]
	if !ok {
		texts, lang = defaultMail["en"], "en"
	}
	t := texts[kind]
	t.Kind, t.Language = kind, lang
	return t
}

var defaultMail = map[string]map[MailKind]MailTemplate{
	"en": {
		MailInvitation: {Subject: "{{.Survey}}: an invitation to {{.Library}}", Body: `Dear {{if .Name}}{{.Name}}{{else}}colleague{{end}},

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
		MailReminder: {Subject: "Reminder: {{.Survey}}", Body: `Dear {{if .Name}}{{.Name}}{{else}}colleague{{end}},

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
		MailInvitation: {Subject: "{{.Survey}} : invitation pour {{.Library}}", Body: `{{if .Name}}Madame, Monsieur {{.Name}}{{else}}Madame, Monsieur{{end}},

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
		MailReminder: {Subject: "Rappel : {{.Survey}}", Body: `{{if .Name}}Madame, Monsieur {{.Name}}{{else}}Madame, Monsieur{{end}},

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
		MailInvitation: {Subject: "{{.Survey}}: invitación para {{.Library}}", Body: `Estimado/a {{if .Name}}{{.Name}}{{else}}colega{{end}}:

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
		MailReminder: {Subject: "Recordatorio: {{.Survey}}", Body: `Estimado/a {{if .Name}}{{.Name}}{{else}}colega{{end}}:

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

// MailTemplateStore keeps the templates a working group edited.
type MailTemplateStore interface {
	// MailTemplates returns a survey's edited templates (not the defaults).
	MailTemplates(ctx context.Context, slug string) ([]MailTemplate, error)
	// SaveMailTemplate stores t for slug, replacing the one of its kind and language.
	SaveMailTemplate(ctx context.Context, slug string, t MailTemplate) error
}
