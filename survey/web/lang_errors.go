package web

import (
	"errors"
	"fmt"

	"github.com/metlib/canvass/survey"
)

// errorTexts translates the messages of errors that carry a Key
// (survey.KeyedErrorf): the bad filters and groupings of the results pages,
// and the errors a respondent or visitor meets on the public pages (no
// such survey or address, a method not allowed, a body too large, too many
// requests, an expired form).
// English is the error's own Message, which the API returns unchanged; the
// translations take the same arguments in the same order (%[n]s where one
// is left out or moved).
var errorTexts = map[string]map[string]string{
	"fr": {
		"filter_status":          "Le statut doit être «\u00a0draft\u00a0» (brouillon) ou «\u00a0submitted\u00a0» (envoyée).",
		"filter_region":          "Région inconnue\u00a0: «\u00a0%s\u00a0».",
		"filter_date":            "%s\u00a0: «\u00a0%s\u00a0» n’est pas une date comme 2026-03-01.",
		"filter_answer":          "answer=«\u00a0%s\u00a0»\u00a0: écrivez QUESTION:VALEUR.",
		"filter_answer_question": "answer=%[1]s:…\u00a0: l’enquête n’a pas de question «\u00a0%[2]s\u00a0».",
		"filter_submitted_only":  "status=%s\u00a0: les analyses et les rapports portent sur les réponses envoyées seulement.",
		"by_unknown":             "Impossible de regrouper par «\u00a0%s\u00a0»\u00a0: choisissez la région, la langue ou une question de l’enquête.",
		"by_type":                "Impossible de regrouper par «\u00a0%[1]s\u00a0»\u00a0: regroupez par la région, la langue ou une question à choix unique, une échelle de Likert, un pays ou un nombre.",
		"by_bands":               "Regrouper par la question numérique «\u00a0%s\u00a0» demande des tranches (bands=10,100).",
		"bands_order":            "Tranches\u00a0: chacune doit dépasser la précédente\u202f; %s vient après %s.",
		"bands_number":           "Tranches\u00a0: «\u00a0%s\u00a0» n’est pas un nombre.",
		"no_survey":              "Il n’y a pas d’enquête «\u00a0%s\u00a0».",
		"not_found":              "Il n’y a rien à cette adresse.",
		"method_not_allowed":     "Cette méthode n’est pas autorisée ici.",
		"too_large":              "La requête dépasse %d octets.",
		"rate_limited":           "Trop de requêtes depuis votre adresse\u202f; patientez un instant puis réessayez.",
		"form_expired":           "Le formulaire avait expiré. Revenez en arrière, rechargez la page et réessayez.",
	},
	"es": {
		"filter_status":          "El estado debe ser «draft» (borrador) o «submitted» (enviada).",
		"filter_region":          "Región desconocida: «%s».",
		"filter_date":            "%s: «%s» no es una fecha como 2026-03-01.",
		"filter_answer":          "answer=«%s»: escriba PREGUNTA:VALOR.",
		"filter_answer_question": "answer=%[1]s:…: la encuesta no tiene la pregunta «%[2]s».",
		"filter_submitted_only":  "status=%s: los análisis y los informes son solo de respuestas enviadas.",
		"by_unknown":             "No se puede agrupar por «%s»: elija la región, el idioma o una pregunta de la encuesta.",
		"by_type":                "No se puede agrupar por «%[1]s»: agrupe por la región, el idioma o una pregunta de opción única, de escala Likert, de país o numérica.",
		"by_bands":               "Agrupar por la pregunta numérica «%s» requiere tramos (bands=10,100).",
		"bands_order":            "Tramos: cada uno debe ser mayor que el anterior; %s viene después de %s.",
		"bands_number":           "Tramos: «%s» no es un número.",
		"no_survey":              "No hay ninguna encuesta «%s».",
		"not_found":              "No hay nada en esta dirección.",
		"method_not_allowed":     "Este método no está permitido aquí.",
		"too_large":              "La solicitud supera los %d bytes.",
		"rate_limited":           "Demasiadas solicitudes desde su dirección; espere un momento y vuelva a intentarlo.",
		"form_expired":           "El formulario había caducado. Vuelva atrás, recargue la página e inténtelo de nuevo.",
	},
}

// errorText is err's message in lang: the translation of its Key when lang
// has one, else the English message (survey.ErrorMessage).
func errorText(lang string, err error) string {
	var e *survey.Error
	if errors.As(err, &e) && e.Key != "" {
		if t, ok := errorTexts[lang][e.Key]; ok {
			return fmt.Sprintf(t, e.Args...)
		}
	}
	return survey.ErrorMessage(err)
}
