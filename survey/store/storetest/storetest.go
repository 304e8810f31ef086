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
	"sync"
	"testing"

	"github.com/metlib/canvass/survey/store"
)

var (
	startOnce sync.Once
	uri       string
	startErr  error
	embedded  *store.Embedded
	dir       string
)

// Main runs the package's tests and then stops the embedded server, which
// starts with the first test that asks for a store (so fuzz workers and
// packages' pure tests do not pay for it). Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if embedded != nil {
		if err := embedded.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

func start() {
	if dir, startErr = os.MkdirTemp("", "canvass-test-"); startErr != nil {
		return
	}
	if embedded, startErr = store.StartEmbedded(dir, slog.New(slog.NewTextHandler(os.Stderr, nil))); startErr == nil {
		uri = embedded.URI
	}
}

// URI returns the embedded server's connection string, starting it if need be.
func URI() string {
	startOnce.Do(start)
	return uri
}

// New returns a store on a database of its own, dropped when the test ends.
func New(tb testing.TB) *store.Store {
	tb.Helper()
	startOnce.Do(start)
	if startErr != nil {
		tb.Fatalf("start the embedded database: %v", startErr)
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
