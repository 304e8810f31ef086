package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/metlib/canvass/campaign"
)

// importRoundCommand is canvass survey import-round: an old round of a
// series brought in as a closed wave (campaign.ImportRound), a dry run
// unless --confirm.
func importRoundCommand(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg := dataFlags(fs, getenv)
	slug := fs.String("slug", "", "a survey of the series that receives the round; the wave copies its definition (required)")
	wave := fs.String("wave", "", "the round's label, e.g. 2019 (required)")
	confirm := fs.Bool("confirm", false, "make the wave and write the responses; without it, only show what would happen")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if *slug == "" || *wave == "" || fs.NArg() != 1 {
		return usageError{"survey import-round: --slug, --wave and one .csv or .xlsx file are required"}
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(fs.Arg(0))), ".")
	return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
		res, err := svc.ImportRound(ctx, data, campaign.ImportRoundInput{Slug: *slug, Wave: *wave, Format: format, Confirm: *confirm, Source: filepath.Base(fs.Arg(0))})
		if err != nil {
			return commandError(err)
		}
		printRound(stdout, res)
		if !res.Applied {
			if res.ProblemCount > 0 {
				fmt.Fprintln(stdout, "Nothing was written: correct the problems, then run again (with --confirm to import).")
			} else {
				fmt.Fprintln(stdout, "Nothing was written: run again with --confirm to import.")
			}
			return nil
		}
		line := fmt.Sprintf("Imported: %s written", counted(res.Created, "response", "responses"))
		if res.Existing > 0 {
			line += fmt.Sprintf(", %d already there from an earlier import", res.Existing)
		}
		fmt.Fprintln(stdout, line+".")
		return nil
	})
}

// printRound writes what an import of a round does: where the wave goes,
// how the columns are read, and the problems and answers left out.
func printRound(w io.Writer, res *campaign.ImportRoundResult) {
	place := ""
	if res.After != "" {
		place += ", after " + res.After
	}
	if res.Before != "" {
		place += ", before " + res.Before
	}
	made := "a new closed wave"
	if res.Exists {
		made = "the wave an earlier import made"
	}
	fmt.Fprintf(w, "Wave %s of the %s series: %s, %s%s.\n", res.Wave, res.Series, res.WaveSlug, made, place)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tHEADER\tANSWERS\tMATCHES BY")
	for _, c := range res.Columns {
		q := c.Question
		if c.Part != "" {
			q += " (" + c.Part + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.Column, printable(c.Header), q, c.Match)
	}
	_ = tw.Flush()
	if len(res.Unmapped) > 0 {
		fmt.Fprintf(w, "Columns not imported: %s\n", printable(strings.Join(res.Unmapped, ", ")))
	}
	fmt.Fprintf(w, "%s, %d matched to a library of the directory, %s.\n", counted(res.Rows, "row", "rows"), res.Matched, counted(res.ProblemCount, "problem", "problems"))
	for _, list := range []struct {
		title string
		rows  []campaign.RoundProblem
	}{{"PROBLEM", res.Problems}, {"LEFT OUT", res.Dropped}} {
		if len(list.rows) == 0 {
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "ROW\tCOLUMN\tVALUE\t%s\n", list.title)
		for _, p := range list.rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", p.Row, printable(p.Column), printable(p.Value), printable(p.Reason))
		}
		_ = tw.Flush()
	}
	if n := res.ProblemCount - len(res.Problems); n > 0 {
		fmt.Fprintf(w, "%d more problems are not listed.\n", n)
	}
}

// printable is text from a file as a terminal may show it: control
// characters (a tab that would shift the table's columns, an escape
// sequence) as U+FFFD.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
