package export

import (
	"fmt"
	"time"

	"github.com/metlib/canvass/survey"
)

// The white paper's own words (headers, bases, notes, the source line) in
// each language Canvass ships; the survey's labels come translated in the
// report. A workbook in French must not carry English scaffolding: the
// section publishes it under its name.
var paperWords = map[string]map[string]string{
	"en": {
		"trends":                   "Trends across waves",
		"trend":                    "Trend %d",
		"waves":                    "Waves",
		"wave":                     "Wave",
		"trend_base":               "Percentages of the respondents who answered the question in each wave; each wave's figures as its own tables give them.",
		"answered_n":               "Answered (n)",
		"trend_not_asked":          "not asked",
		"trend_blank":              "An empty cell in the first table is a wave that did not ask the question or offer the answer, or a figure not shown; the table below says which.",
		"trend_earlier_unfiltered": "The filters on answers and dates apply to the last wave only; the earlier waves are each wave's responses in the same regions and languages.",
		"trend_source":             "Source: %s, waves %s. Canvass, %s.",
		"empty_groups":             "No respondent in %s answered the question (no column or row).",
		"ranked_n":                 "Ranked it (n)",
		"mean_rank":                "Mean rank",
		"first_n":                  "Ranked first (n)",
		"first_pct":                "Ranked first (%)",
		"contents":                 "Contents",
		"table":                    "Table %d",
		"survey":                   "Survey",
		"survey_version":           "%s, version %d",
		"generated":                "Generated",
		"filters":                  "Filters",
		"no_filters":               "none (all submitted responses)",
		"responses":                "Responses",
		"percentages":              "Percentages",
		"percentages_text":         "of respondents who answered each question; intervals are 95% Wilson score intervals",
		"tables":                   "Tables",
		"base":                     "Base: asked of %s respondents, answered by %s.",
		"answer":                   "Answer",
		"respondents_n":            "Respondents (n)",
		"ci_low":                   "95% CI low",
		"ci_high":                  "95% CI high",
		"mentions":                 "% of mentions",
		"total_n":                  "Total (n)",
		"answering":                "Respondents answering (n)",
		"column_base":              "Percentages in each column are of that column's respondents who answered (the n of the \"Respondents answering\" row).",
		"not_asked":                "Not asked of: %s (no column).",
		"test":                     "Test",
		"chi_square":               "Pearson chi-square test of independence",
		"chi_square_row":           "Chi-square test, %s (chosen or not) by group",
		"cramers_v":                "Cramér's V",
		"fisher":                   "Fisher's exact p",
		"family":                   "Evidence family",
		"number_chosen":            "Number chosen",
		"statistic":                "Statistic",
		"value":                    "Value",
		"mean":                     "Mean",
		"sd":                       "SD",
		"median":                   "Median",
		"minimum":                  "Minimum",
		"maximum":                  "Maximum",
		"outliers":                 "Outliers",
		"top_two":                  "Top two (%)",
		"group":                    "Group",
		"row":                      "Row",
		"for_coding":               "Answers (for coding)",
		"nothing":                  "No answers to summarize.",
		"correlation":              "Correlation",
		"spearman":                 "Spearman's rank correlation",
		"note":                     "Note: %s",
		"hidden":                   "%s marks a count that is not shown: counts below %d, and counts that would let one of them be worked out, are withheld with their percentages, to protect respondents.",
		"stats_withheld":           "Means, SDs, medians and quartiles are given only for at least %d answers, and only where no count they depend on is withheld (empty cells).",
		"tests_withheld":           "No test of independence is given for a table with withheld counts: its statistic would give them back.",
		"table_withheld":           "Fewer than %d respondents answered this question: the table is not shown, to protect them.",
		"undefined":                "– marks a statistic that is undefined for its base (n).",
		"source":                   "Source: %s, %s responses. Canvass, %s.",
	},
	"fr": {
		"trends":                   "Évolution d'une vague à l'autre",
		"trend":                    "Évolution %d",
		"waves":                    "Vagues",
		"wave":                     "Vague",
		"trend_base":               "Pourcentages des répondants ayant répondu à la question à chaque vague ; les chiffres de chaque vague sont ceux de ses propres tableaux.",
		"answered_n":               "Ont répondu (n)",
		"trend_not_asked":          "question non posée",
		"trend_blank":              "Une cellule vide du premier tableau est une vague qui n'a pas posé la question ou proposé la réponse, ou un chiffre non publié ; le tableau suivant précise lequel.",
		"trend_earlier_unfiltered": "Les filtres sur les réponses et les dates ne portent que sur la dernière vague ; les vagues précédentes comptent les réponses des mêmes régions et langues.",
		"trend_source":             "Source : %s, vagues %s. Canvass, %s.",
		"empty_groups":             "Aucun répondant de ce groupe n'a répondu : %s (ni colonne ni ligne).",
		"ranked_n":                 "L'ont classé (n)",
		"mean_rank":                "Rang moyen",
		"first_n":                  "Classé premier (n)",
		"first_pct":                "Classé premier (%)",
		"contents":                 "Sommaire",
		"table":                    "Tableau %d",
		"survey":                   "Enquête",
		"survey_version":           "%s, version %d",
		"generated":                "Produit le",
		"filters":                  "Filtres",
		"no_filters":               "aucun (toutes les réponses envoyées)",
		"responses":                "Réponses",
		"percentages":              "Pourcentages",
		"percentages_text":         "des répondants ayant répondu à chaque question ; intervalles de confiance de Wilson à 95 %",
		"tables":                   "Tableaux",
		"base":                     "Base : question posée à %s répondants, %s ont répondu.",
		"answer":                   "Réponse",
		"respondents_n":            "Répondants (n)",
		"ci_low":                   "IC à 95 %, borne basse",
		"ci_high":                  "IC à 95 %, borne haute",
		"mentions":                 "% des mentions",
		"total_n":                  "Total (n)",
		"answering":                "Répondants ayant répondu (n)",
		"column_base":              "Dans chaque colonne, les pourcentages portent sur les répondants de la colonne ayant répondu (le n de la ligne « Répondants ayant répondu »).",
		"not_asked":                "Question non posée : %s (pas de colonne).",
		"test":                     "Test",
		"chi_square":               "Test d'indépendance du khi deux de Pearson",
		"chi_square_row":           "Test du khi deux, %s (choisi ou non) selon le groupe",
		"cramers_v":                "V de Cramér",
		"fisher":                   "p exact de Fisher",
		"family":                   "Famille de preuves",
		"number_chosen":            "Nombre de choix",
		"statistic":                "Statistique",
		"value":                    "Valeur",
		"mean":                     "Moyenne",
		"sd":                       "Écart type",
		"median":                   "Médiane",
		"minimum":                  "Minimum",
		"maximum":                  "Maximum",
		"outliers":                 "Valeurs atypiques",
		"top_two":                  "Deux niveaux supérieurs (%)",
		"group":                    "Groupe",
		"row":                      "Ligne",
		"for_coding":               "Réponses (à coder)",
		"nothing":                  "Aucune réponse à résumer.",
		"correlation":              "Corrélation",
		"spearman":                 "Corrélation des rangs de Spearman",
		"note":                     "Note : %s",
		"hidden":                   "%s : effectif non publié. Les effectifs inférieurs à %d, et ceux qui permettraient d'en retrouver un, ne sont pas publiés, ni leurs pourcentages, pour protéger les répondants.",
		"stats_withheld":           "Moyennes, écarts types, médianes et quartiles ne sont donnés qu'à partir de %d réponses, et seulement si aucun effectif dont ils dépendent n'est masqué (cellules vides).",
		"tests_withheld":           "Aucun test d'indépendance n'est donné pour un tableau dont des effectifs sont masqués : sa statistique permettrait de les retrouver.",
		"table_withheld":           "Moins de %d répondants ont répondu à cette question : le tableau n'est pas publié, pour les protéger.",
		"undefined":                "– : statistique non définie pour son effectif (n).",
		"source":                   "Source : %s, %s réponses. Canvass, %s.",
	},
	"es": {
		"trends":                   "Evolución entre oleadas",
		"trend":                    "Evolución %d",
		"waves":                    "Oleadas",
		"wave":                     "Oleada",
		"trend_base":               "Porcentajes sobre quienes respondieron a la pregunta en cada oleada; las cifras de cada oleada son las de sus propias tablas.",
		"answered_n":               "Respondieron (n)",
		"trend_not_asked":          "pregunta no formulada",
		"trend_blank":              "Una celda vacía de la primera tabla es una oleada que no formuló la pregunta ni ofreció la respuesta, o una cifra no publicada; la tabla siguiente indica cuál.",
		"trend_earlier_unfiltered": "Los filtros de respuestas y fechas solo se aplican a la última oleada; las oleadas anteriores cuentan las respuestas de las mismas regiones e idiomas.",
		"trend_source":             "Fuente: %s, oleadas %s. Canvass, %s.",
		"empty_groups":             "Nadie de este grupo respondió a la pregunta: %s (sin columna ni fila).",
		"ranked_n":                 "La clasificaron (n)",
		"mean_rank":                "Puesto medio",
		"first_n":                  "En primer puesto (n)",
		"first_pct":                "En primer puesto (%)",
		"contents":                 "Índice",
		"table":                    "Tabla %d",
		"survey":                   "Encuesta",
		"survey_version":           "%s, versión %d",
		"generated":                "Generado el",
		"filters":                  "Filtros",
		"no_filters":               "ninguno (todas las respuestas enviadas)",
		"responses":                "Respuestas",
		"percentages":              "Porcentajes",
		"percentages_text":         "sobre quienes respondieron a cada pregunta; intervalos de confianza de Wilson al 95 %",
		"tables":                   "Tablas",
		"base":                     "Base: pregunta formulada a %s personas, respondida por %s.",
		"answer":                   "Respuesta",
		"respondents_n":            "Personas (n)",
		"ci_low":                   "IC al 95 %, límite inferior",
		"ci_high":                  "IC al 95 %, límite superior",
		"mentions":                 "% de las menciones",
		"total_n":                  "Total (n)",
		"answering":                "Personas que respondieron (n)",
		"column_base":              "En cada columna, los porcentajes son sobre quienes respondieron en esa columna (la n de la fila «Personas que respondieron»).",
		"not_asked":                "Pregunta no formulada a: %s (sin columna).",
		"test":                     "Prueba",
		"chi_square":               "Prueba de independencia ji cuadrado de Pearson",
		"chi_square_row":           "Prueba ji cuadrado, %s (elegida o no) por grupo",
		"cramers_v":                "V de Cramér",
		"fisher":                   "p exacta de Fisher",
		"family":                   "Familia de evidencias",
		"number_chosen":            "Número de opciones elegidas",
		"statistic":                "Estadístico",
		"value":                    "Valor",
		"mean":                     "Media",
		"sd":                       "Desviación típica",
		"median":                   "Mediana",
		"minimum":                  "Mínimo",
		"maximum":                  "Máximo",
		"outliers":                 "Valores atípicos",
		"top_two":                  "Dos niveles superiores (%)",
		"group":                    "Grupo",
		"row":                      "Fila",
		"for_coding":               "Respuestas (para codificar)",
		"nothing":                  "No hay respuestas que resumir.",
		"correlation":              "Correlación",
		"spearman":                 "Correlación de rangos de Spearman",
		"note":                     "Nota: %s",
		"hidden":                   "%s: recuento no publicado. Los recuentos inferiores a %d, y los que permitirían deducir alguno de ellos, no se publican, ni sus porcentajes, para proteger a quienes respondieron.",
		"stats_withheld":           "Medias, desviaciones típicas, medianas y cuartiles solo se dan a partir de %d respuestas, y solo si no se oculta ningún recuento del que dependan (celdas vacías).",
		"tests_withheld":           "No se da ninguna prueba de independencia para una tabla con recuentos ocultos: su estadístico permitiría deducirlos.",
		"table_withheld":           "Menos de %d personas respondieron a esta pregunta: la tabla no se publica, para protegerlas.",
		"undefined":                "–: estadístico no definido para su base (n).",
		"source":                   "Fuente: %s, %s respuestas. Canvass, %s.",
	},
}

// words picks the white paper's words for a language (English when the
// language is not one Canvass ships).
type words struct {
	lang string
	m    map[string]string
}

func wordsFor(lang string) words {
	if m, ok := paperWords[lang]; ok {
		return words{lang, m}
	}
	return words{"en", paperWords["en"]}
}

// get returns the word for key, formatted with args when it has verbs.
func (w words) get(key string, args ...any) string {
	s, ok := w.m[key]
	if !ok {
		s = paperWords["en"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// int writes a count for a reader, grouped as the language groups digits.
func (w words) int(n int) string { return survey.FormatInt(w.lang, n) }

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
}

// date writes a day as the language writes it in running text:
// "1 December 2026", "1 décembre 2026" (1er for the first), "1 de diciembre de 2026".
func (w words) date(t time.Time) string {
	t = t.UTC()
	month := monthNames[w.lang][t.Month()-1]
	switch w.lang {
	case "fr":
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, month, t.Year())
	case "es":
		return fmt.Sprintf("%d de %s de %d", t.Day(), month, t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
}
