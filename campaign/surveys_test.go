package campaign_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// nextVersion is the trial definition with option c of pick and option z of
// many taken out, and extra added to the end of the pick question.
func nextVersion(extra string) []byte {
	d := strings.Replace(definition, "EDIT", "false", 1)
	d = strings.Replace(d, "          - {value: c, label: {en: C}}\n", "", 1)
	d = strings.Replace(d, "          - {value: z, label: {en: Z}}\n", "", 1)
	d = strings.Replace(d, "        label: {en: Pick one}\n", "        label: {en: Pick one}\n"+extra, 1)
	return []byte(d)
}

func TestUpdateSurveyRefusesDroppingUsedOptions(t *testing.T) {
	f := newTrial(t, false)
	ctx := admin
	// Stored answers: pick c three times (one of them a draft), many z twice.
	stored := []string{
		`{"pick": "c", "many": ["z", "x"]}`,
		`{"pick": "c"}`,
		`{"pick": "a", "many": ["z"]}`,
		`{"pick": "b", "many": ["x", "y"]}`,
	}
	for i, a := range stored {
		if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "trial", SubmissionID: fmt.Sprintf("stored-%04d", i), Answers: answers(t, a)}); err != nil {
			t.Fatal(err)
		}
	}
	token, _ := f.invite(t, "lib1")
	if _, err := f.svc.Submit(ctx, campaign.Submission{Survey: "trial", Answers: answers(t, `{"pick": "c"}`), InvitationToken: token, Draft: true}); err != nil {
		t.Fatal(err)
	}
	// Counted by hand from the answers above.
	wantCounts := map[string]int{"pick c": 3, "many z": 2}

	_, _, err := f.svc.UpdateSurvey(ctx, "trial", campaign.Definition{Data: nextVersion(""), Format: "yaml"})
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("dropping used options: %v, want invalid", err)
	}
	fields := survey.ErrorFields(err)
	if len(fields) != 2 {
		t.Fatalf("fields %+v, want one per dropped option", fields)
	}
	for i, want := range []struct{ path, question, option string }{
		{"sections[0].questions[0].options", "pick", "c"},
		{"sections[0].questions[1].options", "many", "z"},
	} {
		n := wantCounts[want.question+" "+want.option]
		if fields[i].Path != want.path || !strings.Contains(fields[i].Message, fmt.Sprintf("option %q of question %q", want.option, want.question)) ||
			!strings.Contains(fields[i].Message, fmt.Sprintf("but %d stored responses use it", n)) {
			t.Errorf("field %d = %+v; want %s naming option %q of %q and %d responses", i, fields[i], want.path, want.option, want.question, n)
		}
	}
	if sv, _ := f.st.FindSurvey(context.Background(), "trial"); sv.Version != 1 {
		t.Errorf("refused version stored: now version %d", sv.Version)
	}

	// A recode for pick alone still leaves many's z refused.
	_, _, err = f.svc.UpdateSurvey(ctx, "trial", campaign.Definition{Data: nextVersion("        recode: {c: b}\n"), Format: "yaml"})
	if fields := survey.ErrorFields(err); len(fields) != 1 || fields[0].Path != "sections[0].questions[1].options" {
		t.Errorf("with pick recoded: %v %+v; want many's z alone refused", err, fields)
	}

	// Mapping to a value that is not an option is a definition error.
	_, _, err = f.svc.UpdateSurvey(ctx, "trial", campaign.Definition{Data: nextVersion("        recode: {c: q}\n"), Format: "yaml"})
	if fields := survey.ErrorFields(err); len(fields) == 0 || fields[0].Path != "sections[0].questions[0].recode.c" {
		t.Errorf("recode to a non-option: %v %+v; want a field at sections[0].questions[0].recode.c", err, fields)
	}

	// Both mapped: the new version is stored, and older answers read as new ones.
	both := strings.Replace(string(nextVersion("        recode: {c: b}\n")), "        label: {en: Pick any}\n", "        label: {en: Pick any}\n        recode: {z: x}\n", 1)
	sv, _, err := f.svc.UpdateSurvey(ctx, "trial", campaign.Definition{Data: []byte(both), Format: "yaml"})
	if err != nil {
		t.Fatalf("with both recoded: %v", err)
	}
	current, err := f.st.FindSurvey(context.Background(), "trial")
	if err != nil || current.Version != 2 || sv.Version != 2 {
		t.Fatalf("after the update: version %d (%v), want 2", current.Version, err)
	}
	first, err := f.st.FindResponseBySubmission(context.Background(), "trial", "stored-0000")
	if err != nil {
		t.Fatal(err)
	}
	recoded := current.RecodeAnswers(first.Answers)
	if recoded.String("pick") != "b" || strings.Join(recoded.Strings("many"), ",") != "x" || first.Answers.String("pick") != "c" {
		t.Errorf("recoded %v from %v; want pick b, many [x] (z and x once), the stored answers unchanged", recoded, first.Answers)
	}
	// The analysis of the current version counts the older answers under
	// the options that now stand for them. Submitted answers: pick c, c, a,
	// b → a 1, b 1 + 2 recoded = 3; many {z,x}, {z}, {x,y} → x 1 + 1 + 1 = 3
	// (z and x once in the first), y 1.
	res, err := f.svc.Analysis(ctx, "trial", campaign.Query{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, q := range res.Questions {
		for _, o := range q.Options {
			counts[q.ID+" "+o.Value] = o.Count
		}
	}
	for key, want := range map[string]int{"pick a": 1, "pick b": 3, "many x": 3, "many y": 1} {
		if counts[key] != want {
			t.Errorf("analysis after the recode: %s = %d, want %d (all %v)", key, counts[key], want, counts)
		}
	}
	entries, _, err := f.st.ListAudit(context.Background(), survey.AuditFilter{Action: "survey.update"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "admin@section.example" || entries[0].Details != "version 2 from yaml" {
		t.Errorf("audit: %+v (%v); want one survey.update by admin@section.example, version 2", entries, err)
	}
}

func TestSurveyUseCasesNeedTheirRole(t *testing.T) {
	f := newTrial(t, false)
	reader := survey.WithActor(context.Background(), survey.Actor{Name: "token:reader", Role: survey.RoleAnalyst})
	def := campaign.Definition{Data: []byte(strings.Replace(strings.Replace(definition, "EDIT", "false", 1), "slug: trial", "slug: other", 1)), Format: "yaml"}
	for name, call := range map[string]func(context.Context) error{
		"create":  func(ctx context.Context) error { _, _, err := f.svc.CreateSurvey(ctx, def); return err },
		"status":  func(ctx context.Context) error { return f.svc.SetStatus(ctx, "trial", survey.StatusClosed) },
		"dates":   func(ctx context.Context) error { return f.svc.SetDates(ctx, "trial", nil, nil) },
		"publish": func(ctx context.Context) error { _, err := f.svc.PublishResults(ctx, "trial", true); return err },
		"delete":  func(ctx context.Context) error { _, err := f.svc.DeleteResponse(ctx, "x"); return err },
	} {
		if err := call(reader); survey.ErrorCode(err) != survey.EFORBIDDEN {
			t.Errorf("%s as an analyst: %v, want forbidden", name, err)
		}
		if err := call(context.Background()); survey.ErrorCode(err) != survey.EUNAUTHORIZED {
			t.Errorf("%s with no actor: %v, want unauthorized", name, err)
		}
	}
	if _, err := f.svc.ListSurveys(context.Background()); survey.ErrorCode(err) != survey.EUNAUTHORIZED {
		t.Errorf("list with no actor: %v, want unauthorized", err)
	}
	list, err := f.svc.ListSurveys(reader)
	if err != nil || len(list) != 1 || list[0].Survey.Slug != "trial" || !list[0].Accepting || list[0].Responses != 0 {
		t.Errorf("list as an analyst: %+v, %v", list, err)
	}
}

func TestCreateSurveyAndStatusAndDates(t *testing.T) {
	f := newTrial(t, false)
	ctx := admin
	d := strings.Replace(strings.Replace(definition, "EDIT", "false", 1), "slug: trial", "slug: second", 1)
	d = strings.Replace(d, "status: open\n", "", 1)
	sv, _, err := f.svc.CreateSurvey(ctx, campaign.Definition{Data: []byte(d), Format: "yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if sv.Status != survey.StatusDraft {
		t.Errorf("a definition without a status is created as %q, want draft", sv.Status)
	}
	if _, _, err := f.svc.CreateSurvey(ctx, campaign.Definition{Data: []byte(d), Format: "yaml"}); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("the same slug again: %v, want conflict", err)
	}
	if _, err := f.svc.PublishedForm(ctx, "second"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a draft's form: %v, want not found", err)
	}
	if sv, err := f.svc.OpenSurvey(ctx, "second"); survey.ErrorCode(err) != survey.ENOTFOUND || sv != nil {
		t.Errorf("a draft opened for respondents: %v, %v; want not found and no survey", sv, err)
	}
	if err := f.svc.SetStatus(ctx, "second", "published"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("an unknown status: %v, want invalid", err)
	}
	if err := f.svc.SetStatus(ctx, "second", survey.StatusOpen); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.OpenSurvey(ctx, "second"); err != nil {
		t.Errorf("opened survey: %v", err)
	}
	opens, closes := f.clock.AddDate(0, 0, 1), f.clock
	if err := f.svc.SetDates(ctx, "second", &opens, &closes); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("closing before opening: %v, want invalid", err)
	}
	later := f.clock.AddDate(0, 1, 0)
	if err := f.svc.SetDates(ctx, "second", &opens, &later); err != nil {
		t.Fatal(err)
	}
	// Not open until tomorrow: the respondent's survey is closed, and still named.
	if sv, err := f.svc.OpenSurvey(ctx, "second"); survey.ErrorCode(err) != survey.ECLOSED || sv == nil || sv.Slug != "second" {
		t.Errorf("before its opening date: %v, %v; want closed with the survey", sv, err)
	}
	yaml, name, err := f.svc.DefinitionYAML(ctx, "second")
	if err != nil || name != "second-v1.yaml" {
		t.Fatalf("definition: %q, %v", name, err)
	}
	back, err := survey.ParseDefinition(yaml, "yaml")
	if err != nil || back.Slug != "second" || len(back.Questions()) != 3 {
		t.Errorf("the downloaded definition reads back as %+v, %v", back, err)
	}
}
