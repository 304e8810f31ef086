package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

func librariesCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"libraries needs a subcommand: import or export"}
	}
	fs := flag.NewFlagSet("libraries "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	switch args[0] {
	case "import":
		merge := fs.Bool("merge", false, "merge rows that match a library already in the directory (or an earlier row) into it")
		confirm := fs.Bool("confirm", false, "write the import; without it, only show what would happen")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if fs.NArg() != 1 {
			return usageError{"libraries import needs one .csv or .xlsx file"}
		}
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(fs.Arg(0))), ".")
		return withStore(ctx, cfg, stderr, func(st *store.Store) error {
			res, err := newCampaign(st, nil, nil, nil).ImportLibraries(commandLine(ctx), data,
				campaign.Import{Format: format, Merge: *merge, Confirm: *confirm, Source: filepath.Base(fs.Arg(0))})
			if survey.ErrorCode(err) == survey.EINVALID {
				return fmt.Errorf("%s: %s", fs.Arg(0), survey.ErrorMessage(err))
			}
			if err != nil {
				return err
			}
			plan := res.Plan
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "LINE\tACTION\tLIBRARY\tWHY")
			for _, r := range plan.Rows {
				why := strings.Join(r.Reasons, "; ")
				if r.Action == directory.Merge {
					why = "into " + r.Match
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", r.Line, r.Action, r.Name, why)
			}
			_ = w.Flush()
			if len(plan.UnknownHeaders) > 0 {
				fmt.Fprintf(stdout, "Columns not imported: %s\n", strings.Join(plan.UnknownHeaders, ", "))
			}
			fmt.Fprintf(stdout, "%d to create, %d to merge, %d duplicates skipped, %d rejected.\n", plan.Counts[directory.Create], plan.Counts[directory.Merge], plan.Counts[directory.Duplicate], plan.Counts[directory.Reject])
			if !res.Applied {
				fmt.Fprintln(stdout, "Nothing was written: run again with --confirm to import.")
				return nil
			}
			fmt.Fprintf(stdout, "Imported: %d created, %d merged.\n", res.Created, res.Merged)
			return nil
		})
	case "export":
		out := fs.String("o", "", "output file, .xlsx or .csv (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if *out == "" || (format != "xlsx" && format != "csv") {
			return usageError{"libraries export needs -o FILE.xlsx or -o FILE.csv"}
		}
		return withStore(ctx, cfg, stderr, func(st *store.Store) error {
			// The file is made in memory first, so a failure leaves no half file.
			var buf bytes.Buffer
			n, err := newCampaign(st, nil, nil, nil).ExportLibraries(commandLine(ctx), &buf, survey.LibraryFilter{}, format)
			if err != nil {
				return err
			}
			if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Wrote %s (%s).\n", *out, counted(n, "library", "libraries"))
			return nil
		})
	}
	return usageError{fmt.Sprintf("unknown libraries subcommand %q", args[0])}
}

// commandLine is the context of a subcommand: the audit log names the
// command line as the actor, with an admin's rights (whoever can run it
// can read the data directory anyway).
func commandLine(ctx context.Context) context.Context {
	return survey.WithActor(ctx, survey.SystemActor)
}
