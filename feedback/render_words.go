package feedback

import (
	"fmt"
	"strings"
)

// renderWords are the static words of the PDF and the workbook, by
// language. The sentences the web page writes too (a merged group, too
// few respondents, a withheld figure) are not here: the renderers use
// MergedSentence, TooFewSentence and HiddenSentence. A language the table lacks falls back to English; a key missing
// from one language is caught by TestRenderWordsComplete.
var renderWords = map[string]map[string]string{
	"en": {
		"title":         "How we compare",
		"library":       "Library",
		"survey":        "Survey",
		"date":          "Date",
		"rule":          "Rule",
		"groups":        "Compared with",
		"merged":        "Merged groups",
		"rule_text":     "Every peer figure comes from at least %d libraries; a figure that comes from fewer, or that would let one library's answer be worked out, is withheld (x). Intervals are 95%% Wilson intervals.",
		"rule_text_one": "Every peer figure comes from at least %d library; a figure that would let one library's answer be worked out is withheld (x). Intervals are 95%% Wilson intervals.",
		"list_sep":      "; ",
		"group_n":       "%s (N = %s)",
		"your_answer":   "Your answer: %s",
		"your_value":    "Your value: %s",
		"no_answer":     "no answer",
		"yours_mark":    "your answer",
		"hidden_mark":   "x",
		"quartiles":     "median %s (quartiles %s–%s), n = %s",
		"missing":       "Chosen most by your peers, not by you: %s.",
		"page":          "Page %d of %s",
		"sheet":         "Report",
		"col_section":   "Section",
		"col_question":  "Question",
		"col_answer":    "Answer",
		"col_yours":     "Yours",
		"col_share":     "Share",
		"col_low":       "95% low",
		"col_high":      "95% high",
		"col_q1":        "Q1",
		"col_median":    "Median",
		"col_q3":        "Q3",
		"col_n":         "N",
		"col_notes":     "Notes",
		"value":         "Value",
		"options_n":     "Number of options chosen",
		"missing_row":   "Chosen most by peers, not by you",
		"legend":        "Legend",
	},
	"fr": {
		"title":         "Comment nous nous situons",
		"library":       "Bibliothèque",
		"survey":        "Enquête",
		"date":          "Date",
		"rule":          "Règle",
		"groups":        "Comparaison avec",
		"merged":        "Groupes fusionnés",
		"rule_text":     "Chaque chiffre des pairs vient d’au moins %d bibliothèques\u202f; un chiffre qui vient de moins, ou qui permettrait de retrouver la réponse d’une bibliothèque, est masqué (x). Les intervalles sont des intervalles de Wilson à 95\u202f%%.",
		"rule_text_one": "Chaque chiffre des pairs vient d’au moins %d bibliothèque\u202f; un chiffre qui permettrait de retrouver la réponse d’une bibliothèque est masqué (x). Les intervalles sont des intervalles de Wilson à 95\u202f%%.",
		"list_sep":      "\u202f; ",
		"group_n":       "%s (N\u00a0=\u00a0%s)",
		"your_answer":   "Votre réponse\u00a0: %s",
		"your_value":    "Votre valeur\u00a0: %s",
		"no_answer":     "pas de réponse",
		"yours_mark":    "votre réponse",
		"hidden_mark":   "x",
		"quartiles":     "médiane %s (quartiles %s–%s), n\u00a0=\u00a0%s",
		"missing":       "Les plus choisies par vos pairs, pas par vous\u00a0: %s.",
		"page":          "Page %d sur %s",
		"sheet":         "Rapport",
		"col_section":   "Section",
		"col_question":  "Question",
		"col_answer":    "Réponse",
		"col_yours":     "Vous",
		"col_share":     "Part",
		"col_low":       "95\u202f% bas",
		"col_high":      "95\u202f% haut",
		"col_q1":        "Q1",
		"col_median":    "Médiane",
		"col_q3":        "Q3",
		"col_n":         "N",
		"col_notes":     "Notes",
		"value":         "Valeur",
		"options_n":     "Nombre d’options choisies",
		"missing_row":   "Les plus choisies par les pairs, pas par vous",
		"legend":        "Légende",
	},
	"es": {
		"title":         "Cómo nos comparamos",
		"library":       "Biblioteca",
		"survey":        "Encuesta",
		"date":          "Fecha",
		"rule":          "Regla",
		"groups":        "Comparación con",
		"merged":        "Grupos fusionados",
		"rule_text":     "Cada cifra de los pares procede de al menos %d bibliotecas; una cifra que procede de menos, o que permitiría deducir la respuesta de una biblioteca, se oculta (x). Los intervalos son intervalos de Wilson al 95\u00a0%%.",
		"rule_text_one": "Cada cifra de los pares procede de al menos %d biblioteca; una cifra que permitiría deducir la respuesta de una biblioteca se oculta (x). Los intervalos son intervalos de Wilson al 95\u00a0%%.",
		"list_sep":      "; ",
		"group_n":       "%s (N = %s)",
		"your_answer":   "Su respuesta: %s",
		"your_value":    "Su valor: %s",
		"no_answer":     "sin respuesta",
		"yours_mark":    "su respuesta",
		"hidden_mark":   "x",
		"quartiles":     "mediana %s (cuartiles %s–%s), n = %s",
		"missing":       "Las más elegidas por sus pares, no por usted: %s.",
		"page":          "Página %d de %s",
		"sheet":         "Informe",
		"col_section":   "Sección",
		"col_question":  "Pregunta",
		"col_answer":    "Respuesta",
		"col_yours":     "Usted",
		"col_share":     "Proporción",
		"col_low":       "95\u00a0% inferior",
		"col_high":      "95\u00a0% superior",
		"col_q1":        "Q1",
		"col_median":    "Mediana",
		"col_q3":        "Q3",
		"col_n":         "N",
		"col_notes":     "Notas",
		"value":         "Valor",
		"options_n":     "Número de opciones elegidas",
		"missing_row":   "Las más elegidas por los pares, no por usted",
		"legend":        "Leyenda",
	},
}

// word is the static word key in lang, formatted with args when given.
func word(lang, key string, args ...any) string {
	words, ok := renderWords[lang]
	if !ok {
		words = renderWords["en"]
	}
	s, ok := words[key]
	if !ok {
		s = renderWords["en"][key]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// hiddenLegend explains the withheld mark, "x — " and the sentence the web
// page writes for a withheld figure (HiddenSentence), so that the page,
// the PDF and the workbook say the same.
func hiddenLegend(lang string) string {
	return word(lang, "hidden_mark") + " — " + HiddenSentence(lang)
}

// ruleText is the disclosure rule for k in lang, the noun in the singular
// for one library.
func ruleText(lang string, k int) string {
	if k == 1 {
		return word(lang, "rule_text_one", k)
	}
	return word(lang, "rule_text", k)
}

// joinList joins a list of answers the way lang punctuates a list: "a; b",
// "a ; b" in French (a narrow no-break space before the semicolon).
func joinList(lang string, items []string) string {
	return strings.Join(items, word(lang, "list_sep"))
}
