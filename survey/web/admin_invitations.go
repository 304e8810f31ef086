package web

import (
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
}

func sortedGroups(m map[string]*campaign.TrackingGroup) []trackingRow {
	out := make([]trackingRow, 0, len(m))
	for k, g := range m {
		out = append(out, trackingRow{k, *g})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

func (s *Server) invitationsAdminPage(c *gin.Context) {
	s.renderInvitationsPage(c, http.StatusOK, nil)
}

func (s *Server) renderInvitationsPage(c *gin.Context, status int, failures []campaign.SendFailure) {
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
	p := invitationsPage{page: s.adminPage(c, "Invitations: "+sv.Title.In("en", sv.DefaultLanguage)), Survey: sv,
		Regions: regionOptions("en"), SMTP: s.cfg.Campaign.CanEmail(), Templates: templates, Failures: failures}
	for _, inv := range list {
		p.Invitations = append(p.Invitations, toInvitationJSON(inv))
	}
	t := campaign.TrackingOf(list)
	p.Overall = t.Overall
	p.ByRegion, p.ByType = sortedGroups(t.ByRegion), sortedGroups(t.ByType)
	s.renderPage(c, status, "admin_invitations.html", p)
}

// backToInvitations returns to the invitations page with a message: done
// for what happened, problem for a refusal the working group can fix.
// Other errors (a store down) get the error page.
func (s *Server) backToInvitations(c *gin.Context, done string, err error) {
	back := "/admin/surveys/" + c.Param("slug") + "/invitations"
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

func (s *Server) inviteForm(c *gin.Context) {
	who := campaign.Invitees{Region: survey.Region(c.PostForm("region"))}
	switch c.PostForm("who") {
	case "members":
		yes := true
		who.Member = &yes
	case "all":
		who.All = true
	default:
		s.backToInvitations(c, "", survey.Errorf(survey.EINVALID, "Choose whom to invite."))
		return
	}
	done, err := s.cfg.Campaign.Invite(c.Request.Context(), c.Param("slug"), who)
	if err != nil {
		s.backToInvitations(c, "", err)
		return
	}
	msg := strconv.Itoa(len(done.Created)) + " libraries invited."
	noEmail := 0
	for _, sk := range done.Skipped {
		if sk.Reason == campaign.SkipNoEmail {
			noEmail++
		}
	}
	if noEmail > 0 {
		msg += " " + strconv.Itoa(noEmail) + " left out: no contact email."
	}
	s.backToInvitations(c, msg, nil)
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
		s.renderInvitationsPage(c, http.StatusOK, res.Failed)
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
// cannot make a signed-in browser issue links and mark invitations sent.
func (s *Server) mailMergeForm(c *gin.Context) {
	format := c.PostForm("format")
	if format != "xlsx" {
		format = "csv"
	}
	s.mailMerge(c, format)
}

func (s *Server) saveTemplateForm(c *gin.Context) {
	t := survey.MailTemplate{Kind: survey.MailKind(c.PostForm("kind")), Language: c.PostForm("language"), Subject: c.PostForm("subject"), Body: c.PostForm("body")}
	_, err := s.cfg.Campaign.SaveMailTemplate(c.Request.Context(), c.Param("slug"), t)
	what := "The " + string(t.Kind) + " text (" + t.Language + ")"
	back := "/admin/surveys/" + c.Param("slug") + "/invitations"
	switch survey.ErrorCode(err) {
	case "":
		s.redirectFlash(c, back+"#templates", what+" was saved.", "")
	case survey.EINVALID:
		msgs := []string{}
		for _, f := range survey.ErrorFields(err) {
			msgs = append(msgs, f.Message)
		}
		s.redirectFlash(c, back+"#templates", "", what+" was not saved: "+strings.Join(msgs, " "))
	default:
		s.renderError(c, err)
	}
}
