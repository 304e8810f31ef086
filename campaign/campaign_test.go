package campaign_test

import (
	"context"
	"testing"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// admin and analyst are the contexts of a working-group admin and analyst.
var (
	admin   = survey.WithActor(context.Background(), survey.Actor{Name: "admin@section.example", Role: survey.RoleAdmin})
	analyst = survey.WithActor(context.Background(), survey.Actor{Name: "analyst@section.example", Role: survey.RoleAnalyst})
)

// newService is a campaign over a fresh database holding the built-in
// surveys, sending through mailer (nil: no SMTP server).
func newService(t *testing.T, mailer campaign.Mailer) (*campaign.Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	surveys, err := builtin.Surveys()
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range surveys {
		sv.Status = survey.StatusOpen
		if err := st.CreateSurvey(context.Background(), sv); err != nil {
			t.Fatal(err)
		}
	}
	return campaign.New(campaign.Config{Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st,
		Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Reports: st, Mailer: mailer}), st
}

// auditActions lists the audit log's entries for action, as "actor: details".
func auditActions(t *testing.T, st *store.Store, action string) []string {
	t.Helper()
	entries, _, err := st.ListAudit(context.Background(), survey.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Actor+": "+e.Details)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := survey.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}
