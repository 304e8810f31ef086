package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The working group's invitations page for one survey: who is invited,
// how far each library has got, the response rate by region and type;
// inviting, sending (or the mail-merge file), reminders, revoking, and
// the email texts. Every action is a campaign method; a refusal comes
// back to the page as its message.

type trackingRow struct {
	Group string
	campaign.TrackingGroup
}

type invitationsPage struct {
	page
	Survey      *survey.Survey
	Invitations []invitationJSON
	Overall     campaign.TrackingGroup
	ByRegion    []trackingRow
	ByType      []trackingRow
	Regions     []regionOption
	SMTP        bool
	Templates   []survey.MailTemplate
	Failures    []campaign.SendFailure
	// Candidates are the libraries the picker offers: not invited, or
	// withdrawn (invited again when ticked).
	Candidates []candidate
	Bases      []regionOption
	// Skipped lists the libraries the last inviting left out, and why.
	Skipped []campaign.Skipped
	// Unanswered counts the live invitations not answered; Waiting those
	// of them sent a link (the reminder file's rows).
	Unanswered, Waiting int
	// PreviousWave is the wave before this one in its series (nil for a
	// first wave): "everyone from the last wave" can be invited.
	PreviousWave *survey.Survey
}

// candidate is a library the picker offers, with what inviting it will
// meet: no email, no recorded consent, or an earlier withdrawn invitation.
type candidate struct {
	ID, Name, Place string
	NoEmail         bool
	NoConsent       bool
	Withdrawn       bool
}

// pageExtras is what an action hands back to the page it renders.
type pageExtras struct {
	failures []campaign.SendFailure
	skipped  []campaign.Skipped
	// typed is an email text that was refused: the page shows it in place
	// of the text in force, so what was typed is not lost.
	typed *survey.MailTemplate
}

