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
	"time"

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
		rows, unknown, err := directory.Read(data, format)
		if err != nil {
			return fmt.Errorf("%s: %s", fs.Arg(0), survey.ErrorMessage(err))
		}
		return withStore(ctx, cfg, stderr, func(st *store.Store) error {
			plan, err := directory.MakePlan(ctx, st, rows, unknown, *merge)
			if err != nil {
				return err
			}
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
			if len(unknown) > 0 {
				fmt.Fprintf(stdout, "Columns not imported: %s\n", strings.Join(unknown, ", "))
			}
			fmt.Fprintf(stdout, "%d to create, %d to merge, %d duplicates skipped, %d rejected.\n", plan.Counts[directory.Create], plan.Counts[directory.Merge], plan.Counts[directory.Duplicate], plan.Counts[directory.Reject])
			if !*confirm {
				fmt.Fprintln(stdout, "Nothing was written: run again with --confirm to import.")
				return nil
			}
			created, merged, err := directory.Apply(ctx, st, plan, time.Now())
			if err != nil {
				return err
			}
			_ = st.RecordAudit(ctx, &survey.AuditEntry{At: time.Now().UTC(), Actor: "system (command line)", Action: "library.import", Target: "libraries",
				Details: fmt.Sprintf("%d created, %d merged from %s", created, merged, filepath.Base(fs.Arg(0)))})
			fmt.Fprintf(stdout, "Imported: %d created, %d merged.\n", created, merged)
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
			libs, _, err := st.ListLibraries(ctx, survey.LibraryFilter{})
			if err != nil {
				return err
			}
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			if format == "xlsx" {
				err = directory.WriteXLSX(f, libs)
			} else {
				err = directory.WriteCSV(f, libs)
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Wrote %s (%d libraries).\n", *out, len(libs))
			return nil
		})
	}
	return usageError{fmt.Sprintf("unknown libraries subcommand %q", args[0])}
}
