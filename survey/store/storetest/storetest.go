// Package storetest gives tests a real store: one embedded MongoDB-wire
// server per test package, and a fresh database per test.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/metlib/canvass/survey/store"
)

var uri string

// Main starts the embedded server, runs the package's tests and stops it.
// Call it from TestMain.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "canvass-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	e, err := store.StartEmbedded(dir, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	uri = e.URI
	code := m.Run()
	if err := e.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// URI returns the embedded server's connection string.
func URI() string { return uri }

// New returns a store on a database of its own, dropped when the test ends.
func New(tb testing.TB) *store.Store {
	tb.Helper()
	if uri == "" {
		tb.Fatal("storetest.Main was not called from TestMain")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	st, err := store.Open(context.Background(), uri, "test_"+hex.EncodeToString(b))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		if err := st.Drop(ctx); err != nil {
			tb.Error(err)
		}
		_ = st.Close(ctx)
	})
	return st
}
