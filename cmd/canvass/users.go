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
		return usageError{"user needs a subcommand: create, reset-password or list"}
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	switch args[0] {
	case "create", "reset-password":
		email := fs.String("email", "", "the user's email address (required)")
		var name, role *string
		if args[0] == "create" {
			name = fs.String("name", "", "the user's name")
			role = fs.String("role", "", "admin or analyst (required)")
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
			return usageError{fmt.Sprintf("user create: --role must be admin or analyst, got %q", *role)}
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
				u, secret, err = uc.CreateUser(ctx, campaign.NewUser{Email: addr, Name: *name, Role: survey.Role(*role), Password: password})
			} else {
				u, secret, err = uc.ResetPassword(ctx, addr, password)
			}
			if err != nil {
				return errors.New(survey.ErrorMessage(err))
			}
			if secret != "" {
				fmt.Fprintln(stdout, campaign.SetupLink(*base, secret))
			}
			fmt.Fprintf(stderr, "Done: %s (%s).\n", u.Email, u.Role)
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
			fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tDISABLED\tLAST SIGN-IN")
			for _, u := range users {
				fmt.Fprintf(w, "%s\t%s\t%s\t%t\t%s\n", u.Email, u.Name, u.Role, u.Disabled, timeOrDash(u.LastLoginAt))
			}
			return w.Flush()
		})
	}
	return usageError{fmt.Sprintf("unknown user subcommand %q", args[0])}
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
