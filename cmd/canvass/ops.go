package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/metlib/canvass/survey/store"
)

// dbCommand runs the embedded database alone, so that several `canvass
// serve` processes (CANVASS_MONGODB_URI pointing at it) can share it on one
// machine, as replicas would share a MongoDB.
func dbCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr(getenv, "CANVASS_DATA_DIR", "./data"), "directory of the embedded database (env CANVASS_DATA_DIR)")
	addr := fs.String("addr", "127.0.0.1:27017", "loopback address to listen on, besides the Unix socket in the data directory")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	e, err := store.StartEmbeddedOn(*dataDir, *addr, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Embedded database running. Point canvass serve at it with:\n  CANVASS_MONGODB_URI=%s\n", e.TCPURI)
	<-ctx.Done()
	logger.Info("stopping the embedded database")
	return e.Close()
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// healthcheckCommand asks a running server's /healthz, for container
// health checks in images without curl.
func healthcheckCommand(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "CANVASS_ADDR", ":8080"), "the address canvass serve listens on (env CANVASS_ADDR)")
	path := fs.String("path", "/healthz", "/healthz (alive) or /readyz (database reachable)")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError{fmt.Sprintf("healthcheck: %q is not host:port", *addr)}
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+*path, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return errors.New("unhealthy: " + strings.TrimSpace(res.Status))
	}
	return nil
}

func backupCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	out := fs.String("o", "", "archive file to write (required), e.g. canvass-2026-11-27.backup.gz")
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if *out == "" {
		return usageError{"backup: -o FILE is required"}
	}
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		tmp, err := os.CreateTemp(filepath.Dir(*out), ".canvass-backup-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		info, err := st.Backup(ctx, tmp)
		if err != nil {
			return err
		}
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Rename(tmp.Name(), *out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s: %s (%s).\n", *out, describeCounts(info.Collections), info.Consistency)
		if info.Consistency != "snapshot" {
			fmt.Fprintln(stderr, "Note: the embedded database has no snapshots; each collection was copied as it was. For an exact copy, back up while nothing writes.")
		}
		return nil
	})
}

func restoreCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := dataFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(err)
	}
	if fs.NArg() != 1 {
		return usageError{"restore needs one archive file"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	return withStore(ctx, cfg, stderr, func(st *store.Store) error {
		info, err := st.Restore(ctx, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Restored %s into database %s.\n", describeCounts(info.Collections), cfg.DB)
		return nil
	})
}

func describeCounts(c map[string]int) string {
	names := make([]string, 0, len(c))
	total := 0
	for name, n := range c {
		names = append(names, fmt.Sprintf("%s %d", name, n))
		total += n
	}
	sort.Strings(names)
	return fmt.Sprintf("%d documents (%s)", total, strings.Join(names, ", "))
}
