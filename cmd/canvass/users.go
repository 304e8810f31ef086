package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

func userCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usageError{"user needs a subcommand: create, update, reset-password or list"}
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	switch args[0] {
	case "create", "reset-password":
		email := fs.String("email", "", "the user's email address (required)")
		var name, role, regions *string
		if args[0] == "create" {
			name = fs.String("name", "", "the user's name")
			role = fs.String("role", "", "admin, analyst or coordinator (required)")
			regions = fs.String("regions", "", "a coordinator's IFLA regions, comma-separated, e.g. europe,north_america")
		}
		fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
		link := fs.Bool("link", false, "print a one-time link (valid 7 days) for the user to choose the password")
		base := fs.String("base-url", getenv("CANVASS_BASE_URL"), "public URL for --link (env CANVASS_BASE_URL)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		addr, err := survey.CheckEmail(*email)
		if err != nil {
			return usageError{fmt.Sprintf("user %s: --email: %s", args[0], survey.ErrorMessage(err))}
		}
		if role != nil && !survey.Role(*role).Valid() {
			return usageError{fmt.Sprintf("user create: --role must be admin, analyst or coordinator, got %q", *role)}
		}
		if *fromStdin && *link {
			return usageError{"use --password-stdin or --link, not both"}
		}
		if *link && *base == "" {
			return usageError{"--link needs --base-url (or CANVASS_BASE_URL), the address people open Canvass at"}
		}
		var password string
		if !*link {
			if password, err = readPassword(stdin, stderr, *fromStdin); err != nil {
				return err
			}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			var u *survey.User
			var secret string
			if args[0] == "create" {
				u, secret, err = uc.CreateUser(ctx, campaign.NewUser{Email: addr, Name: *name, Role: survey.Role(*role), Regions: splitRegions(*regions), Password: password})
			} else {
				u, secret, err = uc.ResetPassword(ctx, addr, password)
			}
			if err != nil {
				return errors.New(errorWithFields(err))
			}
			if secret != "" {
				fmt.Fprintln(stdout, campaign.SetupLink(*base, secret))
			}
			fmt.Fprintf(stderr, "Done: %s (%s).\n", u.Email, roleOf(u))
			return nil
		})
	case "update":
		email := fs.String("email", "", "the user's email address (required)")
		role := fs.String("role", "", "admin, analyst or coordinator (default: unchanged)")
		regions := fs.String("regions", "", "a coordinator's IFLA regions, comma-separated (default: unchanged; cleared for other roles)")
		disabled := fs.String("disabled", "", "true to disable the account (signing them out), false to enable it (default: unchanged)")
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		addr, err := survey.CheckEmail(*email)
		if err != nil {
			return usageError{"user update: --email: " + survey.ErrorMessage(err)}
		}
		if *disabled != "" && *disabled != "true" && *disabled != "false" {
			return usageError{fmt.Sprintf("user update: --disabled is true or false, got %q", *disabled)}
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			users, err := uc.ListUsers(ctx)
			if err != nil {
				return err
			}
			var u *survey.User
			for _, x := range users {
				if x.Email == addr {
					u = x
				}
			}
			if u == nil {
				return fmt.Errorf("there is no user %s", addr)
			}
			newRole, newRegions, off := u.Role, u.Regions, u.Disabled
			if set["role"] {
				newRole = survey.Role(*role)
				if newRole != survey.RoleCoordinator {
					newRegions = nil // only coordinators have regions
				}
			}
			if set["regions"] {
				newRegions = splitRegions(*regions)
			}
			if *disabled != "" {
				off = *disabled == "true"
			}
			if u, err = uc.UpdateUser(ctx, u.ID, newRole, newRegions, off); err != nil {
				return errors.New(errorWithFields(err))
			}
			fmt.Fprintf(stderr, "Done: %s (%s, disabled %t).\n", u.Email, roleOf(u), u.Disabled)
			return nil
		})
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return helpOrUsage(err)
		}
		return withCampaign(ctx, cfg, stderr, func(ctx context.Context, uc *campaign.Service) error {
			users, err := uc.ListUsers(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tDISABLED\tLAST SIGN-IN\tREGIONS")
			for _, u := range users {
				regions := "-"
				if len(u.Regions) > 0 {
					regions = joinRegions(u.Regions)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%t\t%s\t%s\n", u.Email, u.Name, u.Role, u.Disabled, timeOrDash(u.LastLoginAt), regions)
			}
			return w.Flush()
		})
	}
	return usageError{fmt.Sprintf("unknown user subcommand %q", args[0])}
}

// splitRegions reads a comma-separated --regions.
func splitRegions(s string) []survey.Region {
	var out []survey.Region
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, survey.Region(r))
		}
	}
	return out
}

func joinRegions(rs []survey.Region) string {
	codes := make([]string, len(rs))
	for i, r := range rs {
		codes[i] = string(r)
	}
	return strings.Join(codes, ",")
}

// roleOf is a user's role as the command line reports it: "coordinator of
// europe,north_america" for a coordinator.
func roleOf(u *survey.User) string {
	if len(u.Regions) == 0 {
		return string(u.Role)
	}
	return string(u.Role) + " of " + joinRegions(u.Regions)
}

// errorWithFields is an error's message followed by its fields' ones, so that
// every problem of the account is reported at once.
func errorWithFields(err error) string {
	msg := survey.ErrorMessage(err)
	for _, f := range survey.ErrorFields(err) {
		msg += " " + f.Path + ": " + f.Message
	}
	return msg
}

// readPassword reads a new password from stdin's first line, or asks twice
// on the terminal without echo.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool) (string, error) {
	var pw string
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	} else {
		f, ok := stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", usageError{"no terminal to ask for the password: use --password-stdin or --link"}
		}
		fmt.Fprint(stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		pw = string(a)
	}
	if err := survey.CheckNewPassword(pw); err != nil {
		return "", errors.New("password: " + survey.ErrorMessage(err))
	}
	return pw, nil
}
