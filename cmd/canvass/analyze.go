package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// queryFlags are the flags of the results a command asks for: the same
// filter, grouping and language as the API's query parameters, read by the
// same campaign.ParseFilter.
type queryFlags struct {
	filter    campaign.FilterInput
	answers   repeated
	by, bands *string
	lang      *string
}

func addQueryFlags(fs *flag.FlagSet, status bool) *queryFlags {
	q := &queryFlags{}
	fs.StringVar(&q.filter.Region, "region", "", "only responses from this IFLA region")
	fs.StringVar(&q.filter.Language, "language", "", "only responses in this language")
	fs.StringVar(&q.filter.From, "from", "", "only responses submitted on or after this date (YYYY-MM-DD)")
	fs.StringVar(&q.filter.To, "to", "", "only responses submitted on or before this date (YYYY-MM-DD)")
	fs.Var(&q.answers, "answer", "only responses with this answer, QUESTION:VALUE (repeatable)")
	if status {
		fs.StringVar(&q.filter.Status, "status", "", "raw: submitted (default) or draft")
	}
	q.by = fs.String("by", "", "group by region, language or a question id")
	q.bands = fs.String("bands", "", "comma-separated band limits when --by is a number question")
	q.lang = fs.String("lang", "", "language of labels (default: the survey's)")
	return q
}

// query reads the flags as a campaign.Query.
func (q *queryFlags) query(slug string) (campaign.Query, error) {
	in := q.filter
	in.Answers = q.answers
	f, err := campaign.ParseFilter(slug, in)
	if err != nil {
		return campaign.Query{}, usageError{survey.ErrorMessage(err)}
	}
	out := campaign.Query{Filter: f, Lang: *q.lang, By: *q.by}
	if *q.bands != "" {
		for _, part := range strings.Split(*q.bands, ",") {
			b, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return out, usageError{fmt.Sprintf("--bands: %q is not a number", part)}
			}
			out.Bands = append(out.Bands, b)
		}
	}
	return out, nil
}

// useCases is the use cases over st, acting as the system (the command
// line is run by whoever runs the server).
func useCases(ctx context.Context, st *store.Store) (context.Context, *campaign.Service) {
	return survey.WithActor(ctx, survey.SystemActor), newCampaign(st, nil, nil, nil)
}

func analyzeCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	slug := fs.String("survey", "", "survey slug (required)")
	qf := addQueryFlags(fs, false)
	format := fs.String("format", "table", "table or json")
	report := fs.Bool("report", false, "the survey's report tables instead of every question")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if *slug == "" {
		return usageError{"analyze: --survey is required"}
	}
	if *format != "table" && *format != "json" {
		return usageError{fmt.Sprintf("analyze: --format must be table or json, got %q", *format)}
	}
	q, err := qf.query(*slug)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		ctx, svc := useCases(ctx, st)
		var result any
		var err error
		if *report {
			result, _, err = svc.Report(ctx, *slug, q)
		} else {
			result, err = svc.Analysis(ctx, *slug, q)
		}
		if err != nil {
			return errors.New(survey.ErrorMessage(err))
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(result)
		}
		if rep, ok := result.(*analysis.ReportResult); ok {
			fmt.Fprintf(stdout, "%s: %d submitted responses\n", rep.Title, rep.Responses)
			for _, t := range rep.Tables {
				fmt.Fprintf(stdout, "\nTable %d. %s\n", t.Number, t.Title)
				writeTable(stdout, t)
				if c := t.Correlation; c != nil {
					fmt.Fprintf(stdout, "  Spearman's rho = %s (n = %d, p = %s)\n", num(c.Rho, 3), c.N, pValue(c.P))
				}
				for _, n := range t.Notes {
					fmt.Fprintf(stdout, "  Note: %s\n", n)
				}
			}
			return nil
		}
		res := result.(*analysis.Result)
		sv, err := st.FindSurvey(ctx, *slug)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d submitted responses\n", sv.Title.In(res.Language, sv.DefaultLanguage), res.Responses)
		for _, q := range res.Questions {
			fmt.Fprintf(stdout, "\n%s (%s)\n", q.Label, q.ID)
			writeQuestion(stdout, q, res.By)
		}
		return nil
	})
}

// pValue writes p as every output does (analysis.FormatP), in English
// notation like the rest of this terminal output (its decimal points).
func pValue(p float64) string { return analysis.FormatP("en", p) }

