// Package directory imports and exports the library directory: CSV and XLSX
// files with header names matched case-insensitively among common synonyms,
// a dry run that says row by row what would be created, merged or rejected
// and why, duplicate detection (normalized name with city and country, the
// website, or a contact's email) that merges only on request, and exports
// to XLSX and CSV.
package directory

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/internal/workbook"
	"github.com/metlib/canvass/survey"
)

// fieldSynonyms maps a directory field to the header names that mean it
// (lower case; spaces, underscores and hyphens count alike).
var fieldSynonyms = map[string][]string{
	"name":              {"name", "library", "library name", "nom", "nombre", "bibliotheque", "biblioteca", "institution", "organisation", "organization"},
	"city":              {"city", "town", "ville", "ciudad", "municipality", "localite"},
	"country":           {"country", "country code", "pays", "pais", "país", "iso", "iso2", "iso code"},
	"region":            {"region", "ifla region", "région", "división", "division"},
	"type":              {"type", "library type", "kind", "org type"},
	"population_served": {"population", "population served", "pop", "inhabitants", "poblacion", "población"},
	"branches":          {"branches", "branch count", "service points", "succursales", "sucursales", "annexes"},
	"website":           {"website", "web", "url", "site", "homepage", "site web", "sitio web", "web site"},
	"member":            {"member", "section member", "membership", "membre", "miembro"},
	"public_profile":    {"public", "public profile", "listed", "publish"},
	"demo":              {"demo", "demo data", "démo", "demostración"},
	"contact_name":      {"contact", "contact name", "contact person", "person", "nom du contact", "contacto"},
	"contact_role":      {"role", "contact role", "position", "title", "job title", "fonction", "cargo"},
	"contact_email":     {"email", "e-mail", "contact email", "mail", "courriel", "correo", "correo electronico", "email address"},
	"contact_language":  {"language", "lang", "langue", "idioma", "contact language"},
	"consent":           {"consent", "consent given", "consentement", "consentimiento"},
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	h = strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(h)
	return strings.Join(strings.Fields(h), " ")
}

var headerField = func() map[string]string {
	m := map[string]string{}
	for field, names := range fieldSynonyms {
		for _, n := range names {
			m[normHeader(n)] = field
		}
		m[normHeader(field)] = field
	}
	return m
}()

// countryNames maps country names in English, French and Spanish (folded)
// to ISO codes, so files may say "France" or "Perú" instead of FR or PE.
var countryNames = func() map[string]string {
	m := map[string]string{}
	for _, lang := range []string{"en", "fr", "es"} {
		namer := display.Regions(language.Make(lang))
		for _, code := range survey.Countries() {
			if r, err := language.ParseRegion(code); err == nil {
				if n := namer.Name(r); n != "" {
					m[fold(n)] = code
				}
			}
		}
	}
	for alias, code := range map[string]string{"usa": "US", "united states of america": "US", "uk": "GB", "england": "GB", "russia": "RU", "south korea": "KR", "turkey": "TR"} {
		m[alias] = code
	}
	return m
}()

func fold(s string) string {
	l := survey.Library{Name: s}
	keys := l.MatchKeys()
	if len(keys) == 0 {
		return ""
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(keys[0], "name:"), "|")
	return name
}

// Row is one data row of an import file, by directory field.
type Row struct {
	Line   int // in the file, header = 1
	Fields map[string]string
}

// Import limits. A directory of a section's libraries runs to a few
// thousand rows and the export has 15 columns; these caps are far above
// that and keep one import's memory bounded (see docs/reliability.md).
const (
	MaxRows       = 20000    // data rows, after the header
	MaxColumns    = 100      // the rightmost column a cell may be in (CV)
	MaxLineBytes  = 64 << 10 // one CSV line
	MaxCellChars  = 4000     // one .xlsx cell: a title or an address, with room to spare
	MaxTextBytes  = 32 << 20 // all the text of the .xlsx sheet
	PlanRowsShown = 500      // rows a dry run lists; the rest are counted
)

