package survey

import (
	"fmt"
	"sort"
)

// Text is a piece of text in several languages, keyed by language code
// ("en", "fr", "es", ...).
type Text map[string]string

// In returns the text in lang, else in fallback, else in any language
// (the alphabetically first, so the choice is stable), else "".
func (t Text) In(lang, fallback string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[fallback]; ok && s != "" {
		return s
	}
	langs := make([]string, 0, len(t))
	for l, s := range t {
		if s != "" {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return ""
	}
	sort.Strings(langs)
	return t[langs[0]]
}

// message is a respondent-facing problem, rendered in the respondent's language.
type message struct {
	key  string
	args []any
}

func msg(key string, args ...any) *message { return &message{key: key, args: args} }

// catalog holds the answer-checking messages in every language Canvass ships.
// English is the fallback for languages not listed.
var catalog = map[string]map[string]string{
	"required": {
		"en": "This question requires an answer.",
		"fr": "Cette question est obligatoire.",
		"es": "Esta pregunta es obligatoria.",
	},
	"required_rows": {
		"en": "Please answer every row.",
		"fr": "Veuillez répondre à chaque ligne.",
		"es": "Responda a todas las filas.",
	},
	"unknown_question": {
		"en": "There is no question with this id in the survey.",
		"fr": "Aucune question ne porte cet identifiant dans l'enquête.",
		"es": "No hay ninguna pregunta con este identificador en la encuesta.",
	},
	"want_text": {
		"en": "Enter text here.",
		"fr": "Saisissez du texte ici.",
		"es": "Introduzca un texto aquí.",
	},
	"want_one": {
		"en": "Choose one option.",
		"fr": "Choisissez une seule option.",
		"es": "Elija una sola opción.",
	},
	"want_list": {
		"en": "Choose from the options listed.",
		"fr": "Choisissez parmi les options proposées.",
		"es": "Elija entre las opciones propuestas.",
	},
	"want_rows": {
		"en": "Answer the rows of this table.",
		"fr": "Répondez aux lignes de ce tableau.",
		"es": "Responda a las filas de esta tabla.",
	},
	"bad_option": {
		"en": "%q is not one of the options.",
		"fr": "« %s » ne fait pas partie des options.",
		"es": "«%s» no es una de las opciones.",
	},
	"bad_row": {
		"en": "%q is not a row of this question.",
		"fr": "« %s » n'est pas une ligne de cette question.",
		"es": "«%s» no es una fila de esta pregunta.",
	},
	"duplicate_option": {
		"en": "Each option can be chosen only once.",
		"fr": "Chaque option ne peut être choisie qu'une fois.",
		"es": "Cada opción solo puede elegirse una vez.",
	},
	"duplicate_rank": {
		"en": "Give each rank to one option only.",
		"fr": "Attribuez chaque rang à une seule option.",
		"es": "Asigne cada puesto a una sola opción.",
	},
	"bad_rank": {
		"en": "Ranks must be whole numbers from 1 to %d.",
		"fr": "Les rangs doivent être des nombres entiers de 1 à %d.",
		"es": "Los puestos deben ser números enteros del 1 al %d.",
	},
	"exclusive_option": {
		"en": "%q cannot be combined with other options.",
		"fr": "« %s » ne peut pas être combiné avec d'autres options.",
		"es": "«%s» no puede combinarse con otras opciones.",
	},
	"min_selected": {
		"en": "Choose at least %d.",
		"fr": "Choisissez-en au moins %d.",
		"es": "Elija al menos %d.",
	},
	"max_selected": {
		"en": "Choose at most %d.",
		"fr": "Choisissez-en au plus %d.",
		"es": "Elija como máximo %d.",
	},
	"other_required": {
		"en": "Please specify your other answer.",
		"fr": "Veuillez préciser votre autre réponse.",
		"es": "Especifique su otra respuesta.",
	},
	"want_number": {
		"en": "Enter a number in digits, for example 2,500,000 or 2.5.",
		"fr": "Saisissez un nombre en chiffres, par exemple 2\u202f500\u202f000 ou 2,5.",
		"es": "Introduzca un número en cifras, por ejemplo 2.500.000 o 2,5.",
	},
	// The text is not a number in the language's convention but is one in
	// the other (a point for decimals or for thousands): %s is that reading,
	// written the language's way.
	"number_did_you_mean": {
		"en": "Did you mean %s? In English, a point marks decimals and commas group thousands, for example 2,500,000 or 2.5.",
		"fr": "Vouliez-vous dire %s\u00a0? En français, la virgule marque les décimales et une espace sépare les milliers, par exemple 2\u202f500\u202f000 ou 2,5.",
		"es": "¿Quería decir %s? En español, la coma marca los decimales y el punto separa los miles, por ejemplo 2.500.000 o 2,5.",
	},
	// A whole number was asked for and the text is a decimal mark followed
	// by three digits ("2,500" in Spanish): %s is the whole number the
	// other convention reads.
	"number_thousands": {
		"en": "Did you mean %s? In English, a point marks decimals; write thousands with commas, for example 2,500,000.",
		"fr": "Vouliez-vous dire %s\u00a0? En français, la virgule marque les décimales\u202f; séparez les milliers par une espace, par exemple 2\u202f500\u202f000.",
		"es": "¿Quería decir %s? En español, la coma marca los decimales; separe los miles con un punto, por ejemplo 2.500.000.",
	},
	// number_ambiguous: %[1]s the whole reading in digits, %[2]s its
	// words, %[3]s the decimal reading in digits, %[4]s its words, %[5]s
	// the decimal written so that it is not asked again, %[6]s the text as
	// typed, %[7]s the words of the reading it keeps if sent again.
	"number_ambiguous": {
		"en": "Did you mean %[1]s (%[2]s) or %[3]s (%[4]s)? Write %[1]s or %[5]s. If you send %[6]s again unchanged, it is stored as %[7]s.",
		"fr": "Vouliez-vous dire %[1]s (%[2]s) ou %[3]s (%[4]s)\u00a0? Écrivez %[1]s ou %[5]s. Si vous renvoyez %[6]s sans le changer, c'est %[7]s qui sera enregistré.",
		"es": "¿Quería decir %[1]s (%[2]s) o %[3]s (%[4]s)? Escriba %[1]s o %[5]s. Si envía %[6]s de nuevo sin cambiarlo, se guardará %[7]s.",
	},
	"want_integer": {
		"en": "Enter a whole number.",
		"fr": "Saisissez un nombre entier.",
		"es": "Introduzca un número entero.",
	},
	"min": {
		"en": "Enter a number of at least %s.",
		"fr": "Saisissez un nombre supérieur ou égal à %s.",
		"es": "Introduzca un número mayor o igual que %s.",
	},
	"max": {
		"en": "Enter a number of at most %s.",
		"fr": "Saisissez un nombre inférieur ou égal à %s.",
		"es": "Introduzca un número menor o igual que %s.",
	},
	"max_length": {
		"en": "Keep this answer under %d characters (it has %d).",
		"fr": "Limitez cette réponse à %d caractères (elle en compte %d).",
		"es": "Limite esta respuesta a %d caracteres (tiene %d).",
	},
	"pattern": {
		"en": "This answer is not in the expected format.",
		"fr": "Cette réponse n'est pas au format attendu.",
		"es": "Esta respuesta no tiene el formato esperado.",
	},
	"want_email": {
		"en": "Enter an email address, like name@example.org.",
		"fr": "Saisissez une adresse électronique, comme nom@exemple.org.",
		"es": "Introduzca una dirección de correo electrónico, como nombre@ejemplo.org.",
	},
	"want_url": {
		"en": "Enter a web address, like https://library.example.org.",
		"fr": "Saisissez une adresse web, comme https://bibliotheque.exemple.org.",
		"es": "Introduzca una dirección web, como https://biblioteca.ejemplo.org.",
	},
	"want_date": {
		"en": "Enter a date as YYYY-MM-DD.",
		"fr": "Saisissez une date au format AAAA-MM-JJ.",
		"es": "Introduzca una fecha con el formato AAAA-MM-DD.",
	},
	"want_country": {
		"en": "Choose a country from the list.",
		"fr": "Choisissez un pays dans la liste.",
		"es": "Elija un país de la lista.",
	},
	// change_note_required: a number breaks its change check against the
	// library's previous-wave answer: %[1]s that answer, %[2]s this one,
	// both in the form language's convention.
	"change_note_required": {
		"en": "Last time your library answered %[1]s; %[2]s is a large change. If it is right, please say why in the box below; if not, correct the number.",
		"fr": "La dernière fois, votre bibliothèque a répondu %[1]s\u202f; %[2]s est un changement important. S'il est exact, expliquez-en la raison dans le champ ci-dessous\u202f; sinon, corrigez le nombre.",
		"es": "La última vez su biblioteca respondió %[1]s; %[2]s es un cambio importante. Si es correcto, explique el motivo en el recuadro de abajo; si no, corrija el número.",
	},
	"bad_text": {
		"en": "This answer contains characters that cannot be stored.",
		"fr": "Cette réponse contient des caractères qui ne peuvent pas être enregistrés.",
		"es": "Esta respuesta contiene caracteres que no se pueden guardar.",
	},
}

// render returns m in lang (English when the language has no translation).
func (m *message) render(lang string) string {
	forms := catalog[m.key]
	format, ok := forms[lang]
	if !ok {
		format = forms["en"]
	}
	args := make([]any, len(m.args))
	for i, a := range m.args {
		if t, ok := a.(Text); ok {
			a = t.In(lang, "en")
		}
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}
