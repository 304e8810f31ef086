package store_test

import (
	"context"
	"testing"

	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// TestReopenSameDatabase opens a database whose indexes exist already, as
// every restart and every second instance does.
func TestReopenSameDatabase(t *testing.T) {
	ctx := context.Background()
	name := storetest.DatabaseName(t)
	a, err := store.Open(ctx, storetest.URI(), name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, storetest.URI(), name)
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Close(ctx)
	_ = a.Close(ctx)
}