// Read reads a CSV or XLSX file (format "csv" or "xlsx"): the first row
// names the columns. It returns the rows, and the headers it did not
// recognise. A file beyond MaxRows, MaxColumns or MaxLineBytes, or a
// workbook that unpacks beyond workbook.UnzipSizeLimit, is ETOOLARGE.
func Read(data []byte, format string) ([]Row, []string, error) {
	records, err := ReadTable(data, format)
	if err != nil {
		return nil, nil, err
	}
	columns := make([]string, len(records[0]))
	var unknown []string
	seen := map[string]bool{}
	for i, h := range records[0] {
		field, ok := headerField[normHeader(h)]
		switch {
		case !ok && strings.TrimSpace(h) != "":
			unknown = append(unknown, h)
		case ok && !seen[field]:
			columns[i], seen[field] = field, true
		}
	}
	if !seen["name"] {
		return nil, unknown, survey.Errorf(survey.EINVALID, "No column names the libraries (a header such as \"name\" or \"library\").")
	}
	var rows []Row
	for n, rec := range records[1:] {
		row := Row{Line: n + 2, Fields: map[string]string{}}
		empty := true
		for i, v := range rec {
			if i < len(columns) && columns[i] != "" && strings.TrimSpace(v) != "" {
				row.Fields[columns[i]] = strings.TrimSpace(v)
				empty = false
			}
		}
		if !empty {
			rows = append(rows, row)
		}
	}
	return rows, unknown, nil
}

// ReadTable reads the cells of a CSV file or of an XLSX workbook's first
// sheet (format "csv" or "xlsx"), row by row, within the import limits:
// what Read reads before it looks at the headers, for the importers of
// other tables (an old survey round). A workbook's cells are read as the
// text they show, so a formula is never evaluated: its cached value is
// read, or nothing. A file beyond MaxRows, MaxColumns or MaxLineBytes, or
// a workbook that unpacks beyond workbook.UnzipSizeLimit, is ETOOLARGE;
// an empty file or one that is not CSV or XLSX, EINVALID.
func ReadTable(data []byte, format string) ([][]string, error) {
	var records [][]string
	switch format {
	case "csv":
		var err error
		if records, err = readCSV(data); err != nil {
			return nil, err
		}
	case "xlsx":
		f, err := workbook.Open(data)
		if err != nil {
			if survey.ErrorCode(err) == survey.ETOOLARGE {
				return nil, err
			}
			return nil, &survey.Error{Code: survey.EINVALID, Message: "The file is not an .xlsx workbook.", Err: err}
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, survey.Errorf(survey.EINVALID, "The workbook has no sheets.")
		}
		if records, err = workbook.ReadRows(f, sheets[0], workbook.Limits{MaxRows: MaxRows + 1, MaxColumns: MaxColumns, MaxCellChars: MaxCellChars, MaxTextBytes: MaxTextBytes}); err != nil {
			if survey.ErrorCode(err) == survey.ETOOLARGE {
				return nil, err
			}
			return nil, survey.Errorf(survey.EINVALID, "The first sheet cannot be read: %v", err)
		}
	default:
		return nil, survey.Errorf(survey.EINVALID, "Import .csv or .xlsx files.")
	}
	if len(records) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "The file is empty.")
	}
	return records, nil
}

