// Command canvass runs the Canvass survey service and its maintenance tasks.
//
// Usage:
//
//	canvass serve                                 run the web service
//	canvass token create --name N --role R        create an API token (printed once)
//	canvass token list | revoke ID                list or revoke API tokens
//	canvass user create --email E --role R        create a working-group account
//	canvass user update --email E [--role R] [--regions …] [--disabled …]  change an account
//	canvass user reset-password --email E         set a new password
//	canvass user list                             list accounts
//	canvass survey validate FILE                  check a YAML or JSON definition
//	canvass survey list                           list surveys and response counts
//	canvass survey new-wave                       the next wave of a series, a draft copy
//	canvass survey label                          an unlabelled wave labelled where it stands
//	canvass survey import-round                   an old round brought in as a closed wave
//	canvass analyze --survey S [--by Q]           statistics of the responses
//	canvass demo --survey S --responses N         synthetic responses for trying things out
//	canvass demo --remove                         delete everything demo wrote
//	canvass version                               print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is stamped at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `Canvass: survey collection and impact analysis for library associations.

Usage:
  canvass serve [flags]                           run the web service (see canvass serve -h)
  canvass token create --name NAME --role ROLE    create an API token; ROLE is admin or analyst
  canvass token list                              list API tokens
  canvass token revoke ID                         revoke an API token
  canvass user create --email EMAIL --role ROLE [--regions R,R] [--name NAME] [--password-stdin | --link]
                                                  create an account (ROLE admin, analyst, or coordinator with
                                                  --regions, e.g. europe,north_america); the password is asked
                                                  for (or read from stdin), or --link prints a one-time link to set it
  canvass user update --email EMAIL [--role ROLE] [--regions R,R] [--disabled true|false]
                                                  change an account's role, regions or whether it is disabled
  canvass user reset-password --email EMAIL [--password-stdin | --link]
                                                  set a new password (signs the user out everywhere)
  canvass user list                               list accounts
  canvass survey validate FILE                    check a survey definition (YAML or JSON)
  canvass survey list                             list surveys with their status, responses, series and wave
  canvass survey new-wave --from S --slug NEW --wave LABEL
                                                  the next wave of S's series: a draft copy of S (see docs/waves.md)
  canvass survey label --slug S --wave LABEL     give S, an unlabelled wave, a label that keeps its place in its
                                                  series (an old round can then be imported before it)
  canvass survey import-round --slug S --wave LABEL [--confirm] FILE
                                                  bring an old round of S's series in from .csv or .xlsx (one row
                                                  per library) as a closed wave; a dry run without --confirm
  canvass analyze --survey S [--by Q] [--report] [--lang L] [--format table|json]
                                                  statistics of the submitted responses
  canvass export --survey S --kind raw|whitepaper --format xlsx|csv|jsonl -o FILE [--labels] [--bom] [--lang L]
                                                  write the responses or the white-paper tables (progress on a terminal)
  canvass export --survey S --series [--layout long|wide] [--codebook] --format xlsx|csv|jsonl -o FILE
                                                  the waves of S's series up to S in one file, a row per library per
                                                  wave (long) or per library (wide); --codebook: the CSV's codebook
  canvass demo --survey S [--responses N] [--seed X]
                                                  add made-up responses and libraries (for trying things out), marked
                                                  as demo data: counted on admin pages under a banner, never public
  canvass demo --remove                           delete exactly what demo wrote (every survey), nothing else
  canvass libraries import [--merge] [--confirm] FILE
                                                  import libraries from .csv or .xlsx (a dry run without --confirm)
  canvass libraries export -o FILE.xlsx|FILE.csv  export the library directory
  canvass invitations create --survey S (--library ID ... | --all | --members | --previous-wave) [--region R]
                              [--legal-basis KIND --legal-basis-note TEXT]
                                                  invite libraries (contacts without recorded consent
                                                  only on a documented legal basis; a withdrawn one again)
  canvass invitations list --survey S             list the invitations with their ids and status
  canvass invitations mailmerge --survey S [--reminders | --new-links [--invitation ID ...]]
                              --base-url URL -o FILE.xlsx|FILE.csv
                                                  the mail-merge file: first links, reminders, or new links
  canvass reports list --survey S                 the responding libraries, their report emails, the release
  canvass reports preview --survey S --library ID [--lang L] -o FILE.pdf|FILE.xlsx|FILE.json
                                                  a library's benchmark report, released or not
  canvass reports release|withdraw --survey S     let every responding library read its report through
                                                  its personal link, or stop it
  canvass reports send --survey S --base-url URL [--smtp-url URL | -o FILE.xlsx|FILE.csv] [--all]
                                                  tell each responding library its report is ready (one
                                                  email in its language with a fresh link), or write
                                                  the mail-merge file; --all: those told before again
  canvass db [--data-dir D] [--addr 127.0.0.1:27017]
                                                  run the embedded database alone, for several serve processes
  canvass backup -o FILE                          write an archive of every collection
  canvass restore FILE                            restore an archive into an empty database
  canvass healthcheck [--path /healthz]           exit 0 if the local server answers (container health checks)
  canvass version                                 print the version

