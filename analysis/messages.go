package analysis

import (
	"fmt"
	"strings"

	"github.com/metlib/canvass/survey"
)

// messages are the words analysis writes itself (notes, warnings, grouping
// and band labels), per language; a language without an entry falls back to
// English. Arguments are already formatted for the language.
var messages = map[string]map[string]string{
	"en": {
		"note_base":             "Base: respondents who answered; the question was asked of %s and answered by %s.",
		"note_base_multi":       "Base: respondents who ticked at least one option (%s of the %s asked; %s ticked nothing).",
		"note_multiple":         "Multiple answers allowed: percentages do not sum to 100.",
		"note_base_plain":       "Base: respondents who answered; not every respondent asked answered the question.",
		"note_base_multi_plain": "Base: respondents who ticked at least one option; some respondents asked ticked nothing.",
		"note_missing_plain":    "Answers “%s” are counted in the distribution but left out of the mean, median, top-two share and tests.",
		"note_missing":          "%s answers “%s” are counted in the distribution but left out of the mean, median, top-two share and tests.",
		"note_not_asked":        "Not asked in: %s (the question was not shown there).",
		"warn_low":              "Some expected counts are below 5, so the chi-square p-value is approximate; for 2×2 tables use Fisher's exact p.",
		"region":                "IFLA region",
		"language":              "Language",
		"band_under":            "under %s",
		"band_between":          "%s to under %s",
		"band_over":             "%s and over",
		"list_and":              " and ",
		"lang_en":               "English",
		"lang_fr":               "French",
		"lang_es":               "Spanish",
		"not_ticked_label":      "Nothing ticked",
	},
	"fr": {
		"note_base":             "Base\u00a0: répondants ayant répondu\u202f; la question a été posée à %s et a reçu %s réponses.",
		"note_base_multi":       "Base\u00a0: répondants ayant coché au moins une option (%s sur les %s à qui la question a été posée\u202f; %s n'ont rien coché).",
		"note_multiple":         "Plusieurs réponses possibles\u00a0: la somme des pourcentages dépasse 100.",
		"note_base_plain":       "Base\u00a0: répondants ayant répondu\u202f; toutes les personnes à qui la question a été posée n'y ont pas répondu.",
		"note_base_multi_plain": "Base\u00a0: répondants ayant coché au moins une option\u202f; certains n'ont rien coché.",
		"note_missing_plain":    "Les réponses «\u00a0%s\u00a0» sont comptées dans la distribution mais exclues de la moyenne, de la médiane, de la part des deux premiers niveaux et des tests.",
		"note_missing":          "%s réponses «\u00a0%s\u00a0» sont comptées dans la distribution mais exclues de la moyenne, de la médiane, de la part des deux premiers niveaux et des tests.",
		"note_not_asked":        "Question non posée\u00a0: %s (elle n'y était pas affichée).",
		"warn_low":              "Certains effectifs attendus sont inférieurs à 5\u00a0: la valeur p du khi-deux est approximative\u202f; pour les tableaux 2×2, utilisez la valeur p exacte de Fisher.",
		"region":                "Région de l'IFLA",
		"language":              "Langue",
		"band_under":            "moins de %s",
		"band_between":          "de %s à moins de %s",
		"band_over":             "%s et plus",
		"list_and":              " et ",
		"lang_en":               "anglais",
		"lang_fr":               "français",
		"lang_es":               "espagnol",
		"not_ticked_label":      "Aucune case cochée",
	},
	"es": {
		"note_base":             "Base: encuestados que respondieron; la pregunta se formuló a %s y la respondieron %s.",
		"note_base_multi":       "Base: encuestados que marcaron al menos una opción (%s de los %s a quienes se formuló; %s no marcaron nada).",
		"note_multiple":         "Se admiten varias respuestas: los porcentajes no suman 100.",
		"note_base_plain":       "Base: encuestados que respondieron; no todos a quienes se formuló la pregunta la respondieron.",
		"note_base_multi_plain": "Base: encuestados que marcaron al menos una opción; algunos no marcaron nada.",
		"note_missing_plain":    "Las respuestas «%s» se cuentan en la distribución pero se excluyen de la media, la mediana, la proporción de los dos niveles superiores y las pruebas.",
		"note_missing":          "%s respuestas «%s» se cuentan en la distribución pero se excluyen de la media, la mediana, la proporción de los dos niveles superiores y las pruebas.",
		"note_not_asked":        "No se formuló en: %s (la pregunta no se mostraba).",
		"warn_low":              "Algunas frecuencias esperadas son inferiores a 5, por lo que el valor p de ji cuadrado es aproximado; para tablas 2×2 use el valor p exacto de Fisher.",
		"region":                "Región de la IFLA",
		"language":              "Idioma",
		"band_under":            "menos de %s",
		"band_between":          "de %s a menos de %s",
		"band_over":             "%s o más",
		"list_and":              " y ",
		"lang_en":               "inglés",
		"lang_fr":               "francés",
		"lang_es":               "español",
		"not_ticked_label":      "Nada marcado",
	},
}

// message returns the text of key in lang (else English) with args.
func message(lang, key string, args ...any) string {
	m, ok := messages[lang][key]
	if !ok {
		m = messages["en"][key]
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// languageName is the name of a language code in lang, or the code.
func languageName(lang, code string) string {
	if _, ok := messages["en"]["lang_"+code]; ok {
		return message(lang, "lang_"+code)
	}
	return code
}

// listOf joins labels as a reader would: "a, b and c".
func listOf(lang string, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + message(lang, "list_and") + items[len(items)-1]
}

// bandLabel names band i of the edges: under the first, between two, or
// the last and over.
func bandLabel(lang string, bands []float64, i int) string {
	switch {
	case i == 0:
		return message(lang, "band_under", survey.FormatEdge(lang, bands[0]))
	case i == len(bands):
		return message(lang, "band_over", survey.FormatEdge(lang, bands[i-1]))
	}
	return message(lang, "band_between", survey.FormatEdge(lang, bands[i-1]), survey.FormatEdge(lang, bands[i]))
}
