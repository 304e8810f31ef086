package campaign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

// stepsDefinition is a small survey with public counts and a report
// whose tables share the regions' margin, k = 3.
const stepsDefinition = `
slug: steps
version: 1
status: open
default_language: en
languages: [en, fr]
title: {en: Steps, fr: Étapes}
settings: {public_counts: true, small_cell_threshold: 3}
sections:
  - id: s
    questions:
      - {id: country, type: country, required: true, label: {en: Country, fr: Pays}}
      - id: region
        type: single_choice
        required: true
        label: {en: Region, fr: Région}
        options:
          - {value: europe, label: {en: Europe, fr: Europe}}
          - {value: north_america, label: {en: North America, fr: Amérique du Nord}}
          - {value: asia_oceania, label: {en: Asia-Oceania, fr: Asie-Océanie}}
      - id: satisfied
        type: likert
        scale: {min: 1, max: 3}
        label: {en: "Satisfied?", fr: "Satisfait ?"}
        options:
          - {value: 1, label: {en: No, fr: Non}}
          - {value: 2, label: {en: Somewhat, fr: Un peu}}
          - {value: 3, label: {en: Yes, fr: Oui}}
report:
  tables:
    - {id: region, title: {en: Region, fr: Région}, question: region}
    - {id: satisfied, title: {en: Satisfaction, fr: Satisfaction}, question: satisfied}
    - {id: satisfied_by_region, title: {en: By region, fr: Par région}, question: satisfied, by: region}
`

// stepsStore is the embedded store with the steps survey in it.
func stepsStore(t *testing.T) (*store.Store, *survey.Survey) {
	t.Helper()
	st := storetest.New(t)
	sv, err := survey.ParseDefinition([]byte(stepsDefinition), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	return st, sv
}

// publicOutputs is every public output of the survey, as bytes: the
// snapshot's report in each language and its tallies, what Published
// makes of them (the masked report and counts the pages, counts.json, the
// badge and the widget render) and the counts as PublishedCounts hands
// them out, with the snapshot's sequence number and the number of
// responses it covers.
func publicOutputs(t *testing.T, svc *campaign.Service, sv *survey.Survey) (out string, seq int64, responses int) {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, lang := range sv.Languages {
		snap, err := svc.Snapshot(ctx, sv, lang)
		if err != nil {
			t.Fatal(err)
		}
		seq, responses = snap.Seq, snap.Responses
		pub, err := svc.Published(ctx, sv, lang)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Report == nil || pub.Counts == nil {
			t.Fatalf("%s: Published lacks the report or the counts of a survey with both public", lang)
		}
		js, err := json.Marshal([]any{snap.Report, snap.Tallies, pub.Report, pub.Counts, snap.At})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	counts, err := svc.PublishedCounts(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(counts)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(js)
	return b.String(), seq, responses
}

// TestPublicOutputsMoveInStepsOfK: submissions through the Service (the
// form's and the API's use case), each followed by a public request after
// the counts' reuse has expired, change no public output, byte for byte,
// until the k-th since the snapshot; that one moves them all, to figures
// over every response submitted. The issue saw counts refresh at once
// after a local submission: a respondent (or whoever watches the page)
// could read one library's answers off the difference.
func TestPublicOutputsMoveInStepsOfK(t *testing.T) {
	st, sv := stepsStore(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	svc := campaign.New(campaign.Config{Surveys: st, Responses: st, Audit: st, Libraries: st, Publications: st, Reports: st, Now: func() time.Time { return clock }})
	rng := rand.New(rand.NewPCG(15, 2))
	regions := []string{"europe", "north_america", "asia_oceania"}
	countries := map[string][]string{"europe": {"FR", "DE"}, "north_america": {"CA", "US"}, "asia_oceania": {"JP"}}
	submitted := 0
	submit := func() {
		t.Helper()
		region := regions[rng.IntN(len(regions))]
		cs := countries[region]
		answers := map[string]any{"country": cs[rng.IntN(len(cs))], "region": region, "satisfied": json.Number(fmt.Sprint(1 + rng.IntN(3)))}
		if _, err := svc.Submit(ctx, campaign.Submission{Survey: sv.Slug, SubmissionID: fmt.Sprintf("steps-%04d", submitted), Language: "en", Answers: answers, Source: "web"}); err != nil {
			t.Fatal(err)
		}
		submitted++
	}
	for range 10 {
		submit()
	}
	if _, err := svc.PublishResults(survey.WithActor(ctx, survey.Actor{Name: "admin@example.org", Role: survey.RoleAdmin}), sv.Slug, true); err != nil {
		t.Fatal(err)
	}
	k := sv.SmallCellK()
	if k != 3 {
		t.Fatalf("k = %d, want the definition's 3", k)
	}
	// k−1 = 2 steps, then a retake, twice: the rule holds after a retake too.
	for round := 1; round <= 2; round++ {
		before, seq, n := publicOutputs(t, svc, sv)
		if n != submitted {
			t.Fatalf("round %d: the snapshot covers %d responses, want the %d submitted", round, n, submitted)
		}
		for i := 1; i < k; i++ {
			submit()
			clock = clock.Add(time.Minute) // past any count's reuse: the rule alone keeps them
			got, gotSeq, _ := publicOutputs(t, svc, sv)
			if got != before || gotSeq != seq {
				t.Errorf("round %d: %d new submission(s) of k = %d changed the public outputs (snapshot #%d → #%d):\nbefore %.400s\nafter  %.400s", round, i, k, seq, gotSeq, before, got)
			}
		}
		submit()
		clock = clock.Add(time.Minute)
		after, afterSeq, afterN := publicOutputs(t, svc, sv)
		if after == before || afterSeq != seq+1 || afterN != submitted {
			t.Errorf("round %d: after k = %d new submissions the snapshot is #%d over %d responses (want #%d over %d), outputs changed %v", round, k, afterSeq, afterN, seq+1, submitted, after != before)
		}
		// The moved figures are over every response in the store.
		stored, err := st.CountMatching(ctx, survey.ResponseFilter{SurveySlug: sv.Slug, Status: survey.ResponseSubmitted})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := svc.Snapshot(ctx, sv, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if snap.Tallies.Total != stored || snap.Report.Responses != stored {
			t.Errorf("round %d: tallies over %d and report over %d responses, want the %d stored", round, snap.Tallies.Total, snap.Report.Responses, stored)
		}
	}
}
