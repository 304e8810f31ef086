package campaign_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

func TestCreateTokenReturnsTheSecretOnceAndStoresItsHash(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	tok, secret, err := svc.CreateToken(admin, "  reporting script ", survey.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < 40 || tok.Hash == secret || tok.Hash == "" {
		t.Fatalf("secret %q, stored hash %q: want a long secret whose hash, not itself, is kept", secret, tok.Hash)
	}
	found, err := st.FindTokenByHash(ctx, survey.HashToken(secret))
	if err != nil {
		t.Fatalf("the token is not found by the hash of its secret: %v", err)
	}
	if found.ID != tok.ID || found.Name != "reporting script" || found.Role != survey.RoleAnalyst {
		t.Errorf("stored token %+v, want id %s named %q with role analyst", found, tok.ID, "reporting script")
	}
	if _, err := st.FindTokenByHash(ctx, secret); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the plain secret finds a token (%v): it must not be stored", err)
	}
	listed, err := svc.ListTokens(admin)
	if err != nil || len(listed) != 1 || listed[0].ID != tok.ID {
		t.Fatalf("list %v %v", listed, err)
	}
	if got := auditActions(t, st, "token.create"); !slices.Equal(got, []string{"admin@section.example: reporting script (analyst)"}) {
		t.Errorf("audit %q", got)
	}
	for _, bad := range []struct {
		name string
		role survey.Role
	}{{"  ", survey.RoleAdmin}, {string(make([]byte, 101)), survey.RoleAdmin}, {"ok", "owner"}} {
		_, _, err := svc.CreateToken(admin, bad.name, bad.role)
		wantCode(t, "token "+bad.name+"/"+string(bad.role), err, survey.EINVALID)
	}
}

