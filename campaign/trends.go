package campaign

import (
	"cmp"
	"context"
	"slices"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/survey"
)

// Trends: a series' waves compared (docs/waves.md, docs/analysis.md
// "Trends across waves"), for the working group.

// WaveSummary is one wave of a trend: the survey and its submitted
// responses counted.
type WaveSummary struct {
	Slug      string `json:"slug"`
	Wave      string `json:"wave,omitempty"`
	Responses int    `json:"responses"`
	// ResponsesSuppressed marks Responses as withheld (0) by disclosure
	// control, in a publication's trends.
	ResponsesSuppressed bool `json:"responses_suppressed,omitempty"`
}

// SeriesTrends is every question of a survey compared across the waves of
// its series up to it.
type SeriesTrends struct {
	Series string `json:"series"`
	// Waves are oldest first; the last is the survey asked about.
	Waves     []WaveSummary     `json:"waves"`
	Questions []*QuestionTrends `json:"questions"`
}

// QuestionTrends is one question across the waves: each wave's count,
// share and interval per option (Trend, for choices), and the paired change
// of the libraries that answered it in both of the last two waves
// (Panel).
type QuestionTrends struct {
	ID    string      `json:"id"`
	Type  survey.Type `json:"type"`
	Label string      `json:"label"`
	// Trend is nil for a question without options (numbers, text,
	// matrices, rankings).
	Trend *analysis.QuestionTrend `json:"trend,omitempty"`
	// Panel is nil for a first wave and for types no paired test fits.
	Panel *PanelChange `json:"panel,omitempty"`
}

// PanelChange is the paired test of one question between the last two
// waves, over the libraries (by directory id) that answered it in both:
// McNemar per option for a choice, Wilcoxon's signed rank for a number or
// a likert score.
type PanelChange struct {
	First   string                   `json:"first"`
	Second  string                   `json:"second"`
	Options []analysis.OptionChange  `json:"options,omitempty"`
	Scores  *analysis.WilcoxonResult `json:"scores,omitempty"`
}

// Trends compares survey slug with the earlier waves of its series
// (analysts and admins), over each wave's submitted responses, demo ones
// left out (their made-up answers would be a trend of nothing). Each
// wave's answers are read as slug's definition reads them: its questions,
// its labels in lang, and its recode maps, so an option renamed between
// waves is one series; an option or question a wave did not have is "not
// offered" there, not a zero. The paired tests take the libraries that
// answered through their personal links in both of the last two waves.
// ENOTFOUND for an unknown survey.
func (s *Service) Trends(ctx context.Context, slug, lang string) (*SeriesTrends, error) {
	if err := require(ctx, survey.RoleAnalyst); err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	if lang == "" || !sv.HasLanguage(lang) {
		lang = sv.DefaultLanguage
	}
	defs, err := s.wavesUpTo(ctx, sv)
	if err != nil {
		return nil, err
	}
	waves := defs
	out := &SeriesTrends{Series: sv.SeriesName(), Questions: []*QuestionTrends{}}
	results := make([]*analysis.Result, len(waves))
	keyed := make([][]analysis.Keyed[survey.Answers], len(waves))
	for i, w := range waves {
		f := survey.ResponseFilter{SurveySlug: w.Slug, Status: survey.ResponseSubmitted, ExcludeDemo: true}
		var kept []analysis.Keyed[survey.Answers]
		// Read through this wave's own recodes, then every later wave's.
		responses := keep(survey.RecodeThrough(defs[i:], s.cfg.Responses.StreamResponses(ctx, f)), func(r *survey.Response) {
			if r.LibraryID != "" && i >= len(waves)-2 {
				kept = append(kept, analysis.Keyed[survey.Answers]{Key: r.LibraryID, Value: r.Answers})
			}
		})
		if results[i], err = analysis.Analyze(sv, responses, analysis.Options{Lang: lang}); err != nil {
			return nil, err
		}
		keyed[i] = kept
		out.Waves = append(out.Waves, WaveSummary{Slug: w.Slug, Wave: w.Wave, Responses: results[i].Responses})
	}
	for qi, q := range sv.Questions() {
		qt := &QuestionTrends{ID: q.ID, Type: q.Type, Label: q.Label.In(lang, sv.DefaultLanguage)}
		switch q.Type {
		case survey.SingleChoice, survey.MultiChoice, survey.Likert, survey.Country:
			in := make([]analysis.WaveQuestion, len(waves))
			for i, w := range waves {
				in[i] = analysis.WaveQuestion{Wave: cmp.Or(w.Wave, w.Slug), Result: offeredIn(defs[i:], q, results[i].Questions[qi])}
			}
			if qt.Trend, err = analysis.Trend(in); err != nil {
				return nil, err
			}
		}
		if n := len(waves); n >= 2 && defs[n-2].Question(q.ID) != nil {
			p := &PanelChange{First: waves[n-2].Slug, Second: waves[n-1].Slug}
			switch q.Type {
			case survey.SingleChoice, survey.MultiChoice, survey.Country:
				p.Options, err = analysis.ChoiceChange(q, keyed[n-2], keyed[n-1])
			case survey.Number:
				p.Scores, err = analysis.ScoreChange(q, keyed[n-2], keyed[n-1])
			case survey.Likert:
				if p.Scores, err = analysis.ScoreChange(q, keyed[n-2], keyed[n-1]); err == nil {
					p.Options, err = analysis.ChoiceChange(q, keyed[n-2], keyed[n-1])
				}
			default:
				p = nil
			}
			if err != nil {
				return nil, err
			}
			qt.Panel = p
		}
		out.Questions = append(out.Questions, qt)
	}
	return out, nil
}

// offeredIn is a wave's result for q (analysed with the latest wave's
// definition) as the wave, waves[0], asked it: nil when the wave did not
// ask the question, and without the options the wave did not offer,
// neither as they are nor as the option the later waves recode them into
// (RecodeCodeThrough), so that they are "not offered" there rather than
// a zero.
func offeredIn(waves []*survey.Survey, q *survey.Question, r *analysis.QuestionResult) *analysis.QuestionResult {
	asked := waves[0].Question(q.ID)
	if asked == nil {
		return nil
	}
	if q.Type == survey.Country {
		return r
	}
	offered := map[string]bool{}
	for _, o := range asked.Options {
		offered[string(survey.RecodeCodeThrough(waves, q.ID, o.Value))] = true
	}
	kept := *r
	kept.Options = slices.DeleteFunc(slices.Clone(r.Options), func(o analysis.OptionCount) bool { return !offered[o.Value] })
	return &kept
}

// keep passes rs through, calling seen with each submitted response.
func keep(rs survey.Responses, seen func(*survey.Response)) survey.Responses {
	return func(yield func(*survey.Response, error) bool) {
		for r, err := range rs {
			if err == nil && r.Status == survey.ResponseSubmitted {
				seen(r)
			}
			if !yield(r, err) {
				return
			}
		}
	}
}
