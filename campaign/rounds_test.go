package campaign_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// oldRound is the 2019 round of the stats series as another tool exported
// it: the budget under its Spanish label, the services by their English
// labels, the libraries by name and country or by a contact's email, a
// comment that looks like a formula, and a column the survey does not have.
const oldRound = `Library,Country,E-mail,Presupuesto,services,Comment,Staff,Notes
Alpha Library,FR,,1200,Loans; Wi-Fi,"=HYPERLINK(""http://evil.example"",""click"")",3,kept by hand
Beta Library,France,,800,loans,,2,
,,GAMMA@example.org,950,events|wifi,,,
`

// closedStats is the waves fixture with stats-2025 closed, so that a
// round may come before it.
func closedStats(t *testing.T) *wavesFixture {
	t.Helper()
	f := newWaves(t)
	if err := f.st.SetSurveyStatus(context.Background(), "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	return f
}

func importRound(f *wavesFixture, data, format, label string, confirm bool) (*campaign.ImportRoundResult, error) {
	return f.svc.ImportRound(admin, []byte(data), campaign.ImportRoundInput{Slug: "stats-2025", Wave: label, Format: format, Confirm: confirm, Source: "round." + format})
}

// TestImportRoundDryRun: a dry run maps the columns, matches the rows and
// lists every row without its library and every value that does not fit,
// and writes nothing; a confirmation of a file with problems is refused,
// writing nothing either.
func TestImportRoundDryRun(t *testing.T) {
	f := closedStats(t)
	file := oldRound + `Zeta Library,FR,,5,,,,
Beta Library,FR,,lots,loans;cinema,,two,
Alpha Library,FR,,1,,,,
`
	before := snapshot(t, f.st)
	res, err := importRound(f, file, "csv", "2019", false)
	if err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, f.st); !reflect.DeepEqual(before, after) {
		t.Errorf("a dry run wrote: %d collections before, %d after", len(before), len(after))
	}
	if got := auditActions(t, f.st, "survey.import_round"); len(got) != 0 {
		t.Errorf("a dry run audited %v", got)
	}
	if res.WaveSlug != "stats-2019" || res.Series != "stats" || res.Before != "stats-2025" || res.After != "" || res.Exists || res.Applied {
		t.Errorf("the wave planned: %+v", res)
	}
	mapped := map[string]string{}
	for _, c := range res.Columns {
		mapped[c.Header] = c.Question + "/" + c.Match
	}
	want := map[string]string{"Library": "/name", "Country": "/country", "E-mail": "/contact_email", "Presupuesto": "budget/", "services": "services/", "Comment": "comment/", "Staff": "staff/"}
	if !reflect.DeepEqual(mapped, want) {
		t.Errorf("columns mapped %v, want %v", mapped, want)
	}
	if !slices.Equal(res.Unmapped, []string{"Notes"}) {
		t.Errorf("unmapped %v, want [Notes]", res.Unmapped)
	}
	if res.Rows != 6 || res.Matched != 3 {
		t.Errorf("%d rows, %d matched; want 6 rows, 3 matched (Zeta unknown, Beta and Alpha twice)", res.Rows, res.Matched)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, fmt.Sprintf("%d %s %s %q", p.Row, p.Column, p.Question, p.Value))
	}
	wantProblems := []string{
		`5 Library, Country  "Zeta Library | FR"`,
		`6 Library, Country  "Beta Library | FR"`,
		`6 Presupuesto budget "lots"`,
		`6 services services "loans;cinema"`,
		`6 Staff staff "two"`,
		`7 Library, Country  "Alpha Library | FR"`,
	}
	if !slices.Equal(got, wantProblems) || res.ProblemCount != len(wantProblems) {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantProblems, "\n"))
	}
	for _, p := range res.Problems {
		if p.Reason == "" {
			t.Errorf("a problem without its reason: %+v", p)
		}
	}
	if r := res.Problems[0].Reason; !strings.Contains(r, "no library of the directory matches") {
		t.Errorf("the unmatched row's reason: %q", r)
	}
	if r := res.Problems[1].Reason; !strings.Contains(r, "the same library as row 3") {
		t.Errorf("the second row of Beta: %q", r)
	}
	if r := res.Problems[3].Reason; !strings.Contains(r, "cinema") {
		t.Errorf("the unknown option's reason: %q", r)
	}

	_, err = importRound(f, file, "csv", "2019", true)
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(survey.ErrorMessage(err), "6 problems") || len(survey.ErrorFields(err)) != 6 {
		t.Errorf("confirming a file with problems: %v, want EINVALID listing the 6", err)
	}
	if after := snapshot(t, f.st); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused confirmation wrote")
	}
}

