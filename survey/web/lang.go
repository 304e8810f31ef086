package web

import (
	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"strings"

	"github.com/metlib/canvass/survey"
)

// uiLanguages are the languages the pages' own text is written in.
var uiLanguages = []string{"en", "fr", "es"}

// formLangKey holds the lang field of a form the handler has read
// (setFormLanguage).
const formLangKey = "form_lang"

// negotiateLanguage picks the page language: ?lang= (or the lang field of a
// form the handler read, setFormLanguage) when the survey offers it, else
// the best match for Accept-Language, else the survey's default. With no
// survey, the UI languages are offered. It never reads the body: error
// pages (a 413, a 429, a 404) are rendered before or instead of reading it,
// and must not read it to find a language.
func negotiateLanguage(c *gin.Context, s *survey.Survey) string {
	offered, fallback := uiLanguages, "en"
	if s != nil {
		offered, fallback = s.Languages, s.DefaultLanguage
	}
	asked := []string{c.Query("lang"), c.GetString(formLangKey)}
	for _, asked := range asked {
		// As a visitor writes it: any case, with a region (fr-CA, FR).
		primary, _, _ := strings.Cut(strings.ReplaceAll(asked, "_", "-"), "-")
		for _, want := range []string{asked, primary} {
			for _, l := range offered {
				if want != "" && strings.EqualFold(want, l) {
					return l
				}
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

// setFormLanguage records the lang field of the form the handler has read
// (the respondent form's hidden field), for negotiateLanguage.
func setFormLanguage(c *gin.Context, lang string) {
	c.Set(formLangKey, lang)
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

// languageIn names a language code in the language lang (CLDR's names, as
// the report tables' own language groups read: "anglais" in French), or
// gives the code back when it names no language.
func languageIn(lang, code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := display.Languages(language.Make(lang)).Name(tag); n != "" {
		return n
	}
	return code
}

// uiText holds the pages' own words in each UI language.
var uiText = map[string]map[string]string{
	"en": {
		"nav_label":                "Working group",
		"nav_surveys":              "Surveys",
		"nav_libraries":            "Libraries",
		"nav_users":                "Users",
		"nav_tokens":               "API tokens",
		"nav_audit":                "Audit log",
		"nav_sign_out":             "Sign out",
		"dash_title":               "Results: %s",
		"demo_banner_invitations":  "Demo data: %s of these %s invitations (to libraries marked demo) and %s of the %s responses were made up by canvass demo. They are counted on this page, never on a public page, count or embed. An administrator of the server removes them all at once with canvass demo --remove.",
		"demo_banner":              "Demo data: %s of the %s submitted responses were made up by canvass demo. They are counted on these pages, never on a public page, count or embed. An administrator of the server removes them all at once with canvass demo --remove.",
		"demo_banner_libraries":    "Demo data: %s libraries of the directory were made up by canvass demo (marked demo). No public page lists them. An administrator of the server removes them all at once with canvass demo --remove.",
		"dash_back":                "Back to the survey",
		"dash_download":            "Download the white-paper tables (Excel)",
		"dash_full_counts":         "with small counts shown",
		"dash_paper_all":           "every response: a filtered one, beside the public figures, would give small counts away",
		"dash_published":           "Published %s at",
		"dash_published_rules":     "The report tables, aggregates only and disclosed (counts under %[1]d, and counts that would let one be worked out, shown as x), no free text. Each table can be embedded at",
		"dash_unpublished":         "Not published. Publishing puts the report tables (aggregates only, counts under %[1]d and counts that would let one be worked out shown as x, no free text) at /results/%[3]s, in the survey's languages.",
		"dash_withdraw":            "Withdraw the public results",
		"dash_figures_at":          "The public figures (the results page, counts.json, the badge and the widget) were last taken",
		"dash_figures_over":        ", over %s responses (canvass demo's left out).",
		"dash_figures_pending":     "They are taken again once %s more responses have arrived or been deleted, when the survey gets a new version, or when the results are published. They move in steps of %d responses so that nobody can read one library's answers by comparing two versions of a page.",
		"dash_figures_due":         "Enough responses have arrived or been deleted since: the next visit to a public page takes them again.",
		"dash_figures_none":        "The public figures have not been taken yet: the first visit to a public page, or publishing the results, takes them.",
		"dash_figures_warning":     "Taking the public figures now, when fewer than %d responses have arrived since they were last taken, may reveal those last few responses' answers to anyone comparing the pages before and after. They are otherwise taken again every %d responses.",
		"dash_figures_refresh":     "Take the public figures now",
		"dash_publish":             "Publish the results",
		"dash_filters":             "Filter and group the results",
		"dash_group_by":            "Group by",
		"dash_own_grouping":        "(each table's own)",
		"dash_any":                 "Any",
		"dash_from":                "Submitted from",
		"dash_to":                  "to (UTC days)",
		"dash_apply":               "Apply",
		"dash_responses":           "submitted responses. Percentages are of respondents who answered; intervals are 95% Wilson score intervals.",
		"dash_table":               "Table %d. %s",
		"dash_base":                "Asked of %s, answered by %s.",
		"dash_ci":                  "95% CI",
		"dash_mentions":            "% of mentions",
		"dash_family_share":        "% using at least one",
		"dash_mean_sd_median":      "Mean %s (SD %s), median %s; n = %s.",
		"dash_scale":               "Mean %s (SD %s), median %s; top two boxes %s (%s).",
		"dash_mean":                "Mean",
		"dash_sd":                  "SD",
		"dash_min":                 "Min",
		"dash_max":                 "Max",
		"dash_outliers":            "Outliers",
		"dash_chi":                 "Pearson χ² = %s, df = %d, p %s; Cramér's V = %s",
		"dash_fisher":              "; Fisher's exact p %s",
		"dash_other_texts":         "\"Other\" answers (%d)",
		"dash_texts":               "All answers (%d)",
		"dash_spearman":            "Spearman's ρ = %s (n = %s, p %s).",
		"dash_grouping_region":     "IFLA region",
		"dash_grouping_language":   "Language",
		"results_answer":           "Answer",
		"results_share":            "Share",
		"results_libraries":        "Libraries",
		"results_family":           "Family of evidence",
		"results_number_chosen":    "Number of answers chosen",
		"results_row":              "Item",
		"results_top_two":          "Top two points",
		"results_first":            "Ranked first",
		"results_column_base":      "Percentages in each column are of the libraries in that group that answered the question (n under the group's name).",
		"results_groups_empty":     "No library in %s answered this question (it was not asked of them, or they did not answer).",
		"results_spearman":         "Spearman's rank correlation: ρ = %s (n = %s, p %s).",
		"results_q1":               "First quartile",
		"results_median":           "Median",
		"results_q3":               "Third quartile",
		"required":                 "required",
		"submit":                   "Submit",
		"other_specify":            "Please specify",
		"previous_answer":          "Your answer in %s: %s",
		"previous_answer_last":     "Your answer last time: %s",
		"change_note_label":        "Why has this changed since last time?",
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
		"libraries_page_title":     "Library profiles",
		"libraries_members":        "Member libraries",
		"libraries_others":         "Other libraries with a public profile",
		"libraries_member_filter":  "Membership",
		"libraries_member_only":    "Members of the section",
		"libraries_nonmember_only": "Other libraries",
		"libraries_is_member":      "Member of the section",
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
		"results_base":             "Answered by %s libraries.",
		"results_hidden":           "%[1]s: not shown. Counts below %[2]d, and counts that would let one be worked out, are not shown.",
		"results_stats_withheld":   "Means, medians and quartiles are shown for groups of at least %d libraries, and only where no count they depend on is hidden.",
		"results_top_two_withheld": "The share in the top two points is shown for rows answered by at least %d libraries, and only where no count of the row is hidden; an empty cell is one withheld.",
		"results_withheld":         "Fewer than %d libraries answered: not shown.",
		"results_numbers":          "Quartiles: %s, %s (median), %s.",
		"results_scale":            "Mean %s; %s in the top two points.",
		"results_scale_mean":       "Mean %s.",
		"responses":                "responses",
		"unknown":                  "Not known",
		"countries_n":              "%d countries",
		"updated":                  "Updated",
		"save_later":               "Save and finish later",
		"saved":                    "Your answers are saved. Use the same personal link to come back and finish; nothing is sent until you press Submit.",
		"resumed":                  "Welcome back: here are the answers you saved.",
		"edit_after_submit":        "Your library has already answered. You can change the answers until the survey closes; press Submit to replace them.",
		"save_after_submit":        "Your answers were already submitted, so changes cannot be saved for later. Nothing is lost: your changes are below; press Submit to replace the answers you sent.",
		"stale_form":               "Your answers were not sent: your library's response was changed in another window or on another device after this page was opened. Your answers are kept below; submit again to replace that version with them.",
		"stale_form_save":          "Your answers were not saved: your library's response was changed in another window or on another device after this page was opened. Your answers are kept below; save or submit again to replace that version with them.",
		// colon follows a linked label in the error summary ("Label: message").
		"colon":                    ": ",
		"already_submitted":        "Your library has already answered this survey. Thank you.",
		"invitation_invalid_title": "This link does not work",
		"invitation_invalid":       "This personal link is not valid: it may have been replaced by a newer one or withdrawn. Please ask the section for a new link.",
		// label_value is "label: value" (French puts a no-break space before the colon).
		"label_value": "%s: %s",
	},
	"fr": {
		"nav_label":                "Groupe de travail",
		"nav_surveys":              "Enquêtes",
		"nav_libraries":            "Bibliothèques",
		"nav_users":                "Utilisateurs",
		"nav_tokens":               "Jetons d'API",
		"nav_audit":                "Journal d'audit",
		"nav_sign_out":             "Se déconnecter",
		"dash_title":               "Résultats\u00a0: %s",
		"demo_banner_invitations":  "Données de démonstration\u00a0: %s de ces %s invitations (à des bibliothèques marquées demo) et %s des %s réponses ont été inventées par canvass demo. Elles sont comptées sur cette page, jamais sur une page publique, un compteur ou une intégration. Un administrateur du serveur les supprime toutes d'un coup avec canvass demo --remove.",
		"demo_banner":              "Données de démonstration\u00a0: %s des %s réponses envoyées ont été inventées par canvass demo. Elles sont comptées sur ces pages, jamais sur une page publique, un compteur ou une intégration. Un administrateur du serveur les supprime toutes d'un coup avec canvass demo --remove.",
		"demo_banner_libraries":    "Données de démonstration\u00a0: %s bibliothèques de l'annuaire ont été inventées par canvass demo (marquées demo). Aucune page publique ne les montre. Un administrateur du serveur les supprime toutes d'un coup avec canvass demo --remove.",
		"dash_back":                "Retour à l'enquête",
		"dash_download":            "Télécharger les tableaux du livre blanc (Excel)",
		"dash_full_counts":         "avec les petits effectifs",
		"dash_paper_all":           "toutes les réponses : filtrés, à côté des chiffres publics, ils trahiraient de petits effectifs",
		"dash_published":           "Publié le %s à l'adresse",
		"dash_published_rules":     "Les tableaux du rapport, agrégés seulement et protégés (effectifs inférieurs à %[1]d, et ceux qui permettraient d'en retrouver un, indiqués x), sans texte libre. Chaque tableau peut être intégré à l'adresse",
		"dash_unpublished":         "Non publié. La publication met les tableaux du rapport (agrégés seulement, effectifs inférieurs à %[1]d et ceux qui permettraient d'en retrouver un indiqués x, sans texte libre) à l'adresse /results/%[3]s, dans les langues de l'enquête.",
		"dash_withdraw":            "Retirer les résultats publics",
		"dash_figures_at":          "Les chiffres publics (page des résultats, counts.json, badge et widget) ont été relevés pour la dernière fois le",
		"dash_figures_over":        ", sur %s réponses (hors celles de canvass demo).",
		"dash_figures_pending":     "Ils seront relevés à nouveau quand %s réponses de plus seront arrivées ou supprimées, quand l'enquête aura une nouvelle version, ou à la publication des résultats. Ils changent par pas de %d réponses pour que personne ne puisse lire les réponses d'une bibliothèque en comparant deux versions d'une page.",
		"dash_figures_due":         "Assez de réponses sont arrivées ou ont été supprimées depuis : la prochaine visite d'une page publique les relèvera.",
		"dash_figures_none":        "Les chiffres publics n'ont pas encore été relevés : la première visite d'une page publique, ou la publication des résultats, les relèvera.",
		"dash_figures_warning":     "Relever les chiffres publics maintenant, alors que moins de %d réponses sont arrivées depuis le dernier relevé, peut révéler les réponses de ces dernières à qui compare les pages avant et après. Sinon, ils sont relevés toutes les %d réponses.",
		"dash_figures_refresh":     "Relever les chiffres publics maintenant",
		"dash_publish":             "Publier les résultats",
		"dash_filters":             "Filtrer et regrouper les résultats",
		"dash_group_by":            "Regrouper par",
		"dash_own_grouping":        "(celui de chaque tableau)",
		"dash_any":                 "Tous",
		"dash_from":                "Envoyées du",
		"dash_to":                  "au (jours UTC)",
		"dash_apply":               "Appliquer",
		"dash_responses":           "réponses envoyées. Les pourcentages portent sur les répondants ayant répondu\u202f; intervalles de confiance de Wilson à 95\u202f%.",
		"dash_table":               "Tableau %d. %s",
		"dash_base":                "Question posée à %s, %s ont répondu.",
		"dash_ci":                  "IC à 95\u202f%",
		"dash_mentions":            "% des mentions",
		"dash_family_share":        "% en utilisant au moins une",
		"dash_mean_sd_median":      "Moyenne %s (écart type %s), médiane %s\u202f; n = %s.",
		"dash_scale":               "Moyenne %s (écart type %s), médiane %s\u202f; deux niveaux les plus hauts %s (%s).",
		"dash_mean":                "Moyenne",
		"dash_sd":                  "Écart type",
		"dash_min":                 "Min.",
		"dash_max":                 "Max.",
		"dash_outliers":            "Valeurs atypiques",
		"dash_chi":                 "χ² de Pearson = %s, ddl = %d, p %s\u202f; V de Cramér = %s",
		"dash_fisher":              "\u202f; p exact de Fisher %s",
		"dash_other_texts":         "Réponses «\u00a0Autre\u00a0» (%d)",
		"dash_texts":               "Toutes les réponses (%d)",
		"dash_spearman":            "ρ de Spearman = %s (n = %s, p %s).",
		"dash_grouping_region":     "Région de l'IFLA",
		"dash_grouping_language":   "Langue",
		"results_answer":           "Réponse",
		"results_share":            "Part",
		"results_libraries":        "Bibliothèques",
		"results_family":           "Famille de preuves",
		"results_number_chosen":    "Nombre de réponses choisies",
		"results_row":              "Élément",
		"results_top_two":          "Deux niveaux les plus hauts",
		"results_first":            "Classé premier",
		"results_column_base":      "Dans chaque colonne, les pourcentages portent sur les bibliothèques du groupe ayant répondu à la question (n sous le nom du groupe).",
		"results_groups_empty":     "Aucune bibliothèque de ce groupe n'a répondu à cette question (elle ne leur a pas été posée, ou elles n'y ont pas répondu)\u00a0: %s.",
		"results_spearman":         "Corrélation des rangs de Spearman\u00a0: ρ = %s (n = %s, p %s).",
		"results_q1":               "Premier quartile",
		"results_median":           "Médiane",
		"results_q3":               "Troisième quartile",
		"required":                 "obligatoire",
		"submit":                   "Envoyer",
		"other_specify":            "Veuillez préciser",
		"previous_answer":          "Votre réponse en %s\u00a0: %s",
		"previous_answer_last":     "Votre réponse la dernière fois\u00a0: %s",
		"change_note_label":        "Pourquoi ce chiffre a-t-il changé depuis la dernière fois\u00a0?",
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
		"csrf_text":                "Votre session a expiré avant l'envoi. Vos réponses sont conservées\u00a0: veuillez les envoyer à nouveau.",
		"unavailable":              "Nous n'avons pas pu enregistrer vos réponses pour l'instant. Elles sont conservées\u00a0: réessayez dans quelques secondes.",
		"surveys_title":            "Enquêtes",
		"surveys_none":             "Aucune enquête n'est ouverte pour le moment.",
		"required_note":            "Les questions marquées d'un * sont obligatoires.",
		"home":                     "Toutes les enquêtes",
		"libraries_page_title":     "Profils des bibliothèques",
		"libraries_members":        "Bibliothèques membres",
		"libraries_others":         "Autres bibliothèques ayant un profil public",
		"libraries_member_filter":  "Adhésion",
		"libraries_member_only":    "Membres de la section",
		"libraries_nonmember_only": "Autres bibliothèques",
		"libraries_is_member":      "Membre de la section",
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
		"results_base":             "%s bibliothèques ont répondu.",
		"results_hidden":           "%[1]s\u00a0: non publié. Les effectifs inférieurs à %[2]d, et ceux qui permettraient d'en retrouver un, ne sont pas publiés.",
		"results_stats_withheld":   "Moyennes, médianes et quartiles sont donnés pour les groupes d'au moins %d bibliothèques, et seulement si aucun effectif dont ils dépendent n'est masqué.",
		"results_top_two_withheld": "La part des deux meilleurs niveaux est donnée pour les lignes d'au moins %d bibliothèques, et seulement si aucun effectif de la ligne n'est masqué ; une case vide est une part non publiée.",
		"results_withheld":         "Moins de %d bibliothèques ont répondu\u00a0: non publié.",
		"results_numbers":          "Quartiles\u00a0: %s, %s (médiane), %s.",
		"results_scale":            "Moyenne %s\u202f; %s dans les deux niveaux les plus hauts.",
		"results_scale_mean":       "Moyenne %s.",
		"responses":                "réponses",
		"unknown":                  "Non connu",
		"countries_n":              "%d pays",
		"updated":                  "Mis à jour le",
		"save_later":               "Enregistrer et terminer plus tard",
		"saved":                    "Vos réponses sont enregistrées. Revenez par le même lien personnel pour terminer\u202f; rien n'est envoyé avant que vous cliquiez sur Envoyer.",
		"resumed":                  "Bon retour\u00a0: voici les réponses que vous aviez enregistrées.",
		"edit_after_submit":        "Votre bibliothèque a déjà répondu. Vous pouvez modifier les réponses jusqu'à la clôture de l'enquête\u202f; cliquez sur Envoyer pour les remplacer.",
		"save_after_submit":        "Vos réponses ont déjà été envoyées\u00a0: les modifications ne peuvent pas être enregistrées pour plus tard. Rien n'est perdu, vos modifications sont ci-dessous\u202f; cliquez sur Envoyer pour remplacer les réponses envoyées.",
		"stale_form":               "Vos réponses n'ont pas été envoyées\u00a0: la réponse de votre bibliothèque a été modifiée dans une autre fenêtre ou sur un autre appareil depuis l'ouverture de cette page. Vos réponses sont conservées ci-dessous\u202f; envoyez-les de nouveau pour remplacer cette version.",
		"stale_form_save":          "Vos réponses n'ont pas été enregistrées\u00a0: la réponse de votre bibliothèque a été modifiée dans une autre fenêtre ou sur un autre appareil depuis l'ouverture de cette page. Vos réponses sont conservées ci-dessous\u202f; enregistrez-les ou envoyez-les de nouveau pour remplacer cette version.",
		// colon follows a linked label in the error summary: a no-break space before it.
		"colon":                    "\u00a0: ",
		"already_submitted":        "Votre bibliothèque a déjà répondu à cette enquête. Merci.",
		"invitation_invalid_title": "Ce lien ne fonctionne pas",
		"invitation_invalid":       "Ce lien personnel n'est pas valide\u00a0: il a peut-être été remplacé ou retiré. Demandez un nouveau lien à la section.",
		// label_value is "label: value" (French puts a no-break space before the colon).
		"label_value": "%s\u00a0: %s",
	},
	"es": {
		"nav_label":                "Grupo de trabajo",
		"nav_surveys":              "Encuestas",
		"nav_libraries":            "Bibliotecas",
		"nav_users":                "Usuarios",
		"nav_tokens":               "Tokens de API",
		"nav_audit":                "Registro de auditoría",
		"nav_sign_out":             "Cerrar sesión",
		"dash_title":               "Resultados: %s",
		"demo_banner_invitations":  "Datos de demostración: %s de estas %s invitaciones (a bibliotecas marcadas demo) y %s de las %s respuestas las inventó canvass demo. Se cuentan en esta página, nunca en una página pública, un recuento o una inserción. Un administrador del servidor las elimina todas de una vez con canvass demo --remove.",
		"demo_banner":              "Datos de demostración: %s de las %s respuestas enviadas las inventó canvass demo. Se cuentan en estas páginas, nunca en una página pública, un recuento o una inserción. Un administrador del servidor las elimina todas de una vez con canvass demo --remove.",
		"demo_banner_libraries":    "Datos de demostración: canvass demo inventó %s bibliotecas del directorio (marcadas demo). Ninguna página pública las muestra. Un administrador del servidor las elimina todas de una vez con canvass demo --remove.",
		"dash_back":                "Volver a la encuesta",
		"dash_download":            "Descargar las tablas del libro blanco (Excel)",
		"dash_full_counts":         "con los recuentos pequeños",
		"dash_paper_all":           "todas las respuestas: filtradas, junto a las cifras públicas, revelarían recuentos pequeños",
		"dash_published":           "Publicado el %s en",
		"dash_published_rules":     "Las tablas del informe, solo datos agregados y protegidos (recuentos inferiores a %[1]d, y los que permitirían deducir alguno, indicados con x), sin texto libre. Cada tabla puede insertarse en",
		"dash_unpublished":         "No publicado. Al publicar, las tablas del informe (solo datos agregados, recuentos inferiores a %[1]d y los que permitirían deducir alguno indicados con x, sin texto libre) quedan en /results/%[3]s, en los idiomas de la encuesta.",
		"dash_withdraw":            "Retirar los resultados públicos",
		"dash_figures_at":          "Las cifras públicas (la página de resultados, counts.json, la insignia y el widget) se tomaron por última vez el",
		"dash_figures_over":        ", sobre %s respuestas (sin las de canvass demo).",
		"dash_figures_pending":     "Se tomarán de nuevo cuando hayan llegado o se hayan eliminado %s respuestas más, cuando la encuesta tenga una nueva versión o al publicar los resultados. Cambian en pasos de %d respuestas para que nadie pueda leer las respuestas de una biblioteca comparando dos versiones de una página.",
		"dash_figures_due":         "Desde entonces han llegado o se han eliminado suficientes respuestas: la próxima visita a una página pública las tomará de nuevo.",
		"dash_figures_none":        "Las cifras públicas aún no se han tomado: la primera visita a una página pública, o la publicación de los resultados, las tomará.",
		"dash_figures_warning":     "Tomar las cifras públicas ahora, cuando han llegado menos de %d respuestas desde la última vez, puede revelar las respuestas de esas últimas a quien compare las páginas antes y después. Si no, se toman de nuevo cada %d respuestas.",
		"dash_figures_refresh":     "Tomar las cifras públicas ahora",
		"dash_publish":             "Publicar los resultados",
		"dash_filters":             "Filtrar y agrupar los resultados",
		"dash_group_by":            "Agrupar por",
		"dash_own_grouping":        "(el de cada tabla)",
		"dash_any":                 "Todos",
		"dash_from":                "Enviadas desde",
		"dash_to":                  "hasta (días UTC)",
		"dash_apply":               "Aplicar",
		"dash_responses":           "respuestas enviadas. Los porcentajes son sobre quienes respondieron; intervalos de confianza de Wilson al 95 %.",
		"dash_table":               "Tabla %d. %s",
		"dash_base":                "Formulada a %s, respondida por %s.",
		"dash_ci":                  "IC al 95 %",
		"dash_mentions":            "% de las menciones",
		"dash_family_share":        "% que usa al menos una",
		"dash_mean_sd_median":      "Media %s (desviación típica %s), mediana %s; n = %s.",
		"dash_scale":               "Media %s (desviación típica %s), mediana %s; dos niveles más altos %s (%s).",
		"dash_mean":                "Media",
		"dash_sd":                  "Desviación típica",
		"dash_min":                 "Mín.",
		"dash_max":                 "Máx.",
		"dash_outliers":            "Valores atípicos",
		"dash_chi":                 "χ² de Pearson = %s, gl = %d, p %s; V de Cramér = %s",
		"dash_fisher":              "; p exacta de Fisher %s",
		"dash_other_texts":         "Respuestas «Otro» (%d)",
		"dash_texts":               "Todas las respuestas (%d)",
		"dash_spearman":            "ρ de Spearman = %s (n = %s, p %s).",
		"dash_grouping_region":     "Región de la IFLA",
		"dash_grouping_language":   "Idioma",
		"results_answer":           "Respuesta",
		"results_share":            "Porcentaje",
		"results_libraries":        "Bibliotecas",
		"results_family":           "Familia de evidencias",
		"results_number_chosen":    "Número de respuestas elegidas",
		"results_row":              "Elemento",
		"results_top_two":          "Dos niveles más altos",
		"results_first":            "En primer puesto",
		"results_column_base":      "En cada columna, los porcentajes son sobre las bibliotecas del grupo que respondieron a la pregunta (n bajo el nombre del grupo).",
		"results_groups_empty":     "Ninguna biblioteca de este grupo respondió a esta pregunta (no se les formuló o no respondieron): %s.",
		"results_spearman":         "Correlación de rangos de Spearman: ρ = %s (n = %s, p %s).",
		"results_q1":               "Primer cuartil",
		"results_median":           "Mediana",
		"results_q3":               "Tercer cuartil",
		"required":                 "obligatoria",
		"submit":                   "Enviar",
		"other_specify":            "Especifique",
		"previous_answer":          "Su respuesta en %s: %s",
		"previous_answer_last":     "Su respuesta la última vez: %s",
		"change_note_label":        "¿Por qué ha cambiado desde la última vez?",
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
		"libraries_page_title":     "Perfiles de las bibliotecas",
		"libraries_members":        "Bibliotecas miembros",
		"libraries_others":         "Otras bibliotecas con perfil público",
		"libraries_member_filter":  "Membresía",
		"libraries_member_only":    "Miembros de la sección",
		"libraries_nonmember_only": "Otras bibliotecas",
		"libraries_is_member":      "Miembro de la sección",
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
		"results_base":             "Respondieron %s bibliotecas.",
		"results_hidden":           "%[1]s: no se publica. Los recuentos inferiores a %[2]d, y los que permitirían deducir alguno de ellos, no se publican.",
		"results_stats_withheld":   "Medias, medianas y cuartiles se dan para grupos de al menos %d bibliotecas, y solo si no se oculta ningún recuento del que dependan.",
		"results_top_two_withheld": "La proporción en los dos niveles superiores se da para filas respondidas por al menos %d bibliotecas, y solo si no se oculta ningún recuento de la fila; una celda vacía es una proporción no publicada.",
		"results_withheld":         "Respondieron menos de %d bibliotecas: no se publica.",
		"results_numbers":          "Cuartiles: %s, %s (mediana), %s.",
		"results_scale":            "Media %s; %s en los dos niveles más altos.",
		"results_scale_mean":       "Media %s.",
		"responses":                "respuestas",
		"unknown":                  "No se sabe",
		"countries_n":              "%d países",
		"updated":                  "Actualizado el",
		"save_later":               "Guardar y terminar más tarde",
		"saved":                    "Sus respuestas están guardadas. Vuelva con el mismo enlace personal para terminar; no se envía nada hasta que pulse Enviar.",
		"resumed":                  "Bienvenido de nuevo: estas son las respuestas que guardó.",
		"edit_after_submit":        "Su biblioteca ya ha respondido. Puede cambiar las respuestas hasta que se cierre la encuesta; pulse Enviar para reemplazarlas.",
		"save_after_submit":        "Sus respuestas ya se enviaron, así que los cambios no se pueden guardar para más tarde. No se ha perdido nada: sus cambios están abajo; pulse Enviar para reemplazar las respuestas enviadas.",
		"stale_form":               "Sus respuestas no se enviaron: la respuesta de su biblioteca se modificó en otra ventana o en otro dispositivo después de abrir esta página. Sus respuestas se conservan abajo; envíelas de nuevo para reemplazar esa versión.",
		"stale_form_save":          "Sus respuestas no se guardaron: la respuesta de su biblioteca se modificó en otra ventana o en otro dispositivo después de abrir esta página. Sus respuestas se conservan abajo; guárdelas o envíelas de nuevo para reemplazar esa versión.",
		// colon follows a linked label in the error summary ("Etiqueta: mensaje").
		"colon":                    ": ",
		"already_submitted":        "Su biblioteca ya ha respondido a esta encuesta. Gracias.",
		"invitation_invalid_title": "Este enlace no funciona",
		"invitation_invalid":       "Este enlace personal no es válido: puede haber sido sustituido o retirado. Pida un nuevo enlace a la sección.",
		// label_value is "label: value" (French puts a no-break space before the colon).
		"label_value": "%s: %s",
	},
}

// ui returns a UI string in lang, falling back to English.
func ui(lang, key string) string {
	if t, ok := uiText[lang][key]; ok {
		return t
	}
	return uiText["en"][key]
}
