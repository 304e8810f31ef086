package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
)

// collections reads every collection of the data directory's database but
// the audit log, each document as extended JSON, sorted; and the audit
// log's actions.
func collections(t *testing.T, dir string) (map[string][]string, []string) {
	t.Helper()
	docs := map[string][]string{}
	var actions []string
	err := withStore(context.Background(), testConfig(dir), io.Discard, func(st *store.Store) error {
		ctx := context.Background()
		names, err := st.Database().ListCollectionNames(ctx, bson.D{})
		if err != nil {
			return err
		}
		for _, name := range names {
			cur, err := st.Database().Collection(name).Find(ctx, bson.D{})
			if err != nil {
				return err
			}
			var raw []bson.Raw
			if err := cur.All(ctx, &raw); err != nil {
				return err
			}
			for _, d := range raw {
				if name == "audit" {
					actions = append(actions, d.Lookup("action").StringValue())
					continue
				}
				j, err := bson.MarshalExtJSON(d, true, false)
				if err != nil {
					return err
				}
				docs[name] = append(docs[name], string(j))
			}
			slices.Sort(docs[name])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, actions
}

// TestDemoRemoveCommand: canvass demo writes marked data that canvass demo
// --remove takes away again, leaving every collection as it was (the
// audit log aside, which records both), and --help says so.
func TestDemoRemoveCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	cmd := func(args ...string) (string, error) {
		t.Helper()
		out.Reset()
		errOut.Reset()
		err := run(context.Background(), append(args, "--data-dir", dir), nil, &out, &errOut, noEnv)
		return out.String() + errOut.String(), err
	}
	m := startMain(t, testConfig(dir))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	// Something real first: a token (its own collection) and a library.
	if _, err := cmd("token", "create", "--name", "ci", "--role", "analyst"); err != nil {
		t.Fatal(err)
	}
	err := withStore(context.Background(), testConfig(dir), io.Discard, func(st *store.Store) error {
		return st.CreateLibrary(context.Background(), &survey.Library{Name: "Toronto Public Library", Country: "CA", Member: true, PublicProfile: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := collections(t, dir)

	got, err := cmd("demo", "--survey", "landscape", "--responses", "30", "--seed", "2")
	if err != nil || !strings.Contains(got, "Created 30 demo responses to landscape") || !strings.Contains(got, "canvass demo --remove") {
		t.Fatalf("demo: %v %s", err, got)
	}
	during, _ := collections(t, dir)
	if len(during["responses"]) != 30 || len(during["libraries"]) <= len(before["libraries"]) || len(during["invitations"]) == 0 {
		t.Errorf("demo wrote %d responses, %d libraries, %d invitations", len(during["responses"]), len(during["libraries"]), len(during["invitations"]))
	}
	for _, d := range during["responses"] {
		if !strings.Contains(d, `"source":"demo"`) {
			t.Errorf("an unmarked demo response: %s", d)
		}
	}
	if _, err := cmd("demo", "--remove", "--survey", "landscape"); exitCode(err) != 2 {
		t.Errorf("--remove with --survey: %v", err)
	}
	got, err = cmd("demo", "--remove")
	want := fmt.Sprintf("Removed the demo data: %d libraries, %d invitations, 30 responses.", len(during["libraries"])-len(before["libraries"]), len(during["invitations"]))
	if err != nil || !strings.Contains(got, want) {
		t.Errorf("demo --remove: %v %q, want %q", err, got, want)
	}
	after, actions := collections(t, dir)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("after demo --remove:\n%v\nbefore demo:\n%v", after, before)
	}
	if !slices.Contains(actions, "demo.add") || !slices.Contains(actions, "demo.remove") {
		t.Errorf("audit actions %v", actions)
	}

	// Both help texts document it.
	help, _ := cmd("demo", "--help")
	for _, want := range []string{"canvass demo --remove", "-remove", "no public page", "deletes exactly what demo wrote"} {
		if !strings.Contains(help, want) {
			t.Errorf("demo --help lacks %q:\n%s", want, help)
		}
	}
	var usage bytes.Buffer
	_ = run(context.Background(), []string{"help"}, nil, &usage, io.Discard, noEnv)
	if !strings.Contains(usage.String(), "canvass demo --remove") {
		t.Errorf("canvass help lacks demo --remove:\n%s", usage.String())
	}
}

// TestDemoExportImportStaysDemo: demo, export the directory, demo
// --remove, import the export back. The demo rows come back marked demo,
// so the public list (through the real server) is what it was before the
// demo, and demo --remove takes them away again.
func TestDemoExportImportStaysDemo(t *testing.T) {
	dir := t.TempDir()
	cmd := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		// The flags go before a file argument (libraries import FILE).
		at := 1
		if args[0] == "libraries" {
			at = 2
		}
		args = slices.Concat(args[:at], []string{"--data-dir", dir}, args[at:])
		if err := run(context.Background(), args, nil, &out, &out, noEnv); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	publicTotal := func() int {
		t.Helper()
		m := startMain(t, testConfig(dir))
		defer m.Close()
		res, err := http.Get(m.URL + "/api/v1/public/libraries")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct{ Total *int }
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.Total == nil {
			t.Fatalf("public list: %d %v %v", res.StatusCode, body.Total, err)
		}
		return *body.Total
	}
	err := withStore(context.Background(), testConfig(dir), io.Discard, func(st *store.Store) error {
		return st.CreateLibrary(context.Background(), &survey.Library{Name: "Toronto Public Library", Country: "CA", Member: true, PublicProfile: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := publicTotal(); n != 1 {
		t.Fatalf("public list before the demo: %d, want 1", n)
	}
	cmd("demo", "--survey", "landscape", "--responses", "30", "--seed", "2")
	file := filepath.Join(t.TempDir(), "export.csv")
	cmd("libraries", "export", "-o", file)
	cmd("demo", "--remove")

	// The export, read back with encoding/csv: a demo column, yes on
	// every row but the real library's, some demo rows public.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	if _, ok := col["demo"]; !ok {
		t.Fatalf("the export has no demo column: %v", records[0])
	}
	demoRows, publicDemo := 0, 0
	for _, r := range records[1:] {
		if want := map[bool]string{true: "no", false: "yes"}[r[col["name"]] == "Toronto Public Library"]; r[col["demo"]] != want {
			t.Errorf("%s: demo %q, want %q", r[col["name"]], r[col["demo"]], want)
		}
		if r[col["demo"]] == "yes" {
			demoRows++
			if r[col["public_profile"]] == "yes" {
				publicDemo++
			}
		}
	}
	if demoRows == 0 || publicDemo == 0 {
		t.Fatalf("%d demo rows, %d of them public: the check proves nothing", demoRows, publicDemo)
	}

	got := cmd("libraries", "import", "--confirm", file)
	if want := fmt.Sprintf("Imported: %d created, 0 merged.", demoRows); !strings.Contains(got, want) {
		t.Errorf("import: %s, want %q", got, want)
	}
	if n := publicTotal(); n != 1 {
		t.Errorf("public list after re-importing the demo libraries: %d, want 1", n)
	}
	if got := cmd("demo", "--remove"); !strings.Contains(got, fmt.Sprintf("Removed the demo data: %d libraries", demoRows)) {
		t.Errorf("demo --remove after the import: %s", got)
	}
	libs, _ := collections(t, dir)
	if len(libs["libraries"]) != 1 {
		t.Errorf("%d libraries left, want the real one", len(libs["libraries"]))
	}
}