// num writes a statistic for the terminal: "–" when it is undefined (NaN),
// never the text NaN; decimals -1 writes the shortest exact form.
func num[F ~float64](v F, decimals int) string {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	if decimals < 0 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', decimals, 64)
}

// pct writes a share as a percentage with one decimal, "–" when undefined.
func pct[F ~float64](share F) string { return pctN(share, 1) }

func pctN[F ~float64](share F, decimals int) string {
	s := num(100*float64(share), decimals)
	if s == "–" {
		return s
	}
	return s + "%"
}

// writeTable prints one report table as its spec asks, like the workbook
// and the dashboard: a grouped table as its cross-tab or its descriptives
// by group, summary groups as the option groups, summary count as the
// distribution of the number of options chosen, the rest as writeQuestion.
func writeTable(out io.Writer, t analysis.TableResult) {
	q, g := t.Question, t.Grouping
	switch {
	case q.CrossTab != nil && g != nil:
		writeQuestion(out, &analysis.QuestionResult{Asked: q.Asked, Answered: q.Answered, CrossTab: q.CrossTab}, g)
	case t.Spec.Summary == survey.SummaryGroups && len(q.Groups) > 0:
		writeQuestion(out, &analysis.QuestionResult{Asked: q.Asked, Answered: q.Answered, Groups: q.Groups}, nil)
	case t.Spec.Summary == survey.SummaryCount && g != nil && len(q.ByGroup) > 0:
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
		defer w.Flush()
		fmt.Fprintf(w, "  asked %d, answered %d\t\n", q.Asked, q.Answered)
		fmt.Fprintf(w, "  number chosen by %s:\tn\tmean\tmedian\tQ1\tQ3\t\n", g.Label)
		for i, gn := range q.ByGroup {
			if d := gn.Stats; d.N > 0 {
				fmt.Fprintf(w, "  %s\t%d\t%s\t%s\t%s\t%s\t\n", g.Groups[i].Label, d.N, num(d.Mean, 2), num(d.Median, -1), num(d.Q1, -1), num(d.Q3, -1))
			}
		}
	case t.Spec.Summary == survey.SummaryCount:
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
		defer w.Flush()
		fmt.Fprintf(w, "  asked %d, answered %d\t\n", q.Asked, q.Answered)
		fmt.Fprintf(w, "  number chosen\trespondents\t%%\t\n")
		for _, c := range q.ChosenCount {
			fmt.Fprintf(w, "  %s\t%d\t%s\t\n", c.Key, c.Count, pct(c.Share))
		}
		if d := q.ChosenStats; d != nil && d.N > 0 {
			fmt.Fprintf(w, "  n %d, mean %s, median %s, Q1 %s, Q3 %s\t\n", d.N, num(d.Mean, 2), num(d.Median, -1), num(d.Q1, -1), num(d.Q3, -1))
		}
	default:
		// An options or ranked table: its options (or rows, numbers,
		// ranks), without the count and group summaries other tables show.
		body := *q
		body.ChosenStats, body.Groups = nil, nil
		writeQuestion(out, &body, g)
	}
}

