package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// invitationsCommand runs "canvass invitations create|list|mailmerge":
// the same campaign methods as the invitations page and the API.
func invitationsCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"invitations needs a subcommand: create, list or mailmerge"}
	}
	fs := flag.NewFlagSet("invitations "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	slug := fs.String("survey", "", "the survey's slug (required)")
	switch args[0] {
	case "create":
		var libraries listFlag
		fs.Var(&libraries, "library", "a library id to invite (repeat for several)")
		all := fs.Bool("all", false, "invite every library of the directory")
		members := fs.Bool("members", false, "invite the section's members")
		previous := fs.Bool("previous-wave", false, "invite every library the series' previous wave invited or heard from")
		region := fs.String("region", "", "only libraries of this IFLA region (with --all or --members), e.g. europe")
		basis := fs.String("legal-basis", "", "invite contacts without recorded consent too, on this documented basis: legitimate_interest, membership or public_task")
		note := fs.String("legal-basis-note", "", "where the legal basis is documented (required with --legal-basis)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if *slug == "" {
			return usageError{"invitations create: --survey is required"}
		}
		if (len(libraries) > 0) == (*all || *members || *previous || *region != "") {
			return usageError{"invitations create: give --library ID (repeatable), or --all / --members / --previous-wave [--region R]"}
		}
		if (*basis == "") != (*note == "") {
			return usageError{"invitations create: --legal-basis and --legal-basis-note go together"}
		}
		who := campaign.Invitees{LibraryIDs: libraries, Region: survey.Region(*region), All: *all, PreviousWave: *previous}
		if *members {
			yes := true
			who.Member = &yes
		}
		if *basis != "" {
			who.Basis = &campaign.LegalBasis{Kind: *basis, Note: *note}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			done, err := svc.Invite(ctx, *slug, who)
			if err != nil {
				return commandError(err)
			}
			fmt.Fprintln(stdout, inviteSummary(done))
			if len(done.Skipped) > 0 {
				w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "LEFT OUT\tID\tWHY")
				for _, sk := range done.Skipped {
					fmt.Fprintf(w, "%s\t%s\t%s\n", sk.Name, sk.LibraryID, sk.Reason)
				}
				return w.Flush()
			}
			return nil
		})
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		if *slug == "" {
			return usageError{"invitations list: --survey is required"}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			list, err := svc.Invitations(ctx, *slug)
			if err != nil {
				return commandError(err)
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tLIBRARY\tEMAIL\tLANGUAGE\tSTATUS")
			for _, inv := range list {
				status := string(inv.Status)
				if inv.Revoked {
					status = "withdrawn"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", inv.ID, inv.Library, inv.Email, inv.Language, status)
			}
			return w.Flush()
		})
	case "mailmerge":
		reminders := fs.Bool("reminders", false, "the reminder file: those sent a link who have not answered, with fresh links")
		newLinks := fs.Bool("new-links", false, "new links (the old ones stop working) for --invitation IDs, or every invitation not answered")
		var ids listFlag
		fs.Var(&ids, "invitation", "with --new-links: an invitation id (repeat for several; see invitations list)")
		base := fs.String("base-url", getenv("CANVASS_BASE_URL"), "the public address the links start with (env CANVASS_BASE_URL)")
		out := fs.String("o", "", "output file, .xlsx or .csv (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		switch {
		case *slug == "":
			return usageError{"invitations mailmerge: --survey is required"}
		case *out == "" || (format != "xlsx" && format != "csv"):
			return usageError{"invitations mailmerge needs -o FILE.xlsx or -o FILE.csv"}
		case *base == "":
			return usageError{"invitations mailmerge needs --base-url (or CANVASS_BASE_URL), the address people open Canvass at"}
		case *reminders && *newLinks:
			return usageError{"invitations mailmerge: --reminders or --new-links, not both"}
		case len(ids) > 0 && !*newLinks:
			return usageError{"invitations mailmerge: --invitation goes with --new-links"}
		}
		req := campaign.MergeRequest{Mailing: campaign.MailingInvitations, Format: format, Base: *base, InvitationIDs: ids}
		if *reminders {
			req.Mailing = campaign.MailingReminders
		} else if *newLinks {
			req.Mailing = campaign.MailingNewLinks
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, svc *campaign.Service) error {
			f, err := svc.MailMerge(ctx, *slug, req)
			if err != nil {
				return commandError(err)
			}
			if err := os.WriteFile(*out, f.Data, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Wrote %s (%s).\n", *out, counted(f.Rows, "invitation", "invitations"))
			return nil
		})
	}
	return usageError{fmt.Sprintf("unknown invitations subcommand %q", args[0])}
}

// commandError is a refusal as the command line says it: the message and
// each field's.
func commandError(err error) error {
	if survey.ErrorCode(err) == "" || survey.ErrorCode(err) == survey.EINTERNAL || survey.ErrorCode(err) == survey.EUNAVAILABLE {
		return err
	}
	msg := survey.ErrorMessage(err)
	for _, f := range survey.ErrorFields(err) {
		msg += "\n  " + f.Path + ": " + f.Message
	}
	return errors.New(msg)
}

// counted is n with the noun in the number it takes: "1 library",
// "0 libraries", "2 libraries".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// inviteSummary is the one line invitations create prints: how many
// libraries were invited, invited again, invited on the legal basis given
// and left out, each count with its own noun, and nothing said of what
// did not happen (no "0 invited again").
func inviteSummary(done *campaign.Invited) string {
	line := counted(len(done.Created), "library", "libraries") + " invited"
	if n := len(done.Reinvited); n > 0 {
		line += ", " + counted(n, "library", "libraries") + " invited again after a withdrawal"
	}
	if n := len(done.OnBasis); n > 0 {
		line += " (" + counted(n, "library", "libraries") + " without recorded consent, on the legal basis given)"
	}
	if n := len(done.Skipped); n > 0 {
		line += ", " + counted(n, "library", "libraries") + " left out"
	}
	return line + "."
}