// TestImportRoundConfirm: the confirmed round is a closed wave of the
// series, before the existing one though made after it, with a submitted
// response per library (its id, the answers as the survey reads them, a
// formula-looking comment as text); confirming again writes nothing new;
// the wave after it reads it as its previous wave (carried answers,
// change checks) and trends compare them.
func TestImportRoundConfirm(t *testing.T) {
	f := closedStats(t)
	ctx := context.Background()
	res, err := importRound(f, oldRound, "csv", "2019", true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Applied || res.Created != 3 || res.Existing != 0 || res.Matched != 3 || res.ProblemCount != 0 {
		t.Fatalf("confirmed: %+v", res)
	}
	wave, err := f.st.FindSurvey(ctx, "stats-2019")
	if err != nil {
		t.Fatal(err)
	}
	if wave.Status != survey.StatusClosed || wave.Series != "stats" || wave.Wave != "2019" || wave.Version != 1 || wave.Question("budget") == nil {
		t.Errorf("the wave stored: status %s, series %q, wave %q, version %d", wave.Status, wave.Series, wave.Wave, wave.Version)
	}
	if invs, _ := f.st.ListInvitations(ctx, "stats-2019"); len(invs) != 0 {
		t.Errorf("the imported wave has %d invitations", len(invs))
	}
	series, err := f.svc.SeriesOf(analyst, "stats-2025")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, w := range series.Waves {
		order = append(order, w.Slug)
	}
	if !slices.Equal(order, []string{"stats-2019", "stats-2025"}) {
		t.Errorf("waves in order %v, want the old round first", order)
	}
	byLibrary := responsesByLibrary(t, f, "stats-2019")
	if len(byLibrary) != 3 {
		t.Fatalf("%d responses with a library, want 3", len(byLibrary))
	}
	alpha := byLibrary[f.libs["Alpha"].ID]
	if alpha == nil || alpha.Status != survey.ResponseSubmitted || alpha.Source != campaign.ImportSource || alpha.SubmissionID != campaign.ImportedSubmissionID("stats-2019", f.libs["Alpha"].ID) {
		t.Fatalf("Alpha's response: %+v", alpha)
	}
	if got, _ := survey.MarshalAnswers(alpha.Answers); string(got) != `{"budget":1200,"comment":"=HYPERLINK(\"http://evil.example\",\"click\")","services":["loans","wifi"],"staff":3}` {
		t.Errorf("Alpha's answers: %s", got)
	}
	if g := byLibrary[f.libs["Gamma"].ID]; g == nil || !slices.Equal(g.Answers.Strings("services"), []string{"wifi", "events"}) || alpha.Region != "europe" {
		t.Errorf("Gamma, matched by email: %+v; Alpha's region %q", g, alpha.Region)
	}

	again, err := importRound(f, oldRound, "csv", "2019", true)
	if err != nil || !again.Exists || again.Created != 0 || again.Existing != 3 {
		t.Errorf("confirmed again: %+v, %v; want the 3 already there", again, err)
	}
	if n, _ := f.st.CountMatching(ctx, survey.ResponseFilter{SurveySlug: "stats-2019"}); n != 3 {
		t.Errorf("%d responses after a second confirmation, want 3", n)
	}
	if got := auditActions(t, f.st, "survey.import_round"); len(got) != 2 || !strings.Contains(got[1], "wave 2019 of series stats: 3 responses written, from round.csv") || !strings.Contains(got[0], "0 responses written, 3 already there") {
		t.Errorf("audited %v", got)
	}

	// The wave after it reads the old round as its previous wave.
	if err := f.st.SetSurveyStatus(ctx, "stats-2025", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	f.invite(t, "stats-2025", "Alpha")
	token := f.link(t, "stats-2025", "Alpha")
	resumed, err := f.svc.Resume(ctx, "stats-2025", token)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Previous == nil || resumed.Previous.Wave.Slug != "stats-2019" || resumed.Answers["budget"] != 1200.0 {
		t.Errorf("Alpha's 2025 form: previous %+v, answers %v; want 2019's budget carried", resumed.Previous, resumed.Answers)
	}
	_, err = f.submit(t, "stats-2025", token, "en", `{"budget": 5000}`)
	if !slices.Contains(fieldPaths(err), "budget_change_note") {
		t.Errorf("a budget four times 2019's: %v, want an explanation asked for", err)
	}
	if _, err := f.submit(t, "stats-2025", token, "en", `{"budget": 1300, "services": ["loans"]}`); err != nil {
		t.Fatal(err)
	}
	// "Everyone from the last wave" is the round's libraries.
	if out, err := f.svc.Invite(admin, "stats-2025", campaign.Invitees{PreviousWave: true}); err != nil || len(out.Created) != 2 || len(out.Skipped) != 1 {
		t.Errorf("inviting the old round's libraries: %+v, %v; want Beta and Gamma invited, Alpha skipped", out, err)
	}
	trends, err := f.svc.Trends(analyst, "stats-2025", "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(trends.Waves) != 2 || trends.Waves[0].Slug != "stats-2019" || trends.Waves[0].Responses != 3 || trends.Waves[1].Responses != 1 {
		t.Errorf("trends' waves %+v", trends.Waves)
	}
	for _, q := range trends.Questions {
		if q.ID == "budget" && (q.Panel == nil || q.Panel.First != "stats-2019" || q.Panel.Scores == nil || q.Panel.Scores.N != 1) {
			t.Errorf("budget's panel %+v, want Alpha paired across 2019 and 2025", q.Panel)
		}
	}
}

func responsesByLibrary(t *testing.T, f *wavesFixture, slug string) map[string]*survey.Response {
	t.Helper()
	out := map[string]*survey.Response{}
	for r, err := range f.st.StreamResponses(context.Background(), survey.ResponseFilter{SurveySlug: slug}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.LibraryID != "" {
			out[r.LibraryID] = r
		}
	}
	return out
}

// TestImportRoundWaveLabels: the label must be the round's own; a round
// is not slipped in before an open wave that reads its previous wave once
// it has responses; a
// wave run in Canvass is never taken for an imported one.
func TestImportRoundWaveLabels(t *testing.T) {
	f := newWaves(t)
	for _, c := range []struct {
		name, label string
	}{
		{"no label", " "},
		{"no letters", "--"},
		{"the open wave's label", "2025"},
	} {
		_, err := importRound(f, oldRound, "csv", c.label, false)
		if !slices.Contains(fieldPaths(err), "wave") {
			t.Errorf("%s: %v, want a refusal on wave", c.name, err)
		}
	}
	// Just before the open wave that reads its previous one: welcome while
	// nobody has answered it (its forms will open with the round's
	// answers), refused once someone has (they were checked against none).
	if res, err := importRound(f, oldRound, "csv", "2019", false); err != nil || res.Before != "stats-2025" {
		t.Errorf("a round before the open wave nobody answered: %+v, %v", res, err)
	}
	if _, err := f.svc.Submit(context.Background(), campaign.Submission{Survey: "stats-2025", Answers: answers(t, `{"budget": 7}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := importRound(f, oldRound, "csv", "2019", false); !slices.ContainsFunc(survey.ErrorFields(err), func(f survey.FieldError) bool {
		return f.Path == "wave" && strings.Contains(f.Message, "has responses")
	}) {
		t.Errorf("a round before the open wave with a response: %v, want a refusal on wave", err)
	}
	if _, err := f.svc.ImportRound(analyst, []byte(oldRound), campaign.ImportRoundInput{Slug: "stats-2025", Wave: "2019", Format: "csv"}); survey.ErrorCode(err) != survey.EFORBIDDEN {
		t.Errorf("an analyst's import: %v", err)
	}
	// After every wave: no old round, and the next wave could not follow it.
	// Labels that would make one slug of two, or a path, are refused.
	for _, label := range []string{"2031", "zzz", "2019/2020", "../x", "20\u00a019"} {
		if _, err := importRound(f, oldRound, "csv", label, false); !slices.Contains(fieldPaths(err), "wave") {
			t.Errorf("a round labelled %q: %v, want a refusal on wave", label, err)
		}
	}
	if err := f.st.SetSurveyStatus(context.Background(), "stats-2025", survey.StatusClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(context.Background(), campaign.Submission{Survey: "stats-2025", Answers: answers(t, `{"budget": 1}`)}); survey.ErrorCode(err) != survey.ECLOSED {
		t.Fatalf("a closed wave took a response: %v", err)
	}
	// A shifted row (a stray separator) is a problem, not values dropped.
	shifted := strings.Replace(oldRound, "Beta Library,France,,800,loans,,2,", "Beta Library,France,,800,loans,,2,,,late", 1)
	if res, err := importRound(f, shifted, "csv", "2019", false); err != nil || !slices.ContainsFunc(res.Problems, func(p campaign.RoundProblem) bool {
		return p.Row == 3 && strings.Contains(p.Reason, "the row has 10 values, the header 8 columns")
	}) {
		t.Errorf("a row with more values than headers: %+v, %v", res, err)
	}
	// A closed wave of Canvass's own with the label and slug asked for.
	sv, _ := f.st.FindSurvey(context.Background(), "stats-2025")
	sv.Slug, sv.Wave = "stats-2030", "2030"
	if err := f.st.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	f.invite(t, "stats-2030", "Alpha")
	if _, err := importRound(f, oldRound, "csv", "2030", false); !slices.Contains(fieldPaths(err), "wave") {
		t.Errorf("a round over a wave with invitations: %v", err)
	}
}

// TestImportRoundConcurrentConfirms: two confirmations at once make one
// wave and one response per library.
func TestImportRoundConcurrentConfirms(t *testing.T) {
	f := closedStats(t)
	results := make([]*campaign.ImportRoundResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = importRound(f, oldRound, "csv", "2019", true)
		}()
	}
	wg.Wait()
	created := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("confirmation %d: %v", i, err)
		}
		created += results[i].Created
	}
	if created != 3 {
		t.Errorf("%d responses created by the two, want 3", created)
	}
	if n, _ := f.st.CountMatching(context.Background(), survey.ResponseFilter{SurveySlug: "stats-2019"}); n != 3 {
		t.Errorf("%d responses stored, want 3", n)
	}
	all, _ := f.st.ListSurveyHeaders(context.Background())
	if waves := survey.WavesOf(all, "stats"); len(waves) != 2 {
		t.Errorf("%d waves, want stats-2019 and stats-2025", len(waves))
	}
}

// TestImportRoundXLSX: a workbook made here reads as the CSV does, its
// number cells as numbers; a formula is never evaluated (its cell is read
// as the text it shows, here none) and text that looks like one is kept
// as text.
func TestImportRoundXLSX(t *testing.T) {
	f := closedStats(t)
	x := excelize.NewFile()
	rows := [][]any{
		{"library id", "Budget", "Services", "comment", "staff"},
		{f.libs["Alpha"].ID, 1200.5, "Loans", `=HYPERLINK("http://evil.example","click")`, 3},
		{f.libs["Beta"].ID, 800, "wifi", nil, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SetCellStr("Sheet1", "D2", `=HYPERLINK("http://evil.example","click")`); err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellFormula("Sheet1", "D3", `CONCATENATE("ev","aluated")`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.ImportRound(admin, buf.Bytes(), campaign.ImportRoundInput{Slug: "stats-2025", Wave: "2019", Format: "xlsx", Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Columns[0].Match != "id" {
		t.Fatalf("imported %+v", res)
	}
	byLibrary := responsesByLibrary(t, f, "stats-2019")
	alpha, beta := byLibrary[f.libs["Alpha"].ID], byLibrary[f.libs["Beta"].ID]
	if got, _ := survey.MarshalAnswers(alpha.Answers); string(got) != `{"budget":1200.5,"comment":"=HYPERLINK(\"http://evil.example\",\"click\")","services":["loans"],"staff":3}` {
		t.Errorf("Alpha's answers from the workbook: %s", got)
	}
	if c := beta.Answers["comment"]; c != nil {
		t.Errorf("a formula cell became the answer %q", c)
	}
}

// TestImportRoundHostileFiles: files too large, or not what they claim,
// are refused before anything is written.
func TestImportRoundHostileFiles(t *testing.T) {
	f := closedStats(t)
	before := snapshot(t, f.st)
	huge := "Library,Country,Budget\n" + strings.Repeat("Alpha Library,FR,1\n", directory.MaxRows+1)
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + i/13)
	}
	for _, c := range []struct {
		name, format string
		data         []byte
		code         string
	}{
		{"too many rows", "csv", []byte(huge), survey.ETOOLARGE},
		{"a line too long", "csv", []byte("Library,Comment\nAlpha Library," + strings.Repeat("x", directory.MaxLineBytes+1) + "\n"), survey.ETOOLARGE},
		{"binary as a workbook", "xlsx", garbage, survey.EINVALID},
		{"binary as CSV", "csv", garbage, survey.EINVALID},
		{"a zip that is no workbook", "xlsx", []byte("PK\x03\x04garbage"), survey.EINVALID},
		{"no column to match by", "csv", []byte("Budget\n12\n"), survey.EINVALID},
		{"empty", "csv", nil, survey.EINVALID},
		{"another format", "ods", []byte("x"), survey.EINVALID},
	} {
		_, err := f.svc.ImportRound(admin, c.data, campaign.ImportRoundInput{Slug: "stats-2025", Wave: "2019", Format: c.format, Confirm: true})
		if survey.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if after := snapshot(t, f.st); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused file wrote something")
	}
}