func sortedGroups(m map[string]*campaign.TrackingGroup) []trackingRow {
	out := make([]trackingRow, 0, len(m))
	for k, g := range m {
		out = append(out, trackingRow{k, *g})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

// legalBasisOptions are the legal bases the consent choice offers.
func legalBasisOptions() []regionOption {
	out := make([]regionOption, 0, len(campaign.LegalBases))
	for _, b := range campaign.LegalBases {
		out = append(out, regionOption{b.Kind, b.Label})
	}
	return out
}

func (s *Server) invitationsAdminPage(c *gin.Context) {
	s.renderInvitationsPage(c, http.StatusOK, pageExtras{})
}

func (s *Server) renderInvitationsPage(c *gin.Context, status int, extras pageExtras) {
	ctx := c.Request.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	list, err := s.cfg.Campaign.Invitations(ctx, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	templates, err := s.cfg.Campaign.MailTemplates(ctx, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if typed := extras.typed; typed != nil {
		for i, t := range templates {
			if t.Kind == typed.Kind && t.Language == typed.Language {
				templates[i].Subject, templates[i].Body = typed.Subject, typed.Body
			}
		}
	}
	before, err := s.cfg.Campaign.PreviousWave(ctx, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := invitationsPage{page: s.adminPage(c, "Invitations: "+adminTitle(sv)), Survey: sv,
		Regions: regionOptionsFor(c), SMTP: s.cfg.Campaign.CanEmail(), Templates: templates, Failures: extras.failures,
		Bases: legalBasisOptions(), Skipped: extras.skipped, PreviousWave: before}
	live := map[string]bool{}
	withdrawn := map[string]bool{}
	for _, inv := range list {
		p.Invitations = append(p.Invitations, toInvitationJSON(inv))
		if inv.Revoked {
			withdrawn[inv.LibraryID] = true
			continue
		}
		live[inv.LibraryID] = true
		if inv.Status != survey.InvitationSubmitted {
			p.Unanswered++
			if inv.SentAt != nil {
				p.Waiting++
			}
		}
	}
	if p.CanEditDirectory() {
		// A coordinator's picker holds their regions' libraries (Libraries is scoped).
		libs, _, err := s.cfg.Campaign.Libraries(ctx, survey.LibraryFilter{})
		if err != nil {
			s.renderError(c, err)
			return
		}
		for _, l := range libs {
			if live[l.ID] {
				continue
			}
			p.Candidates = append(p.Candidates, candidateOf(l, withdrawn[l.ID]))
		}
	}
	t := campaign.TrackingOf(list)
	p.Overall = t.Overall
	p.ByRegion, p.ByType = sortedGroups(t.ByRegion), sortedGroups(t.ByType)
	// The tracking counts canvass demo's invitations and responses: say so.
	// A coordinator may not read the survey's response counts (they count
	// every region's): their banner counts their regions' demo libraries,
	// the ones canvass demo invited.
	if p.Role == survey.RoleCoordinator {
		demo, err := s.cfg.Campaign.DemoLibraries(ctx)
		if err != nil {
			s.renderError(c, err)
			return
		}
		if demo > 0 {
			p.Demo = fmt.Sprintf(ui("en", "demo_banner_libraries"), survey.FormatInt("en", demo))
		}
	} else {
		sum, err := s.cfg.Campaign.Survey(ctx, sv.Slug)
		if err != nil {
			s.renderError(c, err)
			return
		}
		// Both the invitations to demo libraries and the demo responses.
		yes := true
		demoLibs, _, err := s.cfg.Campaign.Libraries(ctx, survey.LibraryFilter{Demo: &yes})
		if err != nil {
			s.renderError(c, err)
			return
		}
		isDemo := map[string]bool{}
		for _, l := range demoLibs {
			isDemo[l.ID] = true
		}
		demoInvitations := 0
		for _, inv := range list {
			if isDemo[inv.LibraryID] {
				demoInvitations++
			}
		}
		if demoInvitations > 0 || sum.Demo > 0 {
			p.Demo = fmt.Sprintf(ui("en", "demo_banner_invitations"), survey.FormatInt("en", demoInvitations), survey.FormatInt("en", len(list)),
				survey.FormatInt("en", sum.Demo), survey.FormatInt("en", sum.Responses))
		}
	}
	s.renderPage(c, status, "admin_invitations.html", p)
}

func candidateOf(l *survey.Library, withdrawn bool) candidate {
	c := candidate{ID: l.ID, Name: l.Name, Place: strings.Trim(l.City+", "+l.Country, ", "), NoEmail: true, NoConsent: true, Withdrawn: withdrawn}
	for _, ct := range l.Contacts {
		if ct.Email != "" {
			c.NoEmail = false
			if ct.Consent {
				c.NoConsent = false
			}
		}
	}
	return c
}

// backToInvitations returns to the invitations page with a message: done
// for what happened, problem for a refusal the working group can fix.
// Other errors (a store down) get the error page.
func (s *Server) backToInvitations(c *gin.Context, done string, err error) {
	s.backTo(c, "/admin/surveys/"+c.Param("slug")+"/invitations", done, err)
}

// backTo returns to an admin page with done, or with the refusal err
// when the working group can fix it; other errors get the error page.
func (s *Server) backTo(c *gin.Context, back, done string, err error) {
	switch survey.ErrorCode(err) {
	case "":
		s.redirectFlash(c, back, done, "")
	case survey.EINVALID, survey.ECONFLICT, survey.EUNAVAILABLE:
		msg := survey.ErrorMessage(err)
		for _, f := range survey.ErrorFields(err) {
			msg += " " + f.Message
		}
		s.redirectFlash(c, back, "", msg)
	default:
		s.renderError(c, err)
	}
}

// basisFromForm reads the consent choice of an invite form: nil leaves
// contacts without recorded consent out; "basis" invites them on the
// legal basis chosen, with its note.
func basisFromForm(c *gin.Context) *campaign.LegalBasis {
	if c.PostForm("consent") != "basis" {
		return nil
	}
	return &campaign.LegalBasis{Kind: c.PostForm("basis_kind"), Note: c.PostForm("basis_note")}
}

// invitedMessage says what inviting did, in one line.
func invitedMessage(done *campaign.Invited) string {
	created, again := len(done.Created), len(done.Reinvited)
	msg := ""
	if created > 0 || again == 0 {
		msg = plural(created, "library", "libraries") + " invited."
	}
	if again > 0 {
		msg += " " + plural(again, "library", "libraries") + " invited again after a withdrawal (their old links stay dead; send or download their new link)."
	}
	if n := len(done.OnBasis); n > 0 {
		msg += " " + plural(n, "contact", "contacts") + " without recorded consent, on the legal basis given (recorded in the audit log)."
	}
	if n := len(done.Skipped); n > 0 {
		msg += " " + plural(n, "library", "libraries") + " left out (listed below with the reason)."
	}
	return strings.TrimSpace(msg)
}

// plural is n with the noun in the number it takes: "1 library", "2
// libraries", "0 libraries".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// plainBasisWords rewrites the legal-basis refusal for the page: the API's
// messages name its fields (legal_basis.note), which a secretary filling in
// the form never sees.
func plainBasisWords(err error) error {
	fields := survey.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	plain := make([]survey.FieldError, 0, len(fields))
	for _, f := range fields {
		switch f.Path {
		case "legal_basis.kind":
			f.Message = "Choose the legal basis the contacts are invited on."
		case "legal_basis.note":
			f.Message = "Say where the legal basis is documented, in the note (up to 1,000 characters)."
		}
		plain = append(plain, f)
	}
	return &survey.Error{Code: survey.ErrorCode(err), Message: survey.ErrorMessage(err), Fields: plain, Err: err}
}

// inviteForm invites the libraries ticked in the picker (action
// "selected"), or a group: who is all or members, within region.
func (s *Server) inviteForm(c *gin.Context) {
	who := campaign.Invitees{Region: survey.Region(c.PostForm("region")), Basis: basisFromForm(c)}
	switch {
	case c.PostForm("action") == "selected":
		who.Region = ""
		who.LibraryIDs = c.PostFormArray("library_id")
		if len(who.LibraryIDs) == 0 {
			s.backToInvitations(c, "", survey.Errorf(survey.EINVALID, "Tick the libraries to invite."))
			return
		}
	case c.PostForm("who") == "members":
		yes := true
		who.Member = &yes
	case c.PostForm("who") == "all":
		who.All = true
	case c.PostForm("who") == "previous_wave":
		who.PreviousWave = true
	default:
		s.backToInvitations(c, "", survey.Errorf(survey.EINVALID, "Choose whom to invite."))
		return
	}
	done, err := s.cfg.Campaign.Invite(c.Request.Context(), c.Param("slug"), who)
	if survey.ErrorCode(err) == survey.ENOTFOUND && len(who.LibraryIDs) > 0 {
		err = survey.Errorf(survey.EINVALID, "A library ticked is no longer in the directory; tick again.")
	}
	if err != nil {
		s.backToInvitations(c, "", plainBasisWords(err))
		return
	}
	if len(done.Skipped) > 0 {
		// The libraries left out are listed on the page itself.
		flashNow(c, invitedMessage(done))
		s.renderInvitationsPage(c, http.StatusOK, pageExtras{skipped: done.Skipped})
		return
	}
	s.backToInvitations(c, invitedMessage(done), nil)
}

func (s *Server) sendForm(c *gin.Context) {
	kind := survey.MailKind(c.PostForm("kind"))
	res, err := s.cfg.Campaign.Send(c.Request.Context(), c.Param("slug"), kind, s.baseURL(c))
	if err != nil {
		s.backToInvitations(c, "", err)
		return
	}
	if len(res.Failed) > 0 {
		// The failures are listed on the page itself, not in a redirect.
		flashNow(c, strconv.Itoa(res.Sent)+" sent; "+strconv.Itoa(len(res.Failed))+" could not be sent (below).")
		s.renderInvitationsPage(c, http.StatusOK, pageExtras{failures: res.Failed})
		return
	}
	s.backToInvitations(c, strconv.Itoa(res.Sent)+" "+string(kind)+"s sent.", nil)
}

func (s *Server) revokeForm(c *gin.Context) {
	inv, err := s.cfg.Campaign.Revoke(c.Request.Context(), c.Param("slug"), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.backToInvitations(c, "The invitation to "+inv.Email+" was withdrawn; its links no longer work.", nil)
}

// mailMergeForm is the mail-merge download as a POST, so a page elsewhere
// cannot make a signed-in browser issue links and mark invitations sent:
// mailing "invitations" (the first links) or "reminders". A refusal
// (nothing to put in the file) comes back to the page saying what to do.
func (s *Server) mailMergeForm(c *gin.Context) {
	mailing := campaign.MailingInvitations
	if c.PostForm("mailing") == string(campaign.MailingReminders) {
		mailing = campaign.MailingReminders
	}
	s.mailMerge(c, campaign.MergeRequest{Mailing: mailing, Format: formatFromForm(c)}, func(err error) { s.backToInvitations(c, "", err) })
}

// newLinksForm downloads new links for the invitations ticked (or, with
// scope "unanswered", every one not answered); their old links stop
// working.
func (s *Server) newLinksForm(c *gin.Context) {
	req := campaign.MergeRequest{Mailing: campaign.MailingNewLinks, Format: formatFromForm(c)}
	if c.PostForm("scope") != "unanswered" {
		if req.InvitationIDs = c.PostFormArray("invitation_id"); len(req.InvitationIDs) == 0 {
			s.backToInvitations(c, "", survey.Errorf(survey.EINVALID, "Tick the invitations that need new links, or choose every invitation not answered."))
			return
		}
	}
	s.mailMerge(c, req, func(err error) {
		if survey.ErrorCode(err) == survey.ENOTFOUND && len(req.InvitationIDs) > 0 {
			err = survey.Errorf(survey.EINVALID, "An invitation ticked is gone; tick again.")
		}
		s.backToInvitations(c, "", err)
	})
}

// formatFromForm is the file format chosen: xlsx, else csv.
func formatFromForm(c *gin.Context) string {
	if c.PostForm("format") == "xlsx" {
		return "xlsx"
	}
	return "csv"
}

// saveTemplateForm saves an email text. A refused one re-renders the page
// (422) with the subject and body as typed and the reasons, so nothing
// typed is lost.
func (s *Server) saveTemplateForm(c *gin.Context) {
	t := survey.MailTemplate{Kind: survey.MailKind(c.PostForm("kind")), Language: c.PostForm("language"), Subject: c.PostForm("subject"), Body: c.PostForm("body")}
	_, err := s.cfg.Campaign.SaveMailTemplate(c.Request.Context(), c.Param("slug"), t)
	what := "The " + strings.ToLower(codeLabel("en", "mail_kind", t.Kind)) + " text (" + codeLabel("en", "language", t.Language) + ")"
	back := "/admin/surveys/" + c.Param("slug") + "/invitations"
	switch survey.ErrorCode(err) {
	case "":
		s.redirectFlash(c, back+"#templates", what+" was saved.", "")
	case survey.EINVALID:
		msgs := []string{}
		for _, f := range survey.ErrorFields(err) {
			msgs = append(msgs, f.Message)
		}
		problemNow(c, what+" was not saved: "+strings.Join(msgs, " "))
		s.renderInvitationsPage(c, http.StatusUnprocessableEntity, pageExtras{typed: &t})
	default:
		s.renderError(c, err)
	}
}
