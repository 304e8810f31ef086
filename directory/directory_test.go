package directory_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func planFile(t *testing.T, dir directory.Lister, name, format string, merge bool) *directory.Plan {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	rows, unknown, err := directory.Read(data, format)
	if err != nil {
		t.Fatal(err)
	}
	p, err := directory.MakePlan(context.Background(), dir, rows, unknown, merge)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func summary(p *directory.Plan) string {
	var b strings.Builder
	for _, r := range p.Rows {
		b.WriteString(strings.Join([]string{itoa(r.Line), r.Action, r.Name, strings.Join(r.Reasons, "; "), r.Match}, "|") + "\n")
	}
	return b.String()
}

func itoa(n int) string { return fmt.Sprintf("%02d", n) }

func TestImportDryRunAndApply(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	p := planFile(t, st, "libraries-mixed.csv", "csv", false)
	got := summary(p)
	for _, want := range []string{
		"02|create|Bibliothèque municipale de Lyon||",
		"03|create|Toronto Public Library||",
		"04|create|上海图书馆||",
		"05|create|مكتبة الإسكندرية||",
		"06|create|Российская государственная библиотека||",
		"07|create|Βιβλιοθήκη του Δήμου Αθηναίων||",
		"08|duplicate|BIBLIOTHEQUE MUNICIPALE DE LYON|the same library as line 2 of this file",
		"09|create|Biblioteca de Santiago||",
		"10|reject|City Library of Atlantis|unknown country \"Atlantis\": give its ISO 3166-1 code (such as FR, MX or ZA) or its name in English, French or Spanish|\n",
		"11|reject|Nairobi City Library|Not an email address: not-an-email",
		"12|reject||The library needs a name|\n",
		"13|duplicate|Lyon municipal libraries (other spelling)|the same library as line 2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("dry run lacks %q; got:\n%s", want, got)
		}
	}
	if p.Counts["create"] != 7 || p.Counts["reject"] != 3 || p.Counts["duplicate"] != 2 || strings.Join(p.UnknownHeaders, ",") != "Comments" {
		t.Errorf("counts %v, unknown headers %v", p.Counts, p.UnknownHeaders)
	}
	// The dry run wrote nothing.
	if _, n, _ := st.ListLibraries(ctx, survey.LibraryFilter{}); n != 0 {
		t.Fatalf("a dry run stored %d libraries", n)
	}
	created, merged, err := directory.Apply(ctx, st, p, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || created != 7 || merged != 0 {
		t.Fatalf("apply: %d created, %d merged, %v", created, merged, err)
	}
	libs, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{Query: "toronto"})
	if len(libs) != 1 || libs[0].Country != "CA" || libs[0].Region != survey.NorthAmerica || libs[0].PopulationServed != 2800000 || !libs[0].Member ||
		libs[0].Contacts[0].Email != "ceo@tpl.ca" || libs[0].Contacts[0].Language != "en" {
		t.Errorf("Toronto: %+v", libs)
	}
	lyon, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{Country: "FR"})
	if len(lyon) != 1 || lyon[0].PopulationServed != 522000 || lyon[0].Website != "https://www.bm-lyon.fr" {
		t.Errorf("Lyon: %+v", lyon)
	}

	// Importing again: everything is already there, merged only on request.
	again := planFile(t, st, "libraries-mixed.csv", "csv", false)
	if again.Counts["create"] != 0 || again.Counts["duplicate"] != 9 {
		t.Errorf("second import without merging: %v\n%s", again.Counts, summary(again))
	}
	merge := planFile(t, st, "libraries-mixed.csv", "csv", true)
	if merge.Counts["merge"] != 9 || merge.Counts["create"] != 0 {
		t.Errorf("second import with merging: %v", merge.Counts)
	}
	if _, merged, err := directory.Apply(ctx, st, merge, time.Now()); err != nil || merged != 9 {
		t.Errorf("merge: %d %v", merged, err)
	}
	if _, n, _ := st.ListLibraries(ctx, survey.LibraryFilter{}); n != 7 {
		t.Errorf("%d libraries after merging, want 7 (nothing doubled)", n)
	}
}

func TestExportImportsBack(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	p := planFile(t, st, "libraries-mixed.csv", "csv", false)
	if _, _, err := directory.Apply(ctx, st, p, time.Now()); err != nil {
		t.Fatal(err)
	}
	libs, _, _ := st.ListLibraries(ctx, survey.LibraryFilter{})
	var csvOut, xlsxOut bytes.Buffer
	if err := directory.WriteCSV(&csvOut, libs); err != nil {
		t.Fatal(err)
	}
	if err := directory.WriteXLSX(&xlsxOut, libs); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvOut.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil || len(records) != 8 || records[0][0] != "name" {
		t.Fatalf("CSV: %d records, %v", len(records), err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsxOut.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Libraries")
	if len(rows) != 8 || rows[0][12] != "contact_email" {
		t.Errorf("XLSX rows %d, header %v", len(rows), rows[0])
	}
	// The export imports back into an empty directory as the same libraries.
	for format, data := range map[string][]byte{"csv": csvOut.Bytes(), "xlsx": xlsxOut.Bytes()} {
		empty := storetest.New(t)
		rows, unknown, err := directory.Read(data, format)
		if err != nil || len(unknown) != 0 {
			t.Fatalf("%s: %v %v", format, err, unknown)
		}
		plan, _ := directory.MakePlan(ctx, empty, rows, unknown, true)
		if plan.Counts["create"] != 7 || plan.Counts["reject"] != 0 {
			t.Errorf("%s re-import: %v\n%s", format, plan.Counts, summary(plan))
		}
	}
}

func TestReadRefusesWhatItCannotRead(t *testing.T) {
	for name, tc := range map[string]struct {
		data, format, want string
	}{
		"no name column": {"town,country\nLyon,FR\n", "csv", "No column names the libraries"},
		"not UTF-8":      {"name\nBiblioth\xe8que\n", "csv", "not UTF-8"},
		"not a workbook": {"name\nx\n", "xlsx", "not an .xlsx workbook"},
		"empty":          {"", "csv", "empty"},
		"other format":   {"x", "ods", "Import .csv or .xlsx"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := directory.Read([]byte(tc.data), tc.format)
			if err == nil || !strings.Contains(survey.ErrorMessage(err), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	// Semicolons, as spreadsheets in many locales save CSV.
	rows, _, err := directory.Read([]byte("Nom;Ville;Pays\nMédiathèque;Nantes;France\n"), "csv")
	if err != nil || len(rows) != 1 || rows[0].Fields["city"] != "Nantes" || rows[0].Fields["country"] != "France" {
		t.Errorf("semicolon CSV: %+v %v", rows, err)
	}
}

// TestXLSXSavedByASpreadsheetProgram reads the same list saved as .xlsx by
// LibreOffice Calc (which stores numbers as numbers and strings shared):
// the dry run must be the same as from the CSV.
func TestXLSXSavedByASpreadsheetProgram(t *testing.T) {
	st := storetest.New(t)
	fromCSV := summary(planFile(t, st, "libraries-mixed.csv", "csv", false))
	fromXLSX := summary(planFile(t, st, "libraries-libreoffice.xlsx", "xlsx", false))
	if fromCSV != fromXLSX {
		t.Errorf("the LibreOffice workbook plans differently:\n%s\nvs the CSV:\n%s", fromXLSX, fromCSV)
	}
}