// readCSV reads records one at a time, so a file of millions of tiny rows
// is refused at MaxRows+1 instead of being held whole.
func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, survey.Errorf(survey.EINVALID, "The CSV file is not UTF-8; save it as \"CSV UTF-8\".")
	}
	for line, rest := 1, data; len(rest) > 0; line++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > MaxLineBytes {
			return nil, survey.Errorf(survey.ETOOLARGE, "Line %d of the CSV file is longer than %d KiB, the limit for an import.", line, MaxLineBytes>>10)
		}
		rest = rest[min(i+1, len(rest)):]
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	if sniffSemicolon(data) {
		r.Comma = ';' // spreadsheets in many locales save CSV with semicolons
	}
	var records [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return records, nil
		}
		if err != nil {
			return nil, survey.Errorf(survey.EINVALID, "The CSV file cannot be read: %v", err)
		}
		if len(records) > MaxRows {
			return nil, survey.Errorf(survey.ETOOLARGE, "The CSV file has more than %d rows, the limit for an import.", MaxRows)
		}
		if len(rec) > MaxColumns {
			line, _ := r.FieldPos(0)
			return nil, survey.Errorf(survey.ETOOLARGE, "Line %d of the CSV file has %d columns; an import may use at most %d.", line, len(rec), MaxColumns)
		}
		records = append(records, rec)
	}
}

func sniffSemicolon(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(","))
}

// library turns a row into a library, with the reasons it cannot be imported.
// Library is the library the row describes (normalized: its region from
// its country unless the file sets one) and the reasons it would be
// rejected, if any: what MakePlan reads from the row.
func (r Row) Library() (*survey.Library, []string) { return r.library() }

func (r Row) library() (*survey.Library, []string) {
	var reasons []string
	f := r.Fields
	l := &survey.Library{Name: f["name"], City: f["city"], Website: f["website"], Type: survey.LibraryType(strings.ToLower(f["type"]))}
	country := strings.TrimSpace(f["country"])
	if len(country) == 2 {
		l.Country = strings.ToUpper(country)
	} else if code, ok := countryNames[fold(country)]; ok {
		l.Country = code
	} else {
		l.Country = country
	}
	if reg := f["region"]; reg != "" {
		l.Region, l.RegionSet = survey.Region(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(reg)), " ", "_")), true
	}
	for _, num := range []struct {
		field string
		dst   *int
	}{{"population_served", &l.PopulationServed}, {"branches", &l.Branches}} {
		if v := f[num.field]; v != "" {
			n, err := strconv.Atoi(strings.NewReplacer(",", "", " ", "", "\u00a0", "", ".", "").Replace(v))
			if err != nil {
				reasons = append(reasons, fmt.Sprintf("%s %q is not a whole number", strings.ReplaceAll(num.field, "_", " "), v))
			}
			*num.dst = n
		}
	}
	l.Member, l.PublicProfile = yes(f["member"]), yes(f["public_profile"])
	// A row of canvass demo's made-up library (an export says so in its
	// demo column) stays demo: kept off public outputs, removed by
	// canvass demo --remove.
	l.Demo = yes(f["demo"])
	if f["contact_name"] != "" || f["contact_email"] != "" {
		c := survey.Contact{Name: f["contact_name"], Role: f["contact_role"], Email: f["contact_email"], Language: f["contact_language"], Consent: yes(f["consent"])}
		l.Contacts = append(l.Contacts, c)
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		for _, fe := range survey.ErrorFields(err) {
			msg := fe.Message
			if fe.Path == "country" {
				// The library's own message asks for a code; a file may
				// also give the country's name, which is accepted.
				msg = "no country: give its ISO 3166-1 code (such as FR, MX or ZA) or its name in English, French or Spanish"
				if country != "" {
					msg = fmt.Sprintf("unknown country %q: give its ISO 3166-1 code (such as FR, MX or ZA) or its name in English, French or Spanish", country)
				}
			}
			// Reasons are shown joined by "; ": clauses, without the
			// sentence's full stop.
			reasons = append(reasons, strings.TrimSuffix(msg, "."))
		}
	}
	return l, reasons
}

func yes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "x", "oui", "si", "sí":
		return true
	}
	return false
}

// Actions of a planned row.
const (
	Create    = "create"
	Merge     = "merge"     // into an existing library (only when merging was asked for)
	Duplicate = "duplicate" // matches an existing library or an earlier row; skipped
	Reject    = "reject"
)

