package feedback

import (
	"fmt"

	"github.com/metlib/canvass/survey"
)

// messages are the words a report writes itself (group labels, notes,
// bands), in the languages reports are written in; another language falls
// back to English. Arguments are already formatted for the language.
var messages = map[string]map[string]string{
	"en": {
		"all":             "All respondents",
		"members":         "Members of the section",
		"nonmembers":      "Non-members",
		"pop_under":       "Population under %s",
		"pop_between":     "Population %s to under %s",
		"pop_over":        "Population %s and over",
		"no_answer":       "No answer",
		"indicators":      "Indicators",
		"maturity":        "Families of evidence drawn on (ISO 16439)",
		"note_count":      "You chose %s of the %s options; the median peer (%s) chose %s.",
		"note_count_self": "You chose %s of the %s options.",
		"note_maturity":   "Your practice draws on %s of the %s families of evidence.",
		"band_top":        "in the top quarter of “%s”",
		"band_upper":      "in the upper middle of “%s”",
		"band_lower":      "in the lower middle of “%s”",
		"band_bottom":     "in the bottom quarter of “%s”",
		"note_population": "The library directory gives your population served as %s: your population group is drawn from that figure.",
		"merged":          "Your group “%s” cannot be shown without revealing other libraries' answers (too few respondents in it, or too few outside it): you are compared with “%s” instead.",
		"too_few":         "Fewer than %s other libraries have answered, so no peer figures can be shown yet.",
		"hidden":          "Withheld: too few libraries to show without revealing another library's answers.",
	},
	"fr": {
		"all":             "Ensemble des répondants",
		"members":         "Membres de la section",
		"nonmembers":      "Non-membres",
		"pop_under":       "Population de moins de %s",
		"pop_between":     "Population de %s à moins de %s",
		"pop_over":        "Population de %s et plus",
		"no_answer":       "Sans réponse",
		"indicators":      "Indicateurs",
		"maturity":        "Familles de preuves mobilisées (ISO 16439)",
		"note_count":      "Vous avez choisi %s des %s options\u202f; la bibliothèque médiane (%s) en a choisi %s.",
		"note_count_self": "Vous avez choisi %s des %s options.",
		"note_maturity":   "Votre pratique mobilise %s des %s familles de preuves.",
		"band_top":        "dans le quart supérieur de «\u00a0%s\u00a0»",
		"band_upper":      "dans la moitié haute, sous le quart supérieur, de «\u00a0%s\u00a0»",
		"band_lower":      "dans la moitié basse, au-dessus du quart inférieur, de «\u00a0%s\u00a0»",
		"band_bottom":     "dans le quart inférieur de «\u00a0%s\u00a0»",
		"note_population": "L'annuaire des bibliothèques indique une population desservie de %s\u00a0: votre groupe de population est établi d'après ce chiffre.",
		"merged":          "Votre groupe «\u00a0%s\u00a0» ne peut être montré sans révéler les réponses d'autres bibliothèques (trop peu de répondants en font partie, ou trop peu n'en font pas partie)\u00a0: vous êtes comparés à «\u00a0%s\u00a0».",
		"too_few":         "Moins de %s autres bibliothèques ont répondu\u00a0: aucun chiffre de comparaison ne peut encore être montré.",
		"hidden":          "Non publié\u00a0: trop peu de bibliothèques pour le montrer sans révéler les réponses d'une autre.",
	},
	"es": {
		"all":             "Todas las bibliotecas participantes",
		"members":         "Miembros de la sección",
		"nonmembers":      "No miembros",
		"pop_under":       "Población de menos de %s",
		"pop_between":     "Población de %s a menos de %s",
		"pop_over":        "Población de %s o más",
		"no_answer":       "Sin respuesta",
		"indicators":      "Indicadores",
		"maturity":        "Familias de evidencias utilizadas (ISO 16439)",
		"note_count":      "Eligió %s de las %s opciones; la biblioteca mediana (%s) eligió %s.",
		"note_count_self": "Eligió %s de las %s opciones.",
		"note_maturity":   "Su práctica recurre a %s de las %s familias de evidencias.",
		"band_top":        "en el cuartil superior de «%s»",
		"band_upper":      "en la mitad superior, por debajo del cuartil superior, de «%s»",
		"band_lower":      "en la mitad inferior, por encima del cuartil inferior, de «%s»",
		"band_bottom":     "en el cuartil inferior de «%s»",
		"note_population": "El directorio de bibliotecas indica una población atendida de %s: su grupo de población se establece a partir de esa cifra.",
		"merged":          "Su grupo «%s» no puede mostrarse sin revelar las respuestas de otras bibliotecas (muy pocas participantes pertenecen a él, o muy pocas no pertenecen): se le compara con «%s».",
		"too_few":         "Han respondido menos de %s bibliotecas más, así que aún no se pueden mostrar cifras de comparación.",
		"hidden":          "No publicado: muy pocas bibliotecas para mostrarlo sin revelar las respuestas de otra.",
	},
}

// Languages are the languages reports write their own words in.
var Languages = []string{"en", "fr", "es"}

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

// MergedSentence says, in lang, that a peer group was too small and which
// group was used instead.
func MergedSentence(lang string, m MergedGroup) string {
	return message(lang, "merged", m.Label, m.Into)
}

// TooFewSentence says, in lang, that too few libraries have answered for
// any peer figure (fewer than k other than the library).
func TooFewSentence(lang string, k int) string {
	return message(lang, "too_few", survey.FormatInt(lang, k))
}

// HiddenSentence explains, in lang, a figure the disclosure rules withheld.
func HiddenSentence(lang string) string { return message(lang, "hidden") }

// bandOf is the index of the band of edges that v falls in: 0 under the
// first edge, len(edges) at or over the last.
func bandOf(edges []float64, v float64) int {
	i := 0
	for i < len(edges) && v >= edges[i] {
		i++
	}
	return i
}

// populationLabel names population band i of edges in lang.
func populationLabel(lang string, edges []float64, i int) string {
	switch {
	case i == 0:
		return message(lang, "pop_under", survey.FormatEdge(lang, edges[0]))
	case i == len(edges):
		return message(lang, "pop_over", survey.FormatEdge(lang, edges[i-1]))
	}
	return message(lang, "pop_between", survey.FormatEdge(lang, edges[i-1]), survey.FormatEdge(lang, edges[i]))
}
