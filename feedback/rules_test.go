package feedback_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/survey"
)

// checkDerivable checks, from what rep shows alone, every count a reader
// can work out by one subtraction: each shown count, Base − count, Base,
// N − Base; for a group, the complement's count, Base − count, Base and
// N − Base; in a choice or a matrix statement, what the hidden rows add up
// to; for a figure, its N, N − that, and the complement's. Each must be 0
// or at least k. It also checks hidden figures are zeroed. It returns the
// numbers of shown and hidden shares.
func checkDerivable(t *testing.T, rep *feedback.Report) (shown, hidden int) {
	t.Helper()
	k := rep.K
	bad := func(x int) bool { return x > 0 && x < k }
	A := len(rep.Groups) - 1
	for g := 0; g < A; g++ {
		if rep.Groups[g].N < k || rep.Groups[A].N-rep.Groups[g].N < k {
			t.Errorf("%s: group %s of %d shown among %d", rep.LibraryID, rep.Groups[g].Label, rep.Groups[g].N, rep.Groups[A].N)
		}
	}
	fail := func(it feedback.Item, what string, x int) {
		t.Errorf("%s: %s: %s is %d", rep.LibraryID, it.Question, what, x)
	}
	for _, sec := range rep.Sections {
		for _, it := range sec.Items {
			for _, row := range it.Rows {
				for c, s := range row.Shares {
					if s.Hidden {
						hidden++
						if s != (feedback.Share{Hidden: true}) {
							fail(it, "a hidden share's count", s.Count)
						}
						continue
					}
					shown++
					n := rep.Groups[c].N
					for what, x := range map[string]int{"count": s.Count, "base − count": s.Base - s.Count, "base": s.Base, "N − base": n - s.Base} {
						if bad(x) {
							fail(it, row.Label+" "+what, x)
						}
					}
					if c == A || row.Shares[A].Hidden {
						continue
					}
					a := row.Shares[A]
					cc, cb, cn := a.Count-s.Count, a.Base-s.Base, rep.Groups[A].N-n
					for what, x := range map[string]int{"complement count": cc, "complement base − count": cb - cc, "complement base": cb, "complement N − base": cn - cb} {
						if bad(x) {
							fail(it, row.Label+" "+what, x)
						}
					}
				}
			}
			if it.Kind == feedback.KindChoice || it.Kind == feedback.KindMatrix {
				// Rows of one statement (one choice) add up to the Base.
				stmts := map[string][]feedback.Row{}
				var order []string
				for _, row := range it.Rows {
					if _, ok := stmts[row.Matrix]; !ok {
						order = append(order, row.Matrix)
					}
					stmts[row.Matrix] = append(stmts[row.Matrix], row)
				}
				for _, st := range order {
					rows := stmts[st]
					for c := range rep.Groups {
						base, sum, h := 0, 0, 0
						for _, row := range rows {
							if row.Shares[c].Hidden {
								h++
							} else {
								base, sum = row.Shares[c].Base, sum+row.Shares[c].Count
							}
						}
						if h == 0 || h == len(rows) {
							continue
						}
						if rest := base - sum; rest != 0 && rest-(h-1) < k {
							t.Errorf("%s: %s %s col %d: %d hidden rows add up to %d", rep.LibraryID, it.Question, st, c, h, rest)
						}
					}
				}
			}
			var figs []feedback.NumberFigure
			if it.Number != nil {
				figs = it.Number.Groups
			}
			if it.Count != nil {
				figs = it.Count.Groups
			}
			for c, f := range figs {
				if f.Hidden {
					if f != (feedback.NumberFigure{Hidden: true}) {
						fail(it, "a hidden figure's N", f.N)
					}
					continue
				}
				if f.N < 4*k-3 || f.N < 2*k {
					fail(it, "the values behind quartiles", f.N)
				}
				if it.Number != nil && bad(rep.Groups[c].N-f.N) {
					fail(it, "N − values", rep.Groups[c].N-f.N)
				}
				if c < A && !figs[A].Hidden {
					cv := figs[A].N - f.N
					if bad(cv) || (it.Number != nil && bad(rep.Groups[A].N-rep.Groups[c].N-cv)) {
						fail(it, "complement values", cv)
					}
				}
			}
		}
	}
	return shown, hidden
}

func TestNoDerivableSmallCountIn300Reports(t *testing.T) {
	for _, slug := range []string{"impact-methods", "landscape"} {
		t.Run(slug, func(t *testing.T) {
			sv := builtinSurvey(t, slug)
			all := respondents(t, sv, 300, 3)
			var shown, hidden, groups, merged int
			for i := range all {
				rep := buildFor(t, sv, all, i, "en")
				s, h := checkDerivable(t, rep)
				shown, hidden = shown+s, hidden+h
				groups, merged = groups+len(rep.Groups)-1, merged+len(rep.Merged)
			}
			t.Logf("300 reports: %d shares shown, %d hidden; %d peer groups shown, %d merged", shown, hidden, groups, merged)
			if shown == 0 || groups == 0 {
				t.Fatal("nothing shown")
			}
		})
	}
}

