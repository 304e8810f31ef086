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

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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

	// dropper drops the tests' databases: a client of its own, since a
	// test's store is closed first (see New).
	dropperOnce sync.Once
	dropper     *mongo.Client
	dropperErr  error
)

// Main runs the package's tests and then stops the embedded server, which
// starts with the first test that asks for a store (so fuzz workers and
// packages' pure tests do not pay for it). Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if dropper != nil {
		// Before the embedded server stops: it waits for its connections.
		_ = dropper.Disconnect(context.Background())
	}
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
	name := DatabaseName(tb)
	st, err := store.Open(context.Background(), serverURI(tb), name)
	if err != nil {
		tb.Fatal(err)
	}
	// Cleanups run last first: the store closes before its database is
	// dropped, so a write the code under test left running (a session's
	// or a token's last use is recorded in the background) fails instead
	// of creating the database again after the drop, which would leave
	// it on a shared server.
	tb.Cleanup(func() { _ = st.Close(context.Background()) })
	return st
}

// DatabaseName returns a database name no other test uses, for a test that
// opens stores on it itself (to reopen one, or to break one); the database
// is dropped when the test ends, after the test's own cleanups.
func DatabaseName(tb testing.TB) string {
	tb.Helper()
	u := serverURI(tb)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	tb.Cleanup(func() {
		dropperOnce.Do(func() { dropper, dropperErr = mongo.Connect(options.Client().ApplyURI(u)) })
		if dropperErr != nil {
			tb.Errorf("drop test database %s: %v", name, dropperErr)
			return
		}
		if err := dropper.Database(name).Drop(context.Background()); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
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
