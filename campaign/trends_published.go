package campaign

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// Trends for publication: the white paper's trend sheets and the public
// results page's trends. Each wave's figures in them are that wave's own
// publication (its disclosed report), never figures recomputed across
// waves: a trend then shows nothing a reader of each wave's publication
// does not have already, and no panel statistic is published (McNemar's
// discordant pairs and Wilcoxon's ranks are counts of a few libraries'
// changes, which nothing public protects). docs/waves.md, "Trends in
// publications".

// wavesUpTo returns the waves of sv's series up to and including sv,
// oldest first, as full definitions: what the trends compare, the
// publications' trends show and the series exports write.
func (s *Service) wavesUpTo(ctx context.Context, sv *survey.Survey) ([]*survey.Survey, error) {
	all, err := s.cfg.Surveys.ListSurveyHeaders(ctx)
	if err != nil {
		return nil, err
	}
	var waves []*survey.Survey
	for _, w := range survey.WavesOf(all, sv.SeriesName()) {
		if w.Slug == sv.Slug {
			return append(waves, sv), nil
		}
		def, err := s.cfg.Surveys.FindSurvey(ctx, w.Slug)
		if err != nil {
			return nil, err
		}
		waves = append(waves, def)
	}
	return append(waves, sv), nil // not yet among the headers: a survey just made
}

// publication is a survey's report for publication beside its public
// figures: q's report through disclosure.PublishAfter against the public
// snapshot (publicPrevious), under the survey's rules. The default white
// paper is this, and so is each earlier wave in its trend sheets.
type publication struct {
	Report    *analysis.ReportResult // disclosed
	Responses int                    // the responses it is over, as the working group counts them
	Rules     disclosure.Rules
	// Counts is the note the audit log gives of what was withheld.
	Counts string
}

func (s *Service) publicationReport(ctx context.Context, sv *survey.Survey, q Query) (*publication, error) {
	rules := disclosure.RulesOf(sv)
	rep, err := s.report(ctx, sv, q)
	if err != nil {
		return nil, err
	}
	prev, taken, err := s.publicPrevious(ctx, sv)
	if err != nil {
		return nil, err
	}
	if prev != nil && prev.Report != nil && rep.Responses-prev.Report.Responses < rules.K {
		// Fewer than k responses since the public figures were taken:
		// PublishAfter's model rests on at least k (the retake rule), and
		// with fewer every figure that moved tells of those few (a count
		// 12 on the page and 13 here names the one new library's answer;
		// 0 there and x here says it chose the option). The publication
		// is then the public figures themselves, which readers have.
		return s.publicFigures(ctx, sv, q, prev.Report.Responses, taken)
	}
	pub := disclosure.PublishAfter(prev, rep, nil, rules)
	counts := fmt.Sprintf("counts below %d suppressed, %d more so none can be worked out (of %d cells)", rules.K, pub.Stats.Secondary, pub.Stats.Cells)
	if prev != nil {
		counts += ", against the public figures taken " + taken.UTC().Format(time.RFC3339)
	}
	return &publication{Report: pub.Report, Responses: rep.Responses, Rules: rules, Counts: counts}, nil
}

// publicFigures is the publication of sv's public figures (the snapshot
// taken at taken, over responses responses, as its results page shows it
// in q's language), for a publication asked for fewer than k responses
// after them. A grouped one (q.By) the snapshot has no tables of: refused
// until the public figures are taken afresh.
func (s *Service) publicFigures(ctx context.Context, sv *survey.Survey, q Query, responses int, taken time.Time) (*publication, error) {
	rules := disclosure.RulesOf(sv)
	if q.By != "" {
		return nil, survey.KeyedErrorf(survey.ECONFLICT, "whitepaper_grouped_recent",
			"Fewer than %d responses came in since the public figures were taken (%s): a white paper for publication grouped by %q would give their answers away beside them. Download it ungrouped (the public figures), with full counts for the working group, or take the public figures afresh first (Refresh on the results page; POST /api/v1/surveys/%s/results/refresh).",
			rules.K, taken.UTC().Format(time.RFC3339), q.By, sv.Slug)
	}
	lang := q.Lang
	if lang == "" || !sv.HasLanguage(lang) {
		lang = sv.DefaultLanguage
	}
	pub, _, err := s.published(ctx, sv, lang)
	if err != nil {
		return nil, err
	}
	return &publication{Report: pub.Report, Responses: responses, Rules: rules,
		Counts: fmt.Sprintf("the public figures taken %s (fewer than %d responses since)", taken.UTC().Format(time.RFC3339), rules.K)}, nil
}

