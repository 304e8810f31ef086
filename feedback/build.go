package feedback

import (
	"errors"
	"fmt"

	"github.com/metlib/canvass/survey"
)

// Build makes the report of in.Self: its own answers beside the figures of
// its peer groups and of all respondents, every figure through the
// disclosure rules (rules.go, docs/feedback.md).
//
// The peers are in.Others of Self's Demo-ness, less any with Self's
// LibraryID. A peer group (one per dimension of the survey's benchmark
// block Self has a value for) is shown when it has at least K peers and
// all peers but the group are at least K too; otherwise it is merged into
// all respondents and listed in Report.Merged. With fewer than K peers in
// all, the report has TooFew set and no peer figure.
//
// It returns an error only for a survey it cannot read (nil, or a
// benchmark block naming questions it does not have: Validate refuses
// those).
func Build(in Input) (*Report, error) {
	sv := in.Survey
	if sv == nil {
		return nil, errors.New("feedback: no survey to build the report from")
	}
	if err := checkBenchmark(sv); err != nil {
		return nil, err
	}
	lang := in.Lang
	if !sv.HasLanguage(lang) {
		lang = sv.DefaultLanguage
	}
	b := &builder{sv: sv, lang: lang, k: sv.SmallCellK(), bm: sv.Benchmark, self: in.Self}
	for _, o := range in.Others {
		if o.Demo != in.Self.Demo || (in.Self.LibraryID != "" && o.LibraryID == in.Self.LibraryID) {
			continue
		}
		b.peers = append(b.peers, o)
	}
	b.qIndex = map[string]int{}
	for i, q := range sv.Questions() {
		b.qIndex[q.ID] = i
	}
	b.selfAsked = sv.Asked(in.Self.Answers)
	b.asked = make([][]bool, len(b.peers))
	for p := range b.peers {
		b.asked[p] = sv.Asked(b.peers[p].Answers)
	}
	b.rep = &Report{
		Survey:    sv.Slug,
		Title:     sv.Title.In(lang, sv.DefaultLanguage),
		Lang:      lang,
		LibraryID: in.Self.LibraryID,
		Library:   in.Self.Library,
		Generated: in.Now,
		K:         b.k,
		Groups:    []Group{},
		Sections:  []Section{},
	}
	b.columns()
	b.sections()
	return b.rep, nil
}

// checkBenchmark refuses a benchmark block whose references Build would
// trip over (Validate refuses it too, with every problem listed).
func checkBenchmark(sv *survey.Survey) error {
	bm := sv.Benchmark
	if bm == nil {
		return nil
	}
	number := func(id string) error {
		if q := sv.Question(id); q == nil || q.Type != survey.Number {
			return fmt.Errorf("feedback: the benchmark block of %s names %q, which is not a number question", sv.Slug, id)
		}
		return nil
	}
	if bm.Population != "" {
		if err := number(bm.Population); err != nil {
			return err
		}
	}
	for _, ind := range bm.Indicators {
		if err := number(ind.Numerator); err != nil {
			return err
		}
		if ind.Denominator != survey.PopulationDenominator {
			if err := number(ind.Denominator); err != nil {
				return err
			}
		}
	}
	if m := bm.Maturity; m != nil {
		if q := sv.Question(m.Question); q == nil || q.Type != survey.MultiChoice {
			return fmt.Errorf("feedback: the benchmark block of %s names %q for maturity, which is not a multi_choice question", sv.Slug, m.Question)
		}
	}
	if bm.Has(survey.DimensionPopulation) && len(bm.PopulationBands) == 0 {
		return fmt.Errorf("feedback: the benchmark block of %s groups by population without population_bands", sv.Slug)
	}
	return nil
}

// builder holds what one report is built from.
type builder struct {
	sv   *survey.Survey
	lang string
	k    int
	bm   *survey.Benchmark
	self Respondent
	// selfAsked and asked[p] are survey.Asked of Self's and peer p's answers.
	selfAsked []bool
	peers     []Respondent
	asked     [][]bool
	qIndex    map[string]int
	// cols are the peers (indexes into peers) of each column of
	// rep.Groups, all respondents last.
	cols [][]int
	rep  *Report
}