// withRegion gives respondents the regions listed (in order), the rest Europe.
func withRegion(all []feedback.Respondent, regions ...survey.Region) {
	for i := range all {
		all[i].Region = survey.Europe
		if i < len(regions) {
			all[i].Region = regions[i]
		}
	}
}

func TestSmallGroupsMergeIntoAllRespondents(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 300, 9)
	// Three libraries in Sub-Saharan Africa: each has 2 peers there.
	withRegion(all, survey.SubSaharanAfrica, survey.SubSaharanAfrica, survey.SubSaharanAfrica)
	for _, lang := range []string{"en", "fr", "es"} {
		rep := buildFor(t, sv, all, 1, lang)
		want := feedback.MergedGroup{Dimension: "region", Label: survey.RegionLabels[survey.SubSaharanAfrica][lang], Into: rep.Groups[len(rep.Groups)-1].Label}
		if !slices.Contains(rep.Merged, want) {
			t.Errorf("%s: got merged %+v, want %+v among them", lang, rep.Merged, want)
		}
		for _, g := range rep.Groups {
			if g.Dimension == "region" {
				t.Errorf("%s: region group shown: %+v", lang, g)
			}
		}
		if s := feedback.MergedSentence(lang, want); !strings.Contains(s, want.Label) || !strings.Contains(s, want.Into) {
			t.Errorf("%s: the sentence %q does not name both groups", lang, s)
		}
		w := newWorld(t, sv, all, all[1], rep)
		recompute(t, w, rep)
	}
	// A European library: its region is every peer but two, so the
	// complement (the other two) is too small and Europe merges too.
	rep := buildFor(t, sv, all, 10, "en")
	if !slices.ContainsFunc(rep.Merged, func(m feedback.MergedGroup) bool { return m.Dimension == "region" && m.Label == "Europe" }) {
		t.Errorf("Europe with a complement of 3: got merged %+v", rep.Merged)
	}

	// Members: all but three; a non-member's group has 2 peers.
	for i := range all {
		all[i].Member = i >= 3
	}
	for _, i := range []int{0, 100} {
		rep := buildFor(t, sv, all, i, "en")
		if !slices.ContainsFunc(rep.Merged, func(m feedback.MergedGroup) bool { return m.Dimension == "member" }) {
			t.Errorf("library %d (member %v): membership not merged: %+v", i, all[i].Member, rep.Merged)
		}
	}
}

func TestTooFewPeersShowNoPeerFigure(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 5, 2) // 4 peers, k = 5
	rep := buildFor(t, sv, all, 0, "en")
	if !rep.TooFew || len(rep.Groups) != 0 || len(rep.Merged) != 0 {
		t.Fatalf("got TooFew %v, groups %+v, merged %+v", rep.TooFew, rep.Groups, rep.Merged)
	}
	yours := 0
	for _, sec := range rep.Sections {
		for _, it := range sec.Items {
			yours += len(it.Yours)
			for _, row := range it.Rows {
				if len(row.Shares) != 0 {
					t.Errorf("%s: shares %+v", it.Question, row.Shares)
				}
			}
			if it.Number != nil && (len(it.Number.Groups) != 0 || it.Number.Band != "") {
				t.Errorf("%s: figures %+v", it.Question, it.Number)
			}
		}
	}
	if yours == 0 {
		t.Error("the library's own answers are not in the report")
	}
}

func TestPeersAreOfTheSameDemoNessAndNotTheLibraryItself(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	all := respondents(t, sv, 40, 4)
	for i := 0; i < 10; i++ {
		all[i].Demo = false
	}
	// The library twice (an edited response read twice must not count).
	others := append(slices.Clone(all), all[15])
	rep, err := feedback.Build(feedback.Input{Survey: sv, Lang: "en", Self: all[15], Others: others, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Groups[len(rep.Groups)-1].N; n != 29 {
		t.Errorf("demo library: got %d peers, want 29 (30 demo less itself)", n)
	}
	rep, err = feedback.Build(feedback.Input{Survey: sv, Lang: "en", Self: all[0], Others: all, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Groups[len(rep.Groups)-1].N; n != 9 {
		t.Errorf("real library: got %d peers, want 9", n)
	}
}

// The rules hold for another k: 10, over 100 reports, attacked too.
func TestRulesWithAnotherThreshold(t *testing.T) {
	sv := builtinSurvey(t, "impact-methods")
	sv.Settings.SmallCellThreshold = 10
	all := respondents(t, sv, 300, 17)
	for i := 0; i < len(all); i += 3 {
		rep := buildFor(t, sv, all, i, "es")
		if rep.K != 10 {
			t.Fatalf("got k %d, want 10", rep.K)
		}
		checkDerivable(t, rep)
		if i%30 == 0 {
			w := newWorld(t, sv, all, all[i], rep)
			recompute(t, w, rep)
			for _, f := range attackReport(w, rep) {
				t.Errorf("report of %s: %s", all[i].LibraryID, f)
			}
		}
	}
}
