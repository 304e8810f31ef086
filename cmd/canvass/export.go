package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	slug := fs.String("survey", "", "survey slug (required)")
	kind := fs.String("kind", "raw", "raw (one row per response) or whitepaper (the report tables)")
	format := fs.String("format", "xlsx", "xlsx, csv or jsonl (whitepaper: xlsx only)")
	out := fs.String("o", "", "output file (required)")
	qf := addQueryFlags(fs, true)
	labels := fs.Bool("labels", false, "raw: option labels instead of codes")
	bom := fs.Bool("bom", false, "csv: start with a byte order mark, for Excel")
	fullCounts := fs.Bool("full-counts", false, "whitepaper: show counts below the small-cell threshold, and demo responses")
	series := fs.Bool("series", false, "the waves of the survey's series up to it in one file, read as it reads them (docs/waves.md)")
	layout := fs.String("layout", "long", "series: long (a row per library per wave) or wide (a row per library, a column per question per wave)")
	codebook := fs.Bool("codebook", false, "series, csv: write the codebook of the CSV file instead of its rows")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	var set []string
	fs.Visit(func(f *flag.Flag) { set = append(set, f.Name) })
	switch {
	case *slug == "" || *out == "":
		return usageError{"export: --survey and -o are required"}
	case !*series && (slices.Contains(set, "layout") || *codebook):
		return usageError{"export: --layout and --codebook go with --series"}
	case *kind != "raw" && *kind != "whitepaper":
		return usageError{fmt.Sprintf("export: --kind must be raw or whitepaper, got %q", *kind)}
	case *format != "xlsx" && *format != "csv" && *format != "jsonl":
		return usageError{fmt.Sprintf("export: --format must be xlsx, csv or jsonl, got %q", *format)}
	case *kind == "whitepaper" && *format != "xlsx":
		return usageError{"export: the white paper is an xlsx workbook"}
	}
	if *series {
		for _, name := range []string{"kind", "region", "language", "from", "to", "answer", "status", "by", "bands", "full-counts"} {
			if slices.Contains(set, name) {
				return usageError{fmt.Sprintf("export: --series writes every wave's submitted responses, without --%s", name)}
			}
		}
		if *layout != string(export.Long) && *layout != string(export.Wide) {
			return usageError{fmt.Sprintf("export: --layout must be long or wide, got %q", *layout)}
		}
		if *codebook && *format != "csv" {
			return usageError{"export: --codebook is the codebook of a CSV file (--format csv); the workbook has it as a sheet"}
		}
	}
	q, err := qf.query(*slug)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		ctx, svc := useCases(ctx, st)
		var bar *progressbar.ProgressBar
		setBar := func(n int) {
			if bar != nil {
				_ = bar.Set(n)
			}
		}
		var file *campaign.File
		var err error
		if *series {
			file, err = svc.PrepareSeriesExport(ctx, *slug, campaign.SeriesDownload{Layout: export.Layout(*layout), Format: *format, Codebook: *codebook,
				Lang: q.Lang, Labels: *labels, BOM: *bom, Progress: setBar})
		} else {
			d := campaign.Download{Kind: *kind, Format: *format, Query: q, Labels: *labels, BOM: *bom, FullCounts: *fullCounts, Progress: setBar}
			file, err = svc.PrepareDownload(ctx, *slug, d)
		}
		if err != nil {
			return errors.New(survey.ErrorMessage(err))
		}
		if file.Expected >= 0 {
			// A bar needs its total: an unknown one (answer conditions)
			// would make a spinner, drawn from a goroutine of its own.
			bar = progress(stderr, file.Expected)
		}
		// Write next to the target and rename at the end, so a failed
		// export never leaves a half-written file under the name asked for.
		tmp, err := os.CreateTemp(filepath.Dir(*out), ".canvass-export-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		if err := file.Write(tmp); err != nil {
			tmp.Close()
			return err
		}
		if bar != nil {
			_ = bar.Finish()
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), *out); err != nil {
			return err
		}
		if *codebook {
			fmt.Fprintf(stdout, "Wrote %s (the codebook).\n", *out)
			return nil
		}
		fmt.Fprintf(stdout, "Wrote %s (%s).\n", *out, counted(file.Responses, "response", "responses"))
		return nil
	})
}

// progress is a bar on a terminal, and silent otherwise (in scripts and logs).
func progress(w io.Writer, total int) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		w = io.Discard
	}
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("responses"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
}