// writeQuestion prints one summary as an aligned text table.
func writeQuestion(out io.Writer, q *analysis.QuestionResult, g *analysis.Grouping) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	defer w.Flush()
	fmt.Fprintf(w, "  asked %d, answered %d\t\n", q.Asked, q.Answered)
	for _, o := range q.Options {
		fmt.Fprintf(w, "  %s\t%d\t%s\t[%s, %s]\t\n", o.Label, o.Count, pct(o.Share), pct(o.CI.Low), pct(o.CI.High))
	}
	for _, gs := range q.Groups {
		fmt.Fprintf(w, "  %s (any)\t%d\t%s\t[%s, %s]\t\n", gs.Label, gs.Count, pct(gs.Share), pct(gs.CI.Low), pct(gs.CI.High))
	}
	if q.Scale != nil {
		fmt.Fprintf(w, "  mean %s, sd %s, median %s, top two %s\t\n", num(q.Scale.Mean, 2), num(q.Scale.SD, 2), num(q.Scale.Median, 1), pct(q.Scale.TopTwoShare))
	}
	for _, r := range q.Rows {
		if r.Scale != nil {
			fmt.Fprintf(w, "  %s\tn %d\tmean %s\tsd %s\t\n", r.Label, r.Answered, num(r.Scale.Mean, 2), num(r.Scale.SD, 2))
		}
	}
	if n := q.Numbers; n != nil && n.N > 0 {
		fmt.Fprintf(w, "  n %d, mean %s, sd %s, min %s, Q1 %s, median %s, Q3 %s, max %s, outliers %d\t\n", n.N, num(n.Mean, 2), num(n.SD, 2), num(n.Min, -1), num(n.Q1, -1), num(n.Median, -1), num(n.Q3, -1), num(n.Max, -1), len(n.Outliers))
	}
	if s := q.ChosenStats; s != nil && s.N > 0 {
		fmt.Fprintf(w, "  options chosen per respondent: mean %s, median %s\t\n", num(s.Mean, 2), num(s.Median, -1))
	}
	for _, r := range q.Ranking {
		fmt.Fprintf(w, "  %s\tmean rank %s\tfirst %d\t\n", r.Label, num(r.MeanRank, 2), r.FirstCount)
	}
	if ct := q.CrossTab; ct != nil && g != nil {
		// Columns where the question was asked, headed by the base of their percentages.
		var head []string
		var cols []int
		for c, grp := range g.Groups {
			if !ct.NotAsked[c] {
				cols = append(cols, c)
				head = append(head, fmt.Sprintf("%s (n=%d)", grp.Label, ct.ColTotals[c]))
			}
		}
		fmt.Fprintf(w, "  by %s:\t%s\t\n", g.Label, strings.Join(head, "\t"))
		for r, label := range ct.RowLabels {
			cells := make([]string, 0, len(cols))
			for _, c := range cols {
				cells = append(cells, fmt.Sprintf("%d (%s)", ct.Counts[r][c], pctN(ct.ColPct[r][c], 0)))
			}
			fmt.Fprintf(w, "  %s\t%s\t\n", label, strings.Join(cells, "\t"))
		}
		if t := ct.Test; t != nil {
			fmt.Fprintf(w, "  chi-square %s, df %d, p %s, Cramer's V %s\t\n", num(t.Statistic, 2), t.DF, pValue(t.P), num(t.CramersV, 3))
		}
	}
}

// demoHelp heads canvass demo -h: what demo data is and how it goes away.
const demoHelp = `Usage:
  canvass demo --survey S [--responses N] [--seed X]
  canvass demo --remove

Adds made-up data to the database, to try Canvass out: N submitted responses
to survey S and the libraries they come from (named as libraries of their
countries are, with example.org contacts), each invited to S. Everything it
writes is marked as demo data: the working group's pages count it under a
banner saying so, and no public page, count, embed or published result
includes it. The same seed adds nothing twice.

--remove deletes exactly what demo wrote, for every survey: the demo
responses, the invitations of demo libraries, and the demo libraries. Real
responses, libraries and invitations are never touched. Both are recorded in
the audit log (demo.add, demo.remove).

Flags:
`

func demoCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	slug := fs.String("survey", "", "survey slug (required unless --remove)")
	n := fs.Int("responses", 200, "how many responses to create")
	seed := fs.Uint64("seed", 1, "random seed: the same seed makes the same responses")
	remove := fs.Bool("remove", false, "delete every survey's demo data (responses, invitations, libraries), nothing else")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if *remove {
		if *slug != "" {
			return usageError{"demo: --remove deletes the demo data of every survey; leave out --survey"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			gone, err := svc.RemoveDemo(ctx)
			if err != nil {
				return fmt.Errorf("after removing %s: %s", gone, survey.ErrorMessage(err))
			}
			fmt.Fprintf(stdout, "Removed the demo data: %s.\n", gone)
			return nil
		})
	}
	if *slug == "" || *n < 1 || *n > 1_000_000 {
		return usageError{"demo: --survey is required and --responses must be from 1 to 1,000,000"}
	}
	return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
		added, err := svc.AddDemo(ctx, *slug, *n, *seed)
		if err != nil {
			return fmt.Errorf("after adding %s: %s", added, survey.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "Created %d demo responses to %s (%d already there from the same seed), %d demo libraries and %d invitations.\n",
			added.Responses, *slug, *n-added.Responses, added.Libraries, added.Invitations)
		fmt.Fprintln(stdout, "They are marked as demo data: counted on the admin pages under a banner, never on public ones. Remove them with: canvass demo --remove")
		return nil
	})
}