// waveReport is one wave and its report as a publication shows it.
type waveReport struct {
	sv  *survey.Survey
	rep *analysis.ReportResult
}

// reportTrends lines up the choice questions (single and multi choice,
// likert, country) of the last wave across the waves' reports, oldest
// first: each wave's count, base, share and Wilson interval per option as
// that wave's report has them, disclosure's flags carried (a withheld
// count or base is withheld in the trend). A wave's options are read
// through its own and the later waves' recode maps; options merged are withheld
// when any of them is, since their sum and the shown ones would give the
// withheld one away. A question is tracked when the last wave's report
// has a table of it and at least one earlier wave's report does; a
// report without one (its spec leaves the question out) is "not offered"
// there.
func reportTrends(waves []waveReport, lang string) ([]*QuestionTrends, error) {
	out := []*QuestionTrends{}
	if len(waves) < 2 {
		return out, nil
	}
	latest := waves[len(waves)-1].sv
	defs := make([]*survey.Survey, len(waves))
	for i, w := range waves {
		defs[i] = w.sv
	}
	for _, q := range latest.Questions() {
		switch q.Type {
		case survey.SingleChoice, survey.MultiChoice, survey.Likert, survey.Country:
		default:
			continue
		}
		in := make([]analysis.WaveQuestion, len(waves))
		reported := 0
		for i, w := range waves {
			r := waveFigures(w, defs[i:], q, latest.DefaultLanguage)
			if r != nil {
				reported++
			}
			in[i] = analysis.WaveQuestion{Wave: cmp.Or(w.sv.Wave, w.sv.Slug), Result: r}
		}
		if reported < 2 || in[len(in)-1].Result == nil {
			continue
		}
		tr, err := analysis.Trend(in)
		if err != nil {
			return nil, err
		}
		out = append(out, &QuestionTrends{ID: q.ID, Type: q.Type, Label: q.Label.In(lang, latest.DefaultLanguage), Trend: tr})
	}
	return out, nil
}

// waveFigures is question q of the last wave as wave w's report has it:
// its first table of the question (an ungrouped one if there is one), the
// options read through the recodes of w and every later wave (later,
// w's own definition first: survey.RecodeCodeThrough, as the trends and
// the series exports read answers). Nil when the wave did not ask the
// question or its report has no table of it.
func waveFigures(w waveReport, later []*survey.Survey, q *survey.Question, fallback string) *analysis.QuestionResult {
	asked := w.sv.Question(q.ID)
	if asked == nil || asked.Type != q.Type {
		return nil
	}
	var table *analysis.TableResult
	for i := range w.rep.Tables {
		t := &w.rep.Tables[i]
		if t.Question == nil || t.Question.ID != q.ID {
			continue
		}
		if table == nil || table.Grouping != nil && t.Grouping == nil {
			table = t
		}
	}
	if table == nil {
		return nil
	}
	r := table.Question
	out := &analysis.QuestionResult{ID: q.ID, Type: q.Type, Label: r.Label, Answered: r.Answered, AnsweredSuppressed: r.AnsweredSuppressed}
	index := map[string]int{}
	add := func(o analysis.OptionCount) {
		value := string(survey.RecodeCodeThrough(later, q.ID, survey.Code(o.Value)))
		if opt := q.Option(value); opt != nil {
			o.Label, o.Missing = opt.Label.In(w.rep.Language, fallback), opt.Missing
		}
		o.Value = value
		i, seen := index[value]
		if !seen {
			index[value] = len(out.Options)
			out.Options = append(out.Options, o)
			return
		}
		merged := &out.Options[i]
		merged.Count += o.Count
		merged.Suppressed = merged.Suppressed || o.Suppressed
	}
	if table.Withheld {
		// The whole table is withheld: every option the wave offered,
		// withheld, over a withheld base.
		out.Answered, out.AnsweredSuppressed = 0, true
		for _, o := range asked.Options {
			add(analysis.OptionCount{Value: string(o.Value), Label: o.Label.In(w.rep.Language, w.sv.DefaultLanguage), Suppressed: true})
		}
	} else {
		for _, o := range r.Options {
			add(o)
		}
	}
	for i := range out.Options {
		if out.Options[i].Suppressed {
			out.Options[i].Count = 0
		}
	}
	return out
}

