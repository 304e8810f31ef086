package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/metlib/canvass/campaign"
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
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	switch {
	case *slug == "" || *out == "":
		return usageError{"export: --survey and -o are required"}
	case *kind != "raw" && *kind != "whitepaper":
		return usageError{fmt.Sprintf("export: --kind must be raw or whitepaper, got %q", *kind)}
	case *format != "xlsx" && *format != "csv" && *format != "jsonl":
		return usageError{fmt.Sprintf("export: --format must be xlsx, csv or jsonl, got %q", *format)}
	case *kind == "whitepaper" && *format != "xlsx":
		return usageError{"export: the white paper is an xlsx workbook"}
	}
	q, err := qf.query(*slug)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		ctx, svc := useCases(ctx, st)
		var bar *progressbar.ProgressBar
		d := campaign.Download{Kind: *kind, Format: *format, Query: q, Labels: *labels, BOM: *bom, FullCounts: *fullCounts,
			Progress: func(n int) {
				if bar != nil {
					_ = bar.Set(n)
				}
			}}
		file, err := svc.PrepareDownload(ctx, *slug, d)
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
