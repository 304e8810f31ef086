package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// flagHelp is returned when -h was asked for; the usage is already printed.
var flagHelp = flag.ErrHelp

// withStore runs fn with a store opened as the data flags say, and closes it.
func withStore(ctx context.Context, cfg *Config, stderr io.Writer, fn func(*store.Store) error) error {
	if err := checkDataConfig(cfg); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, e, err := openStore(ctx, cfg, logger, false)
	if err != nil {
		return err
	}
	defer func() {
		_ = st.Close(context.Background())
		if e != nil {
			_ = e.Close()
		}
	}()
	return fn(st)
}

// withCampaign runs fn with the use cases over the store, acting as the
// system (survey.SystemActor): a command does what the API would, through
// the same campaign methods, and its changes are audited as "system".
func withCampaign(ctx context.Context, cfg *Config, stderr io.Writer, fn func(context.Context, *campaign.Service) error) error {
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		return fn(survey.WithActor(ctx, survey.SystemActor), newCampaign(st, logger, nil, nil))
	})
}

func tokenCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"token needs a subcommand: create, list or revoke"}
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	switch args[0] {
	case "create":
		name := fs.String("name", "", "what the token is for, e.g. \"reporting script\" (required)")
		role := fs.String("role", "", "admin or analyst (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if strings.TrimSpace(*name) == "" {
			return usageError{"token create: --name is required"}
		}
		if !survey.Role(*role).TokenRole() {
			return usageError{fmt.Sprintf("token create: --role must be admin or analyst (coordinators sign in: their regions belong to their account), got %q", *role)}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			t, secret, err := uc.CreateToken(ctx, *name, survey.Role(*role))
			if err != nil {
				return errors.New(survey.ErrorMessage(err))
			}
			fmt.Fprintf(stderr, "Created %s token %q (id %s). Copy it now: it is shown only once.\n", t.Role, t.Name, t.ID)
			fmt.Fprintln(stdout, secret)
			return nil
		})
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			tokens, err := uc.ListTokens(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tROLE\tCREATED\tLAST USED\tREVOKED")
			for _, t := range tokens {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.CreatedAt.Format(time.DateTime), timeOrDash(t.LastUsedAt), timeOrDash(t.RevokedAt))
			}
			return w.Flush()
		})
	case "revoke":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if fs.NArg() != 1 {
			return usageError{"token revoke needs one token ID (see canvass token list)"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			if err := uc.RevokeToken(ctx, fs.Arg(0)); err != nil {
				return errors.New(survey.ErrorMessage(err))
			}
			fmt.Fprintf(stderr, "Revoked token %s.\n", fs.Arg(0))
			return nil
		})
	}
	return usageError{fmt.Sprintf("unknown token subcommand %q", args[0])}
}

func surveyCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"survey needs a subcommand: validate, list, new-wave, label or import-round"}
	}
	fs := flag.NewFlagSet("survey "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "validate":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if fs.NArg() != 1 {
			return usageError{"survey validate needs one file"}
		}
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		format := campaign.FormatOfFile(fs.Arg(0))
		if format == "" {
			format = "yaml" // what a file without a known extension most likely is
		}
		s, notes, err := campaign.ParseDefinition(campaign.Definition{Data: data, Format: format})
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", fs.Arg(0), survey.ErrorMessage(err))
			for _, f := range survey.ErrorFields(err) {
				fmt.Fprintf(stderr, "  %s: %s\n", f.Where(), f.Message)
			}
			return errors.New("the definition is not valid")
		}
		fmt.Fprintf(stdout, "%s: valid survey %q, version %d, %d questions in %d sections, languages %s\n",
			fs.Arg(0), s.Slug, s.Version, len(s.Questions()), len(s.Sections), strings.Join(s.Languages, ", "))
		for _, n := range notes {
			fmt.Fprintf(stdout, "  not imported: %s\n", n)
		}
		return nil
	case "list":
		cfg := dataFlags(fs, getenv)
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			surveys, err := svc.ListSurveys(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SLUG\tVERSION\tSTATUS\tRESPONSES\tSERIES\tWAVE\tTITLE")
			for _, sum := range surveys {
				s := sum.Survey
				fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%s\t%s\t%s\n", s.Slug, s.Version, s.Status, sum.Responses, s.SeriesName(), cmp.Or(s.Wave, "—"), s.Title.In(s.DefaultLanguage, "en"))
			}
			return w.Flush()
		})
	case "new-wave":
		cfg := dataFlags(fs, getenv)
		from := fs.String("from", "", "the survey to copy: the series' last wave (required)")
		slug := fs.String("slug", "", "the new wave's slug, e.g. landscape-2026 (required)")
		wave := fs.String("wave", "", "the new wave's label, after every wave's so far, e.g. 2026 (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if *from == "" || *slug == "" || *wave == "" {
			return usageError{"survey new-wave: --from, --slug and --wave are required"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			next, err := svc.CreateWave(ctx, *from, campaign.NewWave{Slug: *slug, Wave: *wave})
			if err != nil {
				return commandError(err)
			}
			fmt.Fprintf(stdout, "%s: wave %s of the %s series, a draft copy of %s. Edit it (survey definitions are uploaded as new versions), set its dates, publish it, then invite the last wave's libraries: canvass invitations create --survey %s --previous-wave\n",
				next.Slug, next.Wave, next.Series, *from, next.Slug)
			return nil
		})
	case "label":
		cfg := dataFlags(fs, getenv)
		slug := fs.String("slug", "", "the unlabelled wave, e.g. landscape (required)")
		wave := fs.String("wave", "", "its label, one that keeps its place among the series' waves, e.g. 2025 (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if *slug == "" || *wave == "" {
			return usageError{"survey label: --slug and --wave are required"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			sv, err := svc.LabelWave(ctx, *slug, *wave)
			if err != nil {
				return commandError(err)
			}
			fmt.Fprintf(stdout, "%s: wave %s of the %s series (version %d). An old round can now be imported before it: canvass survey import-round --slug %s --wave 2019 FILE\n",
				sv.Slug, sv.Wave, sv.SeriesName(), sv.Version, sv.Slug)
			return nil
		})
	case "import-round":
		return importRoundCommand(ctx, fs, args[1:], stdout, stderr, getenv)
	}
	return usageError{fmt.Sprintf("unknown survey subcommand %q", args[0])}
}

func helpOrUsage(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return usageError{err.Error()}
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateTime)
}
