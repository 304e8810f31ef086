package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/feedback"
	"github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// reportsCommand runs "canvass reports release|withdraw|list|preview|send":
// the same campaign methods as the benchmark reports page and the API.
func reportsCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"reports needs a subcommand: list, preview, release, withdraw or send"}
	}
	fs := flag.NewFlagSet("reports "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	slug := fs.String("survey", "", "the survey's slug (required)")
	need := func() error {
		if *slug == "" {
			return usageError{"reports " + args[0] + ": --survey is required"}
		}
		return nil
	}
	switch args[0] {
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if err := need(); err != nil {
			return err
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			list, err := svc.Reports(ctx, *slug)
			if err != nil {
				return commandError(err)
			}
			if list.Release.Released() {
				fmt.Fprintf(stdout, "Released %s by %s.\n", list.Release.ReleasedAt.Format("2006-01-02 15:04 UTC"), list.Release.ReleasedBy)
			} else {
				fmt.Fprintln(stdout, "Not released.")
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "LIBRARY ID\tLIBRARY\tLANGUAGE\tREGION\tSUBMITTED\tEMAILED")
			for _, l := range list.Libraries {
				emailed := "-"
				if l.Emailed != nil {
					emailed = l.Emailed.Format("2006-01-02 15:04")
				} else if !l.Mailable {
					emailed = "no invitation"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", l.LibraryID, l.Library, l.Language, cmp.Or(string(l.Region), "-"), l.Submitted.Format("2006-01-02"), emailed)
			}
			return w.Flush()
		})
	case "preview":
		library := fs.String("library", "", "the library's id (required; see reports list)")
		lang := fs.String("lang", "", "the report's language (default: the one the library answered in)")
		out := fs.String("o", "", "output file, .pdf, .xlsx or .json (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		switch {
		case need() != nil:
			return need()
		case *library == "":
			return usageError{"reports preview: --library is required"}
		case format != "pdf" && format != "xlsx" && format != "json":
			return usageError{"reports preview needs -o FILE.pdf, FILE.xlsx or FILE.json"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			rep, _, err := svc.PreviewReport(ctx, *slug, *library, *lang)
			if err != nil {
				return commandError(err)
			}
			var buf bytes.Buffer
			switch format {
			case "pdf":
				err = feedback.WritePDF(&buf, rep)
			case "xlsx":
				err = feedback.WriteXLSX(&buf, rep)
			default:
				enc := json.NewEncoder(&buf)
				enc.SetIndent("", "  ")
				err = enc.Encode(rep)
			}
			if err != nil {
				return err
			}
			if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "Wrote the report of %s (%s) to %s.\n", rep.Library, rep.Lang, *out)
			return nil
		})
	case "release", "withdraw":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if err := need(); err != nil {
			return err
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			set := svc.ReleaseReports
			if args[0] == "withdraw" {
				set = svc.WithdrawReports
			}
			rel, err := set(ctx, *slug)
			if err != nil {
				return commandError(err)
			}
			if rel.Released() {
				fmt.Fprintf(stdout, "The reports of %s are released: every responding library can read its own through its personal link. Tell them with canvass reports send.\n", *slug)
				if rel.KeptFrozen {
					sv, err := svc.Surveys().FindSurvey(ctx, *slug)
					if err != nil {
						return commandError(err)
					}
					fmt.Fprintln(stdout, campaign.ReleaseNote(rel, sv.SmallCellK()))
				}
			} else {
				fmt.Fprintf(stdout, "The reports of %s are withdrawn: the personal links lead to no report.\n", *slug)
			}
			return nil
		})
	case "send":
		base := fs.String("base-url", getenv("CANVASS_BASE_URL"), "the public address the links start with (env CANVASS_BASE_URL)")
		smtpURL := fs.String("smtp-url", getenv("CANVASS_SMTP_URL"), "the SMTP server to send through (env CANVASS_SMTP_URL); without it, -o writes the mail-merge file")
		out := fs.String("o", "", "write the mail-merge file (.xlsx or .csv) instead of sending")
		all := fs.Bool("all", false, "every responding library again, not only those not told since the release")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		switch {
		case need() != nil:
			return need()
		case *base == "":
			return usageError{"reports send needs --base-url (or CANVASS_BASE_URL), the address people open Canvass at"}
		case *out != "" && format != "xlsx" && format != "csv":
			return usageError{"reports send: -o FILE.xlsx or -o FILE.csv"}
		case *out == "" && *smtpURL == "":
			return usageError{"reports send needs --smtp-url (or CANVASS_SMTP_URL) to send, or -o FILE.xlsx|FILE.csv for the mail-merge file"}
		}
		var mailer campaign.Mailer
		if *out == "" {
			smtp, err := mail.ParseURL(*smtpURL)
			if err != nil {
				return usageError{"reports send: --smtp-url: " + err.Error()}
			}
			mailer = mail.NewSender(smtp)
		}
		return withStore(ctx, cfg, stderr, func(st *store.Store) error {
			logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			svc := newCampaign(st, logger, mailer, nil)
			ctx := survey.WithActor(ctx, survey.SystemActor)
			if *out != "" {
				f, err := svc.ReportMailMerge(ctx, *slug, *base, format, *all)
				if err != nil {
					return commandError(err)
				}
				if err := os.WriteFile(*out, f.Data, 0o600); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "Wrote %d report links to %s; each library in it counts as told.\n", f.Rows, *out)
				return nil
			}
			res, err := svc.SendReports(ctx, *slug, *base, *all)
			if err != nil {
				return commandError(err)
			}
			fmt.Fprintf(stdout, "%d report emails sent, %d failed.\n", res.Sent, len(res.Failed))
			if len(res.Failed) > 0 {
				w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "LIBRARY\tEMAIL\tERROR")
				for _, f := range res.Failed {
					fmt.Fprintf(w, "%s\t%s\t%s\n", f.Library, f.Email, f.Error)
				}
				return w.Flush()
			}
			return nil
		})
	}
	return usageError{fmt.Sprintf("unknown reports subcommand %q: list, preview, release, withdraw or send", args[0])}
}