func TestRevokeToken(t *testing.T) {
	svc, st := newService(t, nil)
	tok, secret, err := svc.CreateToken(admin, "old", survey.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.RevokeToken(admin, tok.ID); err != nil {
		t.Fatal(err)
	}
	found, err := st.FindTokenByHash(context.Background(), survey.HashToken(secret))
	if err != nil || found.RevokedAt == nil {
		t.Errorf("after revoking: %+v %v, want RevokedAt set", found, err)
	}
	if got := auditActions(t, st, "token.revoke"); !slices.Equal(got, []string{"admin@section.example: "}) {
		t.Errorf("audit %q", got)
	}
	wantCode(t, "revoking an unknown token", svc.RevokeToken(admin, "000000000000000000000000"), survey.ENOTFOUND)
}

func TestCreateUser(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	u, secret, err := svc.CreateUser(admin, campaign.NewUser{Email: " Ana@Example.org ", Name: "Ana", Role: survey.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ana@example.org" || u.PasswordHash != "" {
		t.Errorf("user %q with password hash %q, want ana@example.org and no password", u.Email, u.PasswordHash)
	}
	link, err := st.PeekPasswordToken(ctx, survey.HashSecret(secret), time.Now())
	if err != nil || link.UserID != u.ID || link.Purpose != "invite" {
		t.Fatalf("invitation link %+v %v", link, err)
	}
	if d := link.ExpiresAt.Sub(link.CreatedAt); d != 7*24*time.Hour {
		t.Errorf("link lasts %v, want 7 days", d)
	}
	if got := campaign.SetupLink("https://survey.example.org/", "abc"); got != "https://survey.example.org/admin/setup?token=abc" {
		t.Errorf("setup link %q", got)
	}
	if got := auditActions(t, st, "user.create"); !slices.Equal(got, []string{"admin@section.example: role analyst, one-time link issued"}) {
		t.Errorf("audit %q", got)
	}

	_, _, err = svc.CreateUser(admin, campaign.NewUser{Email: "ana@example.org", Role: survey.RoleAdmin, Password: "a good long password"})
	wantCode(t, "duplicate email", err, survey.ECONFLICT)
	_, _, err = svc.CreateUser(admin, campaign.NewUser{Email: "not an address", Role: survey.RoleAdmin})
	wantCode(t, "bad email", err, survey.EINVALID)
	_, _, err = svc.CreateUser(admin, campaign.NewUser{Email: "bo@example.org", Role: survey.RoleAdmin, Password: "short"})
	wantCode(t, "short password", err, survey.EINVALID)

	bo, secret, err := svc.CreateUser(admin, campaign.NewUser{Email: "bo@example.org", Role: survey.RoleAdmin, Password: "a good long password"})
	if err != nil || secret != "" {
		t.Fatalf("with a password: secret %q %v, want no link", secret, err)
	}
	stored, err := st.FindUserByEmail(ctx, "bo@example.org")
	if err != nil || !survey.CheckPassword(stored.PasswordHash, "a good long password") || stored.ID != bo.ID {
		t.Errorf("stored %+v %v: want the password to check", stored, err)
	}
}

func TestDisablingAUserSignsThemOutAndKillsTheirLinks(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	u, linkSecret, err := svc.CreateUser(admin, campaign.NewUser{Email: "ana@example.org", Role: survey.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sess := &survey.Session{Hash: survey.HashSecret("session-secret"), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	// Demoting alone keeps the session and the link.
	if _, err := svc.UpdateUser(admin, u.ID, survey.RoleAnalyst, nil, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindSession(ctx, sess.Hash); err != nil {
		t.Errorf("a demotion signed the user out: %v", err)
	}
	got, err := svc.UpdateUser(admin, u.ID, survey.RoleAnalyst, nil, true)
	if err != nil || !got.Disabled {
		t.Fatalf("disable: %+v %v", got, err)
	}
	stored, _ := st.FindUserByID(ctx, u.ID)
	if !stored.Disabled || stored.Role != survey.RoleAnalyst {
		t.Errorf("stored %+v, want a disabled analyst", stored)
	}
	if _, err := st.FindSession(ctx, sess.Hash); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the disabled user's session is still there: %v", err)
	}
	if _, err := st.PeekPasswordToken(ctx, survey.HashSecret(linkSecret), now); err == nil {
		t.Error("the disabled user's invitation link still works")
	}
	want := []string{
		"admin@section.example: was analyst, disabled false; now analyst, disabled true",
		"admin@section.example: was admin, disabled false; now analyst, disabled false",
	}
	if got := auditActions(t, st, "user.update"); !slices.Equal(got, want) {
		t.Errorf("audit %q, want %q", got, want)
	}
	_, err = svc.UpdateUser(admin, u.ID, "owner", nil, false)
	wantCode(t, "unknown role", err, survey.EINVALID)
	_, err = svc.UpdateUser(admin, "000000000000000000000000", survey.RoleAdmin, nil, false)
	wantCode(t, "unknown user", err, survey.ENOTFOUND)
}

func TestAnAdminCannotDemoteThemselves(t *testing.T) {
	svc, _ := newService(t, nil)
	u, _, err := svc.CreateUser(admin, campaign.NewUser{Email: "ana@example.org", Role: survey.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	me := survey.WithActor(context.Background(), survey.Actor{Name: u.Email, Role: survey.RoleAdmin, UserID: u.ID})
	for _, c := range []struct {
		role     survey.Role
		disabled bool
	}{{survey.RoleAnalyst, false}, {survey.RoleAdmin, true}} {
		if _, err := svc.UpdateUser(me, u.ID, c.role, nil, c.disabled); !errors.Is(err, campaign.ErrOwnAccount) {
			t.Errorf("own account to %s, disabled %t: %v, want ErrOwnAccount", c.role, c.disabled, err)
		}
	}
	if _, err := svc.UpdateUser(me, u.ID, survey.RoleAdmin, nil, false); err != nil {
		t.Errorf("saving oneself unchanged: %v", err)
	}
}

func TestResetPassword(t *testing.T) {
	svc, st := newService(t, nil)
	ctx := context.Background()
	u, _, err := svc.CreateUser(admin, campaign.NewUser{Email: "ana@example.org", Role: survey.RoleAdmin, Password: "the first long password"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sess := &survey.Session{Hash: survey.HashSecret("s"), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := st.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	// An admin's reset link leaves the user signed in until they use it.
	_, secret, err := svc.IssueResetLink(admin, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := st.PeekPasswordToken(ctx, survey.HashSecret(secret), now); err != nil || l.Purpose != "reset" || l.UserID != u.ID {
		t.Errorf("reset link %+v %v", l, err)
	}
	if _, err := st.FindSession(ctx, sess.Hash); err != nil {
		t.Errorf("a reset link signed the user out: %v", err)
	}
	// Recovery from the command line sets the password and signs out.
	sys := survey.WithActor(ctx, survey.SystemActor)
	if _, secret, err := svc.ResetPassword(sys, "Ana@Example.org", "the second long password"); err != nil || secret != "" {
		t.Fatalf("reset: %q %v", secret, err)
	}
	stored, _ := st.FindUserByID(ctx, u.ID)
	if !survey.CheckPassword(stored.PasswordHash, "the second long password") {
		t.Error("the new password does not check")
	}
	if _, err := st.FindSession(ctx, sess.Hash); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the session survived a password reset: %v", err)
	}
	if got := auditActions(t, st, "user.password_set"); !slices.Equal(got, []string{"system: password set"}) {
		t.Errorf("audit %q", got)
	}
	_, _, err = svc.ResetPassword(sys, "nobody@example.org", "")
	wantCode(t, "unknown email", err, survey.ENOTFOUND)
}

func TestAccountsNeedAnAdmin(t *testing.T) {
	svc, st := newService(t, nil)
	u, _, err := svc.CreateUser(admin, campaign.NewUser{Email: "ana@example.org", Role: survey.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(admin, "t", survey.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(ctx context.Context) error{
		"list tokens":  func(ctx context.Context) error { _, err := svc.ListTokens(ctx); return err },
		"create token": func(ctx context.Context) error { _, _, err := svc.CreateToken(ctx, "x", survey.RoleAdmin); return err },
		"revoke token": func(ctx context.Context) error { return svc.RevokeToken(ctx, tok.ID) },
		"list users":   func(ctx context.Context) error { _, err := svc.ListUsers(ctx); return err },
		"create user": func(ctx context.Context) error {
			_, _, err := svc.CreateUser(ctx, campaign.NewUser{Email: "eve@example.org", Role: survey.RoleAdmin})
			return err
		},
		"update user": func(ctx context.Context) error {
			_, err := svc.UpdateUser(ctx, u.ID, survey.RoleAnalyst, nil, true)
			return err
		},
		"reset link":     func(ctx context.Context) error { _, _, err := svc.IssueResetLink(ctx, u.ID); return err },
		"reset password": func(ctx context.Context) error { _, _, err := svc.ResetPassword(ctx, u.Email, ""); return err },
		"list audit":     func(ctx context.Context) error { _, _, err := svc.ListAudit(ctx, survey.AuditFilter{}); return err },
	}
	for name, call := range calls {
		wantCode(t, name+" as an analyst", call(analyst), survey.EFORBIDDEN)
		wantCode(t, name+" signed out", call(context.Background()), survey.EUNAUTHORIZED)
	}
	// Nothing changed: one user, one live token, and only the two creations audited.
	users, _ := st.ListUsers(context.Background())
	tokens, _ := st.ListTokens(context.Background())
	if len(users) != 1 || len(tokens) != 1 || tokens[0].RevokedAt != nil || users[0].Disabled {
		t.Errorf("refused calls changed things: %d users, %d tokens %+v", len(users), len(tokens), tokens)
	}
	entries, total, err := svc.ListAudit(admin, survey.AuditFilter{})
	if err != nil || total != 2 || len(entries) != 2 {
		t.Errorf("audit: %d entries of %d %v, want the 2 creations", len(entries), total, err)
	}
}