// PlannedRow is what an import would do with one row.
type PlannedRow struct {
	Line    int             `json:"line"`
	Action  string          `json:"action"`
	Name    string          `json:"name"`
	Reasons []string        `json:"reasons,omitempty"`
	Match   string          `json:"match,omitempty"` // the library (or line) it duplicates
	Library *survey.Library `json:"-"`
	target  *survey.Library
}

// Plan is a dry run: every row with its action.
type Plan struct {
	Rows           []PlannedRow   `json:"rows"` // every row; JSON lists Shown()
	Counts         map[string]int `json:"counts"`
	UnknownHeaders []string       `json:"unknown_headers,omitempty"`
}

// Shown returns the rows a dry run lists: the first PlanRowsShown.
func (p *Plan) Shown() []PlannedRow {
	return p.Rows[:min(len(p.Rows), PlanRowsShown)]
}

// NotShown is how many rows Shown leaves out (they are still counted in
// Counts and imported on confirmation).
func (p *Plan) NotShown() int {
	return len(p.Rows) - len(p.Shown())
}

// MarshalJSON writes the plan with at most PlanRowsShown rows and
// "rows_not_shown", so a dry run of a large file answers in kilobytes, not
// hundreds of megabytes.
func (p *Plan) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Rows           []PlannedRow   `json:"rows"`
		RowsNotShown   int            `json:"rows_not_shown"`
		Counts         map[string]int `json:"counts"`
		UnknownHeaders []string       `json:"unknown_headers,omitempty"`
	}{p.Shown(), p.NotShown(), p.Counts, p.UnknownHeaders})
}

// Lister is what planning needs from the directory.
type Lister interface {
	ListLibraries(ctx context.Context, f survey.LibraryFilter) ([]*survey.Library, int, error)
}

// MakePlan decides, without writing anything, what importing rows would do.
// A row matching an existing library (or an earlier row of the file) by
// name, city and country, website or contact email is a duplicate, or,
// with merge, is merged into that library.
func MakePlan(ctx context.Context, dir Lister, rows []Row, unknown []string, merge bool) (*Plan, error) {
	existing, _, err := dir.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	byKey := map[string]*survey.Library{}
	for _, l := range existing {
		for _, k := range l.MatchKeys() {
			byKey[k] = l
		}
	}
	fileKey := map[string]int{}
	fileLib := map[int]*survey.Library{}
	p := &Plan{Counts: map[string]int{Create: 0, Merge: 0, Duplicate: 0, Reject: 0}, UnknownHeaders: unknown}
	for _, r := range rows {
		l, reasons := r.library()
		pr := PlannedRow{Line: r.Line, Name: l.Name, Library: l}
		switch {
		case len(reasons) > 0:
			pr.Action, pr.Reasons = Reject, reasons
		default:
			var match *survey.Library
			earlier := 0
			for _, k := range l.MatchKeys() {
				if m := byKey[k]; m != nil && match == nil {
					match = m
				}
				if line, ok := fileKey[k]; ok && earlier == 0 {
					earlier = line
				}
			}
			switch {
			case match != nil && merge:
				pr.Action, pr.Match, pr.target = Merge, match.Name+" ("+match.ID+")", match
			case match != nil:
				pr.Action, pr.Match = Duplicate, match.Name+" ("+match.ID+")"
				pr.Reasons = []string{"already in the directory; import with merging to add this row's details to it"}
			case earlier != 0 && merge:
				// Another row of a library listed above (an export has a row per contact).
				pr.Action, pr.Match, pr.target = Merge, fmt.Sprintf("line %d", earlier), fileLib[earlier]
			case earlier != 0:
				pr.Action, pr.Match = Duplicate, fmt.Sprintf("line %d", earlier)
				pr.Reasons = []string{fmt.Sprintf("the same library as line %d of this file; import with merging to combine them", earlier)}
			default:
				pr.Action = Create
			}
			if pr.Action == Create {
				fileLib[r.Line] = l
				for _, k := range l.MatchKeys() {
					if _, ok := fileKey[k]; !ok {
						fileKey[k] = r.Line
					}
				}
			}
		}
		p.Counts[pr.Action]++
		p.Rows = append(p.Rows, pr)
	}
	return p, nil
}