// publicationTrends are the trend sheets of the white paper of sv whose
// tables are rep: rep for sv itself (the very figures of its tables, so
// the sheets undo none of their suppression), and for each earlier wave
// of its series filtered as an earlier wave can be (by region and
// language; answers and dates are each wave's own, so those conditions
// apply to sv only): its publication report when disclosed (for an
// unfiltered sv, the tables of the wave's own default white paper), its
// report for full counts.
func (s *Service) publicationTrends(ctx context.Context, sv *survey.Survey, rep *analysis.ReportResult, q Query, full bool) ([]*QuestionTrends, []WaveSummary, error) {
	waves, err := s.wavesUpTo(ctx, sv)
	if err != nil || len(waves) < 2 {
		return nil, nil, err
	}
	reports := make([]waveReport, len(waves))
	summaries := make([]WaveSummary, len(waves))
	for i, w := range waves {
		r := rep
		if i < len(waves)-1 {
			earlier := Query{Lang: q.Lang, Filter: survey.ResponseFilter{Region: q.Filter.Region, Language: q.Filter.Language, ExcludeDemo: q.Filter.ExcludeDemo}}
			if full {
				r, err = s.report(ctx, w, earlier)
			} else {
				var pub *publication
				if pub, err = s.publicationReport(ctx, w, earlier); err == nil {
					r = pub.Report
				}
			}
			if err != nil {
				return nil, nil, err
			}
		}
		reports[i] = waveReport{sv: w, rep: r}
		summaries[i] = WaveSummary{Slug: w.Slug, Wave: w.Wave, Responses: r.Responses, ResponsesSuppressed: r.ResponsesSuppressed}
	}
	trends, err := reportTrends(reports, rep.Language)
	return trends, summaries, err
}

// PublicTrends are the trends the public results page of sv shows in
// lang: every wave of its series up to sv whose results are published,
// each as its own results page shows it (Published), and sv's. Fewer than
// two such waves give none. Anyone may ask; sv's results must be
// published (else ENOTFOUND, as Published).
func (s *Service) PublicTrends(ctx context.Context, sv *survey.Survey, lang string) ([]*QuestionTrends, []WaveSummary, error) {
	waves, err := s.wavesUpTo(ctx, sv)
	if err != nil {
		return nil, nil, err
	}
	var reports []waveReport
	var summaries []WaveSummary
	for i, w := range waves {
		if i < len(waves)-1 {
			at, err := s.cfg.Publications.ResultsPublished(ctx, w.Slug)
			if err != nil {
				return nil, nil, err
			}
			if at == nil {
				continue
			}
		}
		pub, err := s.Published(ctx, w, lang)
		if err != nil {
			return nil, nil, err
		}
		if pub.Report == nil {
			if i == len(waves)-1 {
				return nil, nil, survey.Errorf(survey.ENOTFOUND, "There is no survey %q.", sv.Slug)
			}
			continue
		}
		reports = append(reports, waveReport{sv: w, rep: pub.Report})
		summaries = append(summaries, WaveSummary{Slug: w.Slug, Wave: w.Wave, Responses: pub.Report.Responses, ResponsesSuppressed: pub.Report.ResponsesSuppressed})
	}
	if len(reports) < 2 {
		return []*QuestionTrends{}, summaries, nil
	}
	trends, err := reportTrends(reports, lang)
	return trends, summaries, err
}

// trendSheets are the white paper's trend sheets of trends, and the waves
// they span for its Contents sheet.
func trendSheets(trends []*QuestionTrends, waves []WaveSummary) ([]export.TrendSheet, []export.TrendWave) {
	var sheets []export.TrendSheet
	for _, t := range trends {
		if t.Trend != nil {
			sheets = append(sheets, export.TrendSheet{ID: t.ID, Title: t.Label, Trend: t.Trend})
		}
	}
	if len(sheets) == 0 {
		return nil, nil
	}
	list := make([]export.TrendWave, len(waves))
	for i, w := range waves {
		list[i] = export.TrendWave{Label: cmp.Or(w.Wave, w.Slug), Responses: w.Responses, Hidden: w.ResponsesSuppressed}
	}
	return sheets, list
}
