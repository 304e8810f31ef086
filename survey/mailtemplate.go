package survey

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
)

// MailKind is what an email is for.
type MailKind string

const (
	MailInvitation MailKind = "invitation"
	MailReminder   MailKind = "reminder"
	// MailReportReady tells a responding library its benchmark report is
	// ready, with a personal link to it.
	MailReportReady MailKind = "report_ready"
)

// MailKinds lists the kinds, in the order the editor shows them.
var MailKinds = []MailKind{MailInvitation, MailReminder, MailReportReady}

// MailTemplate is the subject and body of one kind of email in one
// language, written with merge fields a secretary can type: {name} (the
// contact; "colleague" in English when the directory has no name), {library},
// {survey} (its title), {link} (the personal link, required in the body)
// and {deadline} (the closing date, written in the template's language; a
// line holding it is left out when the survey has no closing date). Values
// are put in as they are, in one pass: a library called "{link}" stays
// that text, and nothing a respondent or the directory holds is ever run
// as template code.
//
// Texts saved before merge fields existed were Go templates ({{.Name}}…).
// Upgraded converts those whose meaning merge fields keep exactly; the
// others stay as stored and still render the old way (Legacy), until they
// are saved again.
type MailTemplate struct {
	Kind      MailKind  `json:"kind"`
	Language  string    `json:"language"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Custom    bool      `json:"custom"` // false for the built-in text
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Legacy marks a stored text still in the old {{.Name}} syntax, which
	// Upgraded could not convert without changing what it says. It renders
	// as before; saving it needs merge fields.
	Legacy bool `json:"legacy,omitempty"`
}

// MailData fills a template. Closes is the closing date as the mail should
// show it (FormatDate in the template's language), empty when none is set.
type MailData struct {
	Name, Library, Survey, Link, Closes string
}

// MailMergeFields are the merge fields a template may use, in the order
// the editor lists them.
var MailMergeFields = []string{"name", "library", "survey", "link", "deadline"}

// mailNameFallback is what {name} says when the contact has no name.
var mailNameFallback = map[string]string{"en": "colleague", "fr": "Madame, Monsieur", "es": "colega"}

func nameFallback(lang string) string {
	if w, ok := mailNameFallback[lang]; ok {
		return w
	}
	return mailNameFallback["en"]
}

// mergeFieldPattern finds what looks like a merge field, known or not:
// {link}, but also {Link}, {.Link} and {nmae}, so a mistyped one is
// reported rather than mailed as it is.
var mergeFieldPattern = regexp.MustCompile(`\{\.?[A-Za-z_][A-Za-z0-9_.]*\}`)

// Render fills t with d.
func (t MailTemplate) Render(d MailData) (subject, body string, err error) {
	if t.usesGoSyntax() {
		return t.renderLegacy(d)
	}
	subject = t.fill(t.Subject, d)
	body = t.fill(dropDeadlineLines(t.Body, d.Closes), d)
	return strings.TrimSpace(subject), body, nil
}

func (t MailTemplate) usesGoSyntax() bool {
	return strings.Contains(t.Subject, "{{") || strings.Contains(t.Body, "{{")
}

// fill puts d's values in place of the merge fields of text, in one pass.
func (t MailTemplate) fill(text string, d MailData) string {
	return mergeFieldPattern.ReplaceAllStringFunc(text, func(ph string) string {
		switch ph {
		case "{name}":
			return cmp.Or(d.Name, nameFallback(t.Language))
		case "{library}":
			return d.Library
		case "{survey}":
			return d.Survey
		case "{link}":
			return d.Link
		case "{deadline}":
			return d.Closes
		}
		return ph // Validate refuses these; a stored one is shown as written
	})
}

// dropDeadlineLines leaves out each line holding {deadline} when there is
// no closing date, with the line break before it.
func dropDeadlineLines(body, closes string) string {
	if closes != "" || !strings.Contains(body, "{deadline}") {
		return body
	}
	lines := strings.Split(body, "\n")
	var b strings.Builder
	first := true
	for _, line := range lines {
		if strings.Contains(line, "{deadline}") {
			continue
		}
		if !first {
			b.WriteByte('\n')
		}
		b.WriteString(line)
		first = false
	}
	return b.String()
}

// renderLegacy renders a text in the old Go template syntax, as before.
func (t MailTemplate) renderLegacy(d MailData) (subject, body string, err error) {
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

// Validate checks a template a user wrote: both parts present, braces
// balanced (an unclosed one would swallow text or a merge field), the subject
// on one line and without {deadline}, every merge field a known one, the
// body carrying {link}. Each problem names the merge field at fault.
func (t MailTemplate) Validate() error {
	var problems []FieldError
	bad := func(path, format string, args ...any) {
		problems = append(problems, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if !slices.Contains(MailKinds, t.Kind) {
		bad("kind", "kind is invitation, reminder or report_ready.")
	}
	known := "{name}, {library}, {survey}, {link} or {deadline}"
	for _, part := range []struct{ path, name, text string }{{"subject", "The subject", t.Subject}, {"body", "The body", t.Body}} {
		if strings.TrimSpace(part.text) == "" {
			bad(part.path, "%s is required.", part.name)
			continue
		}
		if strings.Contains(part.text, "{{") || strings.Contains(part.text, "}}") {
			bad(part.path, "%s uses double braces, the old way of writing merge fields: write them with single braces, like {link}.", part.name)
			continue
		}
		if msg := unbalanced(part.text); msg != "" {
			bad(part.path, "%s %s", part.name, msg)
			continue
		}
		seen := map[string]bool{}
		for _, ph := range mergeFieldPattern.FindAllString(part.text, -1) {
			if seen[ph] {
				continue
			}
			seen[ph] = true
			if !slices.Contains(MailMergeFields, strings.Trim(ph, "{}")) {
				hint := ""
				if lower := strings.ToLower(strings.Trim(ph, "{}.")); slices.Contains(MailMergeFields, lower) {
					hint = fmt.Sprintf(" (did you mean {%s}?)", lower)
				}
				bad(part.path, "%s uses %s, which is not a merge field%s: use %s.", part.name, ph, hint, known)
			}
		}
	}
	if strings.ContainsAny(t.Subject, "\r\n") {
		bad("subject", "The subject must be one line.")
	}
	if strings.Contains(t.Subject, "{deadline}") {
		bad("subject", "The subject cannot use {deadline}: a survey may have no closing date, and the subject would lose its words. Put it in the body.")
	}
	if strings.TrimSpace(t.Body) != "" && !strings.Contains(t.Body, "{link}") {
		bad("body", "The body must contain {link}, the library's personal link.")
	}
	if len(problems) > 0 {
		return &Error{Code: EINVALID, Message: "The template needs attention.", Fields: problems}
	}
	return nil
}

// Upgraded returns t written with merge fields when it is a stored text in the old
// Go template syntax that converts without changing what any mail says:
// {{.Library}}, {{.Survey}}, {{.Link}}; {{if .Name}}{{.Name}}{{else}}W{{end}}
// where W is what {name} says without a name; and {{if .Closes}} starting
// a line of its own that holds {{.Closes}} and ends with {{end}}. Any other
// Go syntax leaves t as stored, marked Legacy, still rendering as before.
func (t MailTemplate) Upgraded() MailTemplate {
	if !t.usesGoSyntax() {
		return t
	}
	subject, ok1 := upgradeText(t.Subject, t.Language, false)
	body, ok2 := upgradeText(t.Body, t.Language, true)
	if !ok1 || !ok2 {
		t.Legacy = true
		return t
	}
	t.Subject, t.Body = subject, body
	return t
}

var (
	goNameIf      = regexp.MustCompile(`\{\{\s*if\s+\.Name\s*\}\}\{\{\s*\.Name\s*\}\}\{\{\s*else\s*\}\}([^{}]*)\{\{\s*end\s*\}\}`)
	goClosesIf    = regexp.MustCompile(`\{\{\s*if\s+\.Closes\s*\}\}\n([^\n{}]*(?:\{\{\s*\.Closes\s*\}\}[^\n{}]*)+)\{\{\s*end\s*\}\}(\n|$)`)
	goAction      = regexp.MustCompile(`\{\{.*?\}\}`)
	goClosesField = regexp.MustCompile(`\{\{\s*\.Closes\s*\}\}`)
	goField       = regexp.MustCompile(`\{\{\s*\.(Library|Survey|Link|Closes)\s*\}\}`)
)

func upgradeText(text, lang string, body bool) (string, bool) {
	// A single-brace word in old text is text; as a merge field it would
	// change meaning.
	if mergeFieldPattern.MatchString(goAction.ReplaceAllString(text, "")) {
		return text, false
	}
	ok := true
	text = goNameIf.ReplaceAllStringFunc(text, func(m string) string {
		if goNameIf.FindStringSubmatch(m)[1] != nameFallback(lang) {
			ok = false
		}
		return "{name}"
	})
	if body {
		// {{if .Closes}}⏎LINE{{end}} says LINE or nothing; a line of its
		// own holding {deadline} says the same (dropDeadlineLines).
		text = goClosesIf.ReplaceAllStringFunc(text, func(m string) string {
			sub := goClosesIf.FindStringSubmatch(m)
			return "\n" + goClosesField.ReplaceAllString(sub[1], "{deadline}") + sub[2]
		})
	}
	text = goField.ReplaceAllStringFunc(text, func(m string) string {
		name := goField.FindStringSubmatch(m)[1]
		if name == "Closes" {
			// Outside such a line the old text said nothing without a
			// date, where {deadline} would drop the line.
			ok = false
			return "{deadline}"
		}
		return "{" + strings.ToLower(name) + "}"
	})
	if strings.Contains(text, "{{") || strings.Contains(text, "}}") {
		ok = false
	}
	return text, ok
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
		MailInvitation: {Subject: "{survey}: an invitation to {library}", Body: `Dear {name},

The Metropolitan Libraries Section invites {library} to take part in "{survey}".
Your answers help build a picture of how public and metropolitan libraries work and
measure their impact; the findings will be published on the section's webpage.

This link is personal to your library. You can save your answers and come back later:
{link}

The survey closes on {deadline}.

With thanks,
The Metropolitan Libraries Section
`},
		MailReminder: {Subject: "Reminder: {survey}", Body: `Dear {name},

We have not yet received the answers of {library} to "{survey}".
Your library's personal link, where any answers you saved are waiting:
{link}

Every library that answers gets its own report: how it compares with its peers
and with all respondents, without any other library's answers.

The survey closes on {deadline}.

With thanks,
The Metropolitan Libraries Section
`},
		MailReportReady: {Subject: "{survey}: the report of {library} is ready", Body: `Dear {name},

Thank you for answering "{survey}". The report of {library} is ready: how your
library compares with its peer groups and with all respondents, question by
question. No other library's answers can be read or worked out from it.

Read it, and download it as PDF or as a spreadsheet, through your library's
personal link:
{link}

With thanks,
The Metropolitan Libraries Section
`},
	},
	"fr": {
		MailInvitation: {Subject: "{survey} : invitation pour {library}", Body: `Bonjour {name},

La Section des bibliothèques métropolitaines invite {library} à participer à « {survey} ».
Vos réponses aideront à comprendre comment les bibliothèques publiques et métropolitaines
travaillent et mesurent leur impact ; les résultats seront publiés sur la page de la section.

Ce lien est propre à votre bibliothèque. Vous pouvez enregistrer vos réponses et revenir plus tard :
{link}

L'enquête se termine le {deadline}.

Avec nos remerciements,
La Section des bibliothèques métropolitaines
`},
		MailReminder: {Subject: "Rappel : {survey}", Body: `Bonjour {name},

Nous n'avons pas encore reçu les réponses de {library} à « {survey} ».
Le lien personnel de votre bibliothèque, où vous attendent les réponses enregistrées :
{link}

Chaque bibliothèque qui répond reçoit son propre rapport : comment elle se situe
par rapport à ses pairs et à l'ensemble des répondants, sans les réponses d'aucune autre bibliothèque.

L'enquête se termine le {deadline}.

Avec nos remerciements,
La Section des bibliothèques métropolitaines
`},
		MailReportReady: {Subject: "{survey} : le rapport de votre bibliothèque est prêt", Body: `Bonjour {name},

Merci d'avoir répondu à « {survey} ». Le rapport de votre bibliothèque ({library})
est prêt : comment elle se situe par rapport à ses groupes de pairs et à l'ensemble des
répondants, question par question. Il ne permet ni de lire ni de déduire les réponses
d'aucune autre bibliothèque.

Consultez-le, et téléchargez-le en PDF ou en tableur, par le lien personnel de
votre bibliothèque :
{link}

Avec nos remerciements,
La Section des bibliothèques métropolitaines
`},
	},
	"es": {
		MailInvitation: {Subject: "{survey}: invitación para {library}", Body: `Estimado/a {name}:

La Sección de Bibliotecas Metropolitanas invita a {library} a participar en «{survey}».
Sus respuestas ayudarán a conocer cómo trabajan y miden su impacto las bibliotecas públicas
y metropolitanas; los resultados se publicarán en la página web de la sección.

Este enlace es personal para su biblioteca. Puede guardar sus respuestas y volver más tarde:
{link}

La encuesta se cierra el {deadline}.

Con nuestro agradecimiento,
La Sección de Bibliotecas Metropolitanas
`},
		MailReminder: {Subject: "Recordatorio: {survey}", Body: `Estimado/a {name}:

Todavía no hemos recibido las respuestas de {library} a «{survey}».
El enlace personal de su biblioteca, donde le esperan las respuestas guardadas:
{link}

Cada biblioteca que responde recibe su propio informe: cómo se compara con sus pares
y con el conjunto de participantes, sin las respuestas de ninguna otra biblioteca.

La encuesta se cierra el {deadline}.

Con nuestro agradecimiento,
La Sección de Bibliotecas Metropolitanas
`},
		MailReportReady: {Subject: "{survey}: el informe de {library} está listo", Body: `Estimado/a {name}:

Gracias por responder a «{survey}». El informe de {library} está listo: cómo se
compara su biblioteca con sus grupos de pares y con el conjunto de participantes,
pregunta por pregunta. No permite leer ni deducir las respuestas de ninguna otra
biblioteca.

Consúltelo, y descárguelo en PDF o como hoja de cálculo, mediante el enlace
personal de su biblioteca:
{link}

Con nuestro agradecimiento,
La Sección de Bibliotecas Metropolitanas
`},
	},
}

// The French texts above are written with ordinary spaces before ":" and
// ";" and inside « », to stay readable here; a mail reader could break
// the line there and leave the mark alone at the start of the next. They
// get the no-break spaces the pages use: U+00A0 before a colon and inside
// guillemets, U+202F before ";", "?" and "!".
func init() {
	spaced := strings.NewReplacer(" :", "\u00a0:", " ;", "\u202f;", " ?", "\u202f?", " !", "\u202f!", "« ", "«\u00a0", " »", "\u00a0»")
	for kind, t := range defaultMail["fr"] {
		t.Subject, t.Body = spaced.Replace(t.Subject), spaced.Replace(t.Body)
		defaultMail["fr"][kind] = t
	}
}

// MailTemplateStore keeps the templates a working group edited.
type MailTemplateStore interface {
	// MailTemplates returns a survey's edited templates (not the defaults).
	MailTemplates(ctx context.Context, slug string) ([]MailTemplate, error)
	// SaveMailTemplate stores t for slug, replacing the one of its kind and language.
	SaveMailTemplate(ctx context.Context, slug string, t MailTemplate) error
}

// unbalanced says where text's first unmatched brace is ("has a { that is
// not closed, at character 9: “{name, voici …”"), empty when every brace
// is closed. Without it a mistyped "{name, voici {link}" would be sent as
// is, braces and all, since only whole merge fields are replaced.
func unbalanced(text string) string {
	runes := []rune(text)
	around := func(i int) string {
		end := min(i+16, len(runes))
		more := ""
		if end < len(runes) {
			more = "…"
		}
		return string(runes[i:end]) + more
	}
	open := -1
	for i, r := range runes {
		switch r {
		case '{':
			if open >= 0 {
				return fmt.Sprintf("has a { that is not closed, at character %d: “%s”. Close it with } or remove it.", open+1, around(open))
			}
			open = i
		case '}':
			if open < 0 {
				return fmt.Sprintf("has a } that closes nothing, at character %d: “%s”. Remove it or add the { it closes.", i+1, around(max(0, i-15)))
			}
			open = -1
		}
	}
	if open >= 0 {
		return fmt.Sprintf("has a { that is not closed, at character %d: “%s”. Close it with } or remove it.", open+1, around(open))
	}
	return ""
}