Data commands use the same CANVASS_MONGODB_URI, CANVASS_DATA_DIR and CANVASS_DB as
serve (or the flags --mongodb-uri, --data-dir, --db). They work whether or not
"canvass serve" is running on the same data directory.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		if !errors.Is(err, errUsageShown) {
			fmt.Fprintln(os.Stderr, "canvass:", strings.ReplaceAll(err.Error(), "\n", "\ncanvass: "))
		}
		os.Exit(exitCode(err))
	}
}

// errUsageShown means the help text was printed already.
var errUsageShown = errors.New("usage shown")

// exitCode is 2 for wrong usage, 1 for any other failure.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, errUsageShown) {
		return 2
	}
	return 1
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg + "\n(run canvass help for usage)" }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsageShown
	}
	// "canvass token --help" (or a group with no subcommand) prints the usage.
	switch args[0] {
	case "token", "user", "survey", "libraries", "invitations", "reports":
		if len(args) == 1 || args[1] == "-h" || args[1] == "-help" || args[1] == "--help" || args[1] == "help" {
			fmt.Fprint(stdout, usage)
			return nil
		}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr, getenv)
	case "token":
		return tokenCommand(ctx, args[1:], stdout, stderr, getenv)
	case "survey":
		return surveyCommand(ctx, args[1:], stdout, stderr, getenv)
	case "user":
		return userCommand(ctx, args[1:], stdin, stdout, stderr, getenv)
	case "analyze":
		return analyzeCommand(ctx, args[1:], stdout, stderr, getenv)
	case "demo":
		return demoCommand(ctx, args[1:], stdout, stderr, getenv)
	case "export":
		return exportCommand(ctx, args[1:], stdout, stderr, getenv)
	case "db":
		return dbCommand(ctx, args[1:], stdout, stderr, getenv)
	case "libraries":
		return librariesCommand(ctx, args[1:], stdout, stderr, getenv)
	case "invitations":
		return invitationsCommand(ctx, args[1:], stdout, stderr, getenv)
	case "reports":
		return reportsCommand(ctx, args[1:], stdout, stderr, getenv)
	case "healthcheck":
		return healthcheckCommand(ctx, args[1:], stderr, getenv)
	case "backup":
		return backupCommand(ctx, args[1:], stdout, stderr, getenv)
	case "restore":
		return restoreCommand(ctx, args[1:], stdout, stderr, getenv)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "canvass", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func serve(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parseConfig(args, getenv)
	if errors.Is(err, flagHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	m := &Main{Config: cfg, Logger: newLogger(stderr, cfg.LogFormat, cfg.LogLevel)}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	m.Logger.Info("shutting down", "grace", cfg.ShutdownGrace.String())
	return m.Close()
}

func newLogger(w io.Writer, format, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
