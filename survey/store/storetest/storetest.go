// Package storetest gives tests a real store: one embedded MongoDB-wire
// server per test package, and a fresh database per test.
//
// With CANVASS_TEST_MONGODB_URI set (say
// mongodb://localhost:27017/?replicaSet=rs0), the same tests run unchanged
// against that server instead of the embedded one: each test still gets a
// database of its own (named test_ and 12 random hex digits), dropped when
// it ends, so suites of several packages, or several runs, can share one
// server.
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

// EnvURI names the variable that points the suites at a MongoDB server.
const EnvURI = "CANVASS_TEST_MONGODB_URI"

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
	if uri = os.Getenv(EnvURI); uri != "" {
		return
	}
	if dir, startErr = os.MkdirTemp("", "canvass-test-"); startErr != nil {
		return
	}
	if embedded, startErr = store.StartEmbedded(dir, slog.New(slog.NewTextHandler(os.Stderr, nil))); startErr == nil {
		uri = embedded.URI
	}
}

// URI returns the connection string of the server the tests use:
// CANVASS_TEST_MONGODB_URI when it is set, or else the embedded server's,
// started if need be.
func URI() string {
	startOnce.Do(start)
	return uri
}

// New returns a store on a database of its own, dropped when the test ends.
func New(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), serverURI(tb), newName())
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

func newName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "test_" + hex.EncodeToString(b)
}

// DatabaseName returns a database name no other test uses, for a test that
// opens stores on it itself (to reopen one, or to break one); the database
// is dropped when the test ends, whatever the test did with its stores.
func DatabaseName(tb testing.TB) string {
	tb.Helper()
	u, name := serverURI(tb), newName()
	tb.Cleanup(func() {
		// Through a client of its own: the test's may be closed already.
		ctx := context.Background()
		st, err := store.Open(ctx, u, name)
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		if err := st.Drop(ctx); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
		_ = st.Close(ctx)
	})
	return name
}

func serverURI(tb testing.TB) string {
	tb.Helper()
	startOnce.Do(start)
	if startErr != nil {
		tb.Fatalf("start the embedded database: %v", startErr)
	}
	return uri
}