// columns forms the peer groups and decides which are shown.
func (b *builder) columns() {
	allLabel := message(b.lang, "all")
	if len(b.peers) < b.k {
		b.rep.TooFew = true
		return
	}
	var groups []string
	if b.bm != nil {
		groups = b.bm.Groups
	}
	for _, dim := range groups {
		label, in, ok := b.dimension(dim)
		if !ok {
			continue // Self has no value for it
		}
		var members []int
		for p := range b.peers {
			if in(b.peers[p]) {
				members = append(members, p)
			}
		}
		if len(members) < b.k || len(b.peers)-len(members) < b.k {
			b.rep.Merged = append(b.rep.Merged, MergedGroup{Dimension: dim, Label: label, Into: allLabel})
			continue
		}
		b.rep.Groups = append(b.rep.Groups, Group{Dimension: dim, Label: label, N: len(members)})
		b.cols = append(b.cols, members)
	}
	all := make([]int, len(b.peers))
	for p := range all {
		all[p] = p
	}
	b.rep.Groups = append(b.rep.Groups, Group{Dimension: survey.DimensionAll, Label: allLabel, N: len(all)})
	b.cols = append(b.cols, all)
}

// dimension returns Self's group of dimension dim: its label and who is in
// it; ok is false when Self has no value for it.
func (b *builder) dimension(dim string) (label string, in func(Respondent) bool, ok bool) {
	self := b.self
	switch dim {
	case survey.DimensionRegion:
		if self.Region == "" {
			return "", nil, false
		}
		label = survey.RegionLabels[self.Region].In(b.lang, "en")
		if label == "" {
			label = string(self.Region)
		}
		return label, func(r Respondent) bool { return r.Region == self.Region }, true
	case survey.DimensionType:
		if self.Type == "" {
			return "", nil, false
		}
		label = survey.LibraryTypeLabels[self.Type].In(b.lang, "en")
		if label == "" {
			label = string(self.Type)
		}
		return label, func(r Respondent) bool { return r.Type == self.Type }, true
	case survey.DimensionPopulation:
		pop := b.population(self)
		if pop <= 0 {
			return "", nil, false
		}
		edges := b.bm.PopulationBands
		band := bandOf(edges, pop)
		return populationLabel(b.lang, edges, band), func(r Respondent) bool {
			p := b.population(r)
			return p > 0 && bandOf(edges, p) == band
		}, true
	case survey.DimensionMember:
		label = message(b.lang, "nonmembers")
		if self.Member {
			label = message(b.lang, "members")
		}
		return label, func(r Respondent) bool { return r.Member == self.Member }, true
	}
	return "", nil, false
}

// population is r's population served: the directory's, else its answer
// to the benchmark block's population question; 0 when unknown.
func (b *builder) population(r Respondent) float64 {
	if r.Population > 0 {
		return r.Population
	}
	if b.bm != nil && b.bm.Population != "" {
		if v, ok := r.Answers.Number(b.bm.Population); ok && v > 0 {
			return v
		}
	}
	return 0
}

// sections adds the items, in survey order: each compared question (the
// maturity comparison after its question), then the indicators.
func (b *builder) sections() {
	for _, sec := range b.sv.Sections {
		var items []Item
		for _, q := range sec.Questions {
			if !b.bm.Compared(q) {
				continue
			}
			switch q.Type {
			case survey.SingleChoice, survey.Likert:
				items = append(items, b.choice(q))
			case survey.MultiChoice:
				items = append(items, b.multi(q))
			case survey.Matrix:
				items = append(items, b.matrix(q))
			case survey.Number:
				items = append(items, b.number(q))
			}
			if b.bm != nil && b.bm.Maturity != nil && b.bm.Maturity.Question == q.ID {
				items = append(items, b.maturity(q, b.bm.Maturity.Families))
			}
		}
		if len(items) > 0 {
			b.rep.Sections = append(b.rep.Sections, Section{Title: sec.Title.In(b.lang, b.sv.DefaultLanguage), Items: items})
		}
	}
	if b.bm != nil && len(b.bm.Indicators) > 0 {
		var items []Item
		for _, ind := range b.bm.Indicators {
			items = append(items, b.indicator(ind))
		}
		b.rep.Sections = append(b.rep.Sections, Section{Title: message(b.lang, "indicators"), Items: items})
	}
}
