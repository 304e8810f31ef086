package web

import (
	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/metlib/canvass/survey"
)

// uiLanguages are the languages the pages' own text is written in.
var uiLanguages = []string{"en", "fr", "es"}

// negotiateLanguage picks the page language: ?lang= (or the form's lang
// field) when the survey offers it, else the best match for Accept-Language,
// else the survey's default. With no survey, the UI languages are offered.
func negotiateLanguage(c *gin.Context, s *survey.Survey) string {
	offered, fallback := uiLanguages, "en"
	if s != nil {
		offered, fallback = s.Languages, s.DefaultLanguage
	}
	asked := []string{c.Query("lang")}
	if c.Request.Method == "POST" {
		asked = append(asked, c.PostForm("lang"))
	}
	for _, asked := range asked {
		for _, l := range offered {
			if asked != "" && asked == l {
				return l
			}
		}
	}
	if accept := c.GetHeader("Accept-Language"); accept != "" {
		tags := make([]language.Tag, 0, len(offered)+1)
		tags = append(tags, language.Make(fallback)) // the first tag is the matcher's default
		for _, l := range offered {
			tags = append(tags, language.Make(l))
		}
		desired, _, err := language.ParseAcceptLanguage(accept)
		if err == nil && len(desired) > 0 {
			_, index, conf := language.NewMatcher(tags).Match(desired...)
			if conf != language.No {
				if index == 0 {
					return fallback
				}
				return offered[index-1]
			}
		}
	}
	return fallback
}

// languageNames names each language in itself, for the language switcher.
var languageNames = map[string]string{
	"ar": "العربية", "de": "Deutsch", "en": "English", "es": "Español", "fr": "Français",
	"pt": "Português", "ru": "Русский", "zh": "中文", "it": "Italiano", "nl": "Nederlands",
}

func languageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// uiText holds the pages' own words in each UI language.
var uiText = map[string]map[string]string{
	"en": {
		"results_answer":           "Answer",
		"results_share":            "Share",
		"results_libraries":        "Libraries",
		"results_family":           "Family of evidence",
		"results_number_chosen":    "Number of answers chosen",
		"results_row":              "Item",
		"results_top_two":          "Top two points",
		"results_first":            "Ranked first",
		"results_column_base":      "Percentages in each column are of the libraries in that group that answered the question (n under the group's name).",
		"results_groups_withheld":  "Fewer than %d libraries answered in %s: not shown.",
		"results_groups_empty":     "No library in %s answered this question (it was not asked of them, or they did not answer).",
		"results_spearman":         "Spearman's rank correlation: ρ = %s (n = %s).",
		"results_q1":               "First quartile",
		"results_median":           "Median",
		"results_q3":               "Third quartile",
		"required":                 "required",
		"submit":                   "Submit",
		"other_specify":            "Please specify",
		"choose":                   "Choose…",
		"rank":                     "Rank",
		"no_rank":                  "—",
		"rank_help":                "Give 1 to the most important. Leave the others blank.",
		"errors_title":             "Some answers need attention",
		"language":                 "Language",
		"thanks_title":             "Thank you",
		"thanks_default":           "Your response has been recorded.",
		"closed_title":             "This survey is closed",
		"closed_text":              "This survey is not accepting responses at the moment.",
		"error_title":              "Something went wrong",
		"conflict_text":            "This form was already submitted with different answers. Reload the survey to answer again.",
		"csrf_text":                "Your session expired before you submitted. Your answers are still here: please submit again.",
		"unavailable":              "We could not save your answers just now. They are still here: please try again in a few seconds.",
		"surveys_title":            "Surveys",
		"surveys_none":             "No survey is open at the moment.",
		"required_note":            "Questions marked * are required.",
		"home":                     "All surveys",
		"libraries_title":          "Member libraries",
		"search":                   "Search",
		"region":                   "Region",
		"country":                  "Country",
		"country_help":             "Country as a two-letter code, such as FR or MX.",
		"libraries_count":          "libraries",
		"libraries_none":           "No library matches.",
		"city":                     "City",
		"type":                     "Type",
		"website":                  "Website",
		"restored":                 "Answers you had not sent yet were restored from this browser.",
		"results_intro":            "Findings from %s responding libraries.",
		"results_k":                "To protect respondents, a count under %d is shown as \"fewer than\" that number.",
		"results_base":             "Answered by %s libraries.",
		"results_withheld":         "Fewer than %d libraries answered: not shown.",
		"results_numbers":          "Quartiles: %s, %s (median), %s.",
		"results_scale":            "Mean %s; %s in the top two points.",
		"responses":                "responses",
		"fewer_than":               "fewer than %d",
		"unknown":                  "Not known",
		"countries_n":              "%d countries",
		"updated":                  "Updated",
		"save_later":               "Save and finish later",
		"saved":                    "Your answers are saved. Use the same personal link to come back and finish; nothing is sent until you press Submit.",
		"resumed":                  "Welcome back: here are the answers you saved.",
		"edit_after_submit":        "Your library has already answered. You can change the answers until the survey closes; press Submit to replace them.",
		"already_submitted":        "Your library has already answered this survey. Thank you.",
		"invitation_invalid_title": "This link does not work",
		"invitation_invalid":       "This personal link is not valid: it may have been replaced by a newer one or withdrawn. Please ask the section for a new link.",
	},
	"fr": {
		"results_answer":           "Réponse",
		"results_share":            "Part",
		"results_libraries":        "Bibliothèques",
		"results_family":           "Famille de preuves",
		"results_number_chosen":    "Nombre de réponses choisies",
		"results_row":              "Élément",
		"results_top_two":          "Deux niveaux les plus hauts",
		"results_first":            "Classé premier",
		"results_column_base":      "Dans chaque colonne, les pourcentages portent sur les bibliothèques du groupe ayant répondu à la question (n sous le nom du groupe).",
		"results_groups_withheld":  "Moins de %d bibliothèques ont répondu dans : %s ; non publié.",
		"results_groups_empty":     "Aucune bibliothèque de ce groupe n'a répondu à cette question (elle ne leur a pas été posée, ou elles n'y ont pas répondu) : %s.",
		"results_spearman":         "Corrélation des rangs de Spearman : ρ = %s (n = %s).",
		"results_q1":               "Premier quartile",
		"results_median":           "Médiane",
		"results_q3":               "Troisième quartile",
		"required":                 "obligatoire",
		"submit":                   "Envoyer",
		"other_specify":            "Veuillez préciser",
		"choose":                   "Choisir…",
		"rank":                     "Rang",
		"no_rank":                  "—",
		"rank_help":                "Donnez 1 au plus important. Laissez les autres vides.",
		"errors_title":             "Certaines réponses sont à revoir",
		"language":                 "Langue",
		"thanks_title":             "Merci",
		"thanks_default":           "Votre réponse a été enregistrée.",
		"closed_title":             "Cette enquête est fermée",
		"closed_text":              "Cette enquête n'accepte pas de réponses pour le moment.",
		"error_title":              "Une erreur s'est produite",
		"conflict_text":            "Ce formulaire a déjà été envoyé avec d'autres réponses. Rechargez l'enquête pour répondre à nouveau.",
		"csrf_text":                "Votre session a expiré avant l'envoi. Vos réponses sont conservées : veuillez les envoyer à nouveau.",
		"unavailable":              "Nous n'avons pas pu enregistrer vos réponses pour l'instant. Elles sont conservées : réessayez dans quelques secondes.",
		"surveys_title":            "Enquêtes",
		"surveys_none":             "Aucune enquête n'est ouverte pour le moment.",
		"required_note":            "Les questions marquées d'un * sont obligatoires.",
		"home":                     "Toutes les enquêtes",
		"libraries_title":          "Bibliothèques membres",
		"search":                   "Rechercher",
		"region":                   "Région",
		"country":                  "Pays",
		"country_help":             "Le pays en code à deux lettres, comme FR ou MX.",
		"libraries_count":          "bibliothèques",
		"libraries_none":           "Aucune bibliothèque ne correspond.",
		"city":                     "Ville",
		"type":                     "Type",
		"website":                  "Site web",
		"restored":                 "Les réponses que vous n'aviez pas encore envoyées ont été restaurées depuis ce navigateur.",
		"results_intro":            "Résultats de %s bibliothèques ayant répondu.",
		"results_k":                "Pour protéger les répondants, un effectif inférieur à %d est indiqué « moins de » ce nombre.",
		"results_base":             "%s bibliothèques ont répondu.",
		"results_withheld":         "Moins de %d bibliothèques ont répondu : non publié.",
		"results_numbers":          "Quartiles : %s, %s (médiane), %s.",
		"results_scale":            "Moyenne %s ; %s dans les deux niveaux les plus hauts.",
		"responses":                "réponses",
		"fewer_than":               "moins de %d",
		"unknown":                  "Non connu",
		"countries_n":              "%d pays",
		"updated":                  "Mis à jour le",
		"save_later":               "Enregistrer et terminer plus tard",
		"saved":                    "Vos réponses sont enregistrées. Revenez par le même lien personnel pour terminer ; rien n'est envoyé avant que vous cliquiez sur Envoyer.",
		"resumed":                  "Bon retour : voici les réponses que vous aviez enregistrées.",
		"edit_after_submit":        "Votre bibliothèque a déjà répondu. Vous pouvez modifier les réponses jusqu'à la clôture de l'enquête ; cliquez sur Envoyer pour les remplacer.",
		"already_submitted":        "Votre bibliothèque a déjà répondu à cette enquête. Merci.",
		"invitation_invalid_title": "Ce lien ne fonctionne pas",
		"invitation_invalid":       "Ce lien personnel n'est pas valide : il a peut-être été remplacé ou retiré. Demandez un nouveau lien à la section.",
	},
	"es": {
		"results_answer":           "Respuesta",
		"results_share":            "Porcentaje",
		"results_libraries":        "Bibliotecas",
		"results_family":           "Familia de evidencias",
		"results_number_chosen":    "Número de respuestas elegidas",
		"results_row":              "Elemento",
		"results_top_two":          "Dos niveles más altos",
		"results_first":            "En primer puesto",
		"results_column_base":      "En cada columna, los porcentajes son sobre las bibliotecas del grupo que respondieron a la pregunta (n bajo el nombre del grupo).",
		"results_groups_withheld":  "Respondieron menos de %d bibliotecas en: %s; no se publica.",
		"results_groups_empty":     "Ninguna biblioteca de este grupo respondió a esta pregunta (no se les formuló o no respondieron): %s.",
		"results_spearman":         "Correlación de rangos de Spearman: ρ = %s (n = %s).",
		"results_q1":               "Primer cuartil",
		"results_median":           "Mediana",
		"results_q3":               "Tercer cuartil",
		"required":                 "obligatoria",
		"submit":                   "Enviar",
		"other_specify":            "Especifique",
		"choose":                   "Elegir…",
		"rank":                     "Puesto",
		"no_rank":                  "—",
		"rank_help":                "Dé el 1 a la más importante. Deje las demás en blanco.",
		"errors_title":             "Algunas respuestas necesitan revisión",
		"language":                 "Idioma",
		"thanks_title":             "Gracias",
		"thanks_default":           "Su respuesta ha quedado registrada.",
		"closed_title":             "Esta encuesta está cerrada",
		"closed_text":              "Esta encuesta no acepta respuestas en este momento.",
		"error_title":              "Se ha producido un error",
		"conflict_text":            "Este formulario ya se envió con otras respuestas. Vuelva a cargar la encuesta para responder de nuevo.",
		"csrf_text":                "Su sesión caducó antes del envío. Sus respuestas siguen aquí: envíelas de nuevo.",
		"unavailable":              "No hemos podido guardar sus respuestas ahora. Siguen aquí: inténtelo de nuevo en unos segundos.",
		"surveys_title":            "Encuestas",
		"surveys_none":             "No hay ninguna encuesta abierta en este momento.",
		"required_note":            "Las preguntas marcadas con * son obligatorias.",
		"home":                     "Todas las encuestas",
		"libraries_title":          "Bibliotecas miembros",
		"search":                   "Buscar",
		"region":                   "Región",
		"country":                  "País",
		"country_help":             "El país con un código de dos letras, como FR o MX.",
		"libraries_count":          "bibliotecas",
		"libraries_none":           "Ninguna biblioteca coincide.",
		"city":                     "Ciudad",
		"type":                     "Tipo",
		"website":                  "Sitio web",
		"restored":                 "Se han restaurado desde este navegador las respuestas que aún no había enviado.",
		"results_intro":            "Resultados de %s bibliotecas que respondieron.",
		"results_k":                "Para proteger a quienes respondieron, un recuento inferior a %d se indica como «menos de» ese número.",
		"results_base":             "Respondieron %s bibliotecas.",
		"results_withheld":         "Respondieron menos de %d bibliotecas: no se publica.",
		"results_numbers":          "Cuartiles: %s, %s (mediana), %s.",
		"results_scale":            "Media %s; %s en los dos niveles más altos.",
		"responses":                "respuestas",
		"fewer_than":               "menos de %d",
		"unknown":                  "No se sabe",
		"countries_n":              "%d países",
		"updated":                  "Actualizado el",
		"save_later":               "Guardar y terminar más tarde",
		"saved":                    "Sus respuestas están guardadas. Vuelva con el mismo enlace personal para terminar; no se envía nada hasta que pulse Enviar.",
		"resumed":                  "Bienvenido de nuevo: estas son las respuestas que guardó.",
		"edit_after_submit":        "Su biblioteca ya ha respondido. Puede cambiar las respuestas hasta que se cierre la encuesta; pulse Enviar para reemplazarlas.",
		"already_submitted":        "Su biblioteca ya ha respondido a esta encuesta. Gracias.",
		"invitation_invalid_title": "Este enlace no funciona",
		"invitation_invalid":       "Este enlace personal no es válido: puede haber sido sustituido o retirado. Pida un nuevo enlace a la sección.",
	},
}

// ui returns a UI string in lang, falling back to English.
func ui(lang, key string) string {
	if t, ok := uiText[lang][key]; ok {
		return t
	}
	return uiText["en"][key]
}