// Writer is what applying a plan needs from the directory.
type Writer interface {
	CreateLibrary(ctx context.Context, l *survey.Library) error
	UpdateLibrary(ctx context.Context, l *survey.Library) error
}

// Apply carries out a plan: creates new libraries and merges the rows that
// were to be merged. Rejected and duplicate rows are left out. It returns
// how many were created and merged.
func Apply(ctx context.Context, dir Writer, p *Plan, now time.Time) (created, merged int, err error) {
	for _, r := range p.Rows {
		switch r.Action {
		case Create:
			r.Library.StampConsent(nil, now)
			if err := dir.CreateLibrary(ctx, r.Library); err != nil {
				return created, merged, fmt.Errorf("line %d: %w", r.Line, err)
			}
			created++
		case Merge:
			r.Library.StampConsent(nil, now)
			MergeInto(r.target, r.Library)
			if err := dir.UpdateLibrary(ctx, r.target); err != nil {
				return created, merged, fmt.Errorf("line %d: %w", r.Line, err)
			}
			merged++
		}
	}
	return created, merged, nil
}

// MergeInto adds to target what from has and target lacks: empty fields
// are filled, new contacts (by email) added; nothing target has is
// overwritten.
func MergeInto(target, from *survey.Library) {
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&target.City, from.City)
	fill(&target.Website, from.Website)
	if target.Type == "" {
		target.Type = from.Type
	}
	if target.PopulationServed == 0 {
		target.PopulationServed = from.PopulationServed
	}
	if target.Branches == 0 {
		target.Branches = from.Branches
	}
	target.Member = target.Member || from.Member
	target.PublicProfile = target.PublicProfile || from.PublicProfile
	known := map[string]bool{}
	for _, c := range target.Contacts {
		known[c.Email] = true
	}
	for _, c := range from.Contacts {
		if c.Email == "" || !known[c.Email] {
			target.Contacts = append(target.Contacts, c)
			known[c.Email] = true
		}
	}
}

// exportHeader is the column order of directory exports (the same names
// the importer reads, so an export can be edited and imported back).
var exportHeader = []string{"name", "city", "country", "region", "type", "population_served", "branches", "website", "member", "public_profile",
	"contact_name", "contact_role", "contact_email", "contact_language", "consent", "demo"}

func exportRows(libs []*survey.Library) [][]string {
	var out [][]string
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, l := range libs {
		base := []string{l.Name, l.City, l.Country, string(l.Region), string(l.Type), intOrEmpty(l.PopulationServed), intOrEmpty(l.Branches), l.Website, yesNo(l.Member), yesNo(l.PublicProfile)}
		// demo comes last, so the columns before it are where they were
		// before it was added.
		if len(l.Contacts) == 0 {
			out = append(out, append(base, "", "", "", "", "", yesNo(l.Demo)))
		}
		for _, c := range l.Contacts {
			out = append(out, append(append([]string(nil), base...), c.Name, c.Role, c.Email, c.Language, yesNo(c.Consent), yesNo(l.Demo)))
		}
	}
	return out
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// WriteCSV exports the directory as CSV (a row per contact), ready for
// spreadsheet programs (export.TableCSV).
func WriteCSV(w io.Writer, libs []*survey.Library) error {
	return export.TableCSV(w, append([][]string{exportHeader}, exportRows(libs)...))
}

// WriteXLSX exports the directory as a workbook (a row per contact); text
// is written as text cells, never formulas.
func WriteXLSX(w io.Writer, libs []*survey.Library) error {
	return export.TableXLSX(w, "Libraries", append([][]string{exportHeader}, exportRows(libs)...), 40)
}
