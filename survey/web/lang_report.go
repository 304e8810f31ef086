package web

import (
	"fmt"
	"maps"
)

// The "Your report" page's words, in each language the pages are written
// in; merged into uiText (a test checks every key is in every language).
var reportTexts = map[string]map[string]string{
	"en": {
		"report_title":        "How we compare",
		"report_for":          "The report of %s",
		"report_generated":    "Made on %s.",
		"report_groups":       "Compared with",
		"report_group_n":      "%s (N = %s)",
		"report_rule":         "Every peer figure comes from at least %s libraries; a figure from fewer, or one that would let a library's answer be worked out, is withheld (x). Ranges are 95%% intervals.",
		"report_your_answer":  "Your answer",
		"report_your_value":   "Your value",
		"report_no_answer":    "no answer",
		"report_yours_mark":   "your answer",
		"report_hidden_title": "withheld under the disclosure rules",
		"report_hidden_note":  "x: withheld under the disclosure rules (too few peers answered, or the figure would let one library's answer be worked out).",
		"report_missing":      "Chosen most by your peers, not by you: %s.",
		"report_answer":       "Answer",
		"report_statement":    "Statement",
		"report_group":        "Group",
		"report_median":       "Median",
		"report_quartiles":    "Quartiles",
		"report_peers_n":      "N",
		"report_download":     "Download this report",
		"report_pdf":          "PDF, to print or forward",
		"report_xlsx":         "Spreadsheet (XLSX)",
		"report_preview":      "Preview for the working group: the library reads this page through its own link once the reports are released.",
		"report_none_title":   "No report at this link",
		"report_none":         "There is no report at this link. Reports can be read once the section has released them, through the personal link of a library that answered the survey.",
		"report_ready_link":   "Your library's report is ready: how it compares with its peers.",
	},
	"fr": {
		"report_title":        "Comment nous nous situons",
		"report_for":          "Rapport\u00a0: %s",
		"report_generated":    "Établi le %s.",
		"report_groups":       "Comparaison avec",
		"report_group_n":      "%s (N\u00a0=\u00a0%s)",
		"report_rule":         "Chaque chiffre des pairs vient d’au moins %s bibliothèques\u202f; un chiffre qui vient de moins, ou qui permettrait de retrouver la réponse d’une bibliothèque, est masqué (x). Les fourchettes sont des intervalles à 95\u202f%%.",
		"report_your_answer":  "Votre réponse",
		"report_your_value":   "Votre valeur",
		"report_no_answer":    "pas de réponse",
		"report_yours_mark":   "votre réponse",
		"report_hidden_title": "masqué selon les règles de confidentialité",
		"report_hidden_note":  "x\u00a0: masqué selon les règles de confidentialité (trop peu de pairs ont répondu, ou le chiffre permettrait de retrouver la réponse d’une bibliothèque).",
		"report_missing":      "Les plus choisies par vos pairs, pas par vous\u00a0: %s.",
		"report_answer":       "Réponse",
		"report_statement":    "Énoncé",
		"report_group":        "Groupe",
		"report_median":       "Médiane",
		"report_quartiles":    "Quartiles",
		"report_peers_n":      "N",
		"report_download":     "Télécharger ce rapport",
		"report_pdf":          "PDF, à imprimer ou transmettre",
		"report_xlsx":         "Tableur (XLSX)",
		"report_preview":      "Aperçu pour le groupe de travail\u00a0: la bibliothèque lit cette page par son propre lien une fois les rapports publiés.",
		"report_none_title":   "Pas de rapport à ce lien",
		"report_none":         "Il n’y a pas de rapport à ce lien. Les rapports se lisent une fois publiés par la section, par le lien personnel d’une bibliothèque qui a répondu à l’enquête.",
		"report_ready_link":   "Le rapport de votre bibliothèque est prêt\u00a0: comment elle se situe par rapport à ses pairs.",
	},
	"es": {
		"report_title":        "Cómo nos comparamos",
		"report_for":          "El informe de %s",
		"report_generated":    "Elaborado el %s.",
		"report_groups":       "Comparación con",
		"report_group_n":      "%s (N = %s)",
		"report_rule":         "Cada cifra de los pares procede de al menos %s bibliotecas; una cifra que procede de menos, o que permitiría deducir la respuesta de una biblioteca, se oculta (x). Los rangos son intervalos al 95\u00a0%%.",
		"report_your_answer":  "Su respuesta",
		"report_your_value":   "Su valor",
		"report_no_answer":    "sin respuesta",
		"report_yours_mark":   "su respuesta",
		"report_hidden_title": "oculto según las reglas de confidencialidad",
		"report_hidden_note":  "x: oculto según las reglas de confidencialidad (demasiado pocos pares respondieron, o la cifra permitiría deducir la respuesta de una biblioteca).",
		"report_missing":      "Las más elegidas por sus pares, no por usted: %s.",
		"report_answer":       "Respuesta",
		"report_statement":    "Enunciado",
		"report_group":        "Grupo",
		"report_median":       "Mediana",
		"report_quartiles":    "Cuartiles",
		"report_peers_n":      "N",
		"report_download":     "Descargar este informe",
		"report_pdf":          "PDF, para imprimir o reenviar",
		"report_xlsx":         "Hoja de cálculo (XLSX)",
		"report_preview":      "Vista previa para el grupo de trabajo: la biblioteca lee esta página por su propio enlace cuando se publican los informes.",
		"report_none_title":   "No hay informe en este enlace",
		"report_none":         "No hay ningún informe en este enlace. Los informes se leen cuando la sección los publica, por el enlace personal de una biblioteca que respondió a la encuesta.",
		"report_ready_link":   "El informe de su biblioteca está listo: cómo se compara con sus pares.",
	},
}

func init() {
	for lang, texts := range reportTexts {
		maps.Copy(uiText[lang], texts)
	}
}

// reportText is the page text key in lang with args put in (as
// fmt.Sprintf: texts with no argument write %% for %).
func reportText(lang, key string, args ...any) string {
	return fmt.Sprintf(ui(lang, key), args...)
}
