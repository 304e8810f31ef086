package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// The working group's invitations page for one survey: who is invited,
// how far each library has got, the response rate by region and type;
// inviting, sending (or the mail-merge file), reminders, revoking, and
// the email texts.

type trackingRow struct {
	Group string
	trackingGroup
}

type invitationsPage struct {
	page
	Survey      *survey.Survey
	Invitations []invitationJSON
	Overall     trackingGroup
	ByRegion    []trackingRow
	ByType      []trackingRow
	Regions     []regionOption
	SMTP        bool
	Templates   []survey.MailTemplate
	Failures    []sendFailure
}

func sortedGroups(m map[string]*trackingGroup) []trackingRow {
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

func (s *Server) renderInvitationsPage(c *gin.Context, status int, failures []sendFailure) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	list, _, err := s.invitationsWithLibraries(c, sv.Slug)
	if err != nil {
		s.renderError(c, err)
		return
	}
	templates, err := s.mailTemplates(c, sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := invitationsPage{page: s.adminPage(c, "Invitations: "+sv.Title.In("en", sv.DefaultLanguage)), Survey: sv, Invitations: list,
		Regions: regionOptions("en"), SMTP: s.cfg.Mailer != nil, Templates: templates, Failures: failures}
	t := trackingOf(list)
	p.Overall = t.Overall
	p.ByRegion, p.ByType = sortedGroups(t.ByRegion), sortedGroups(t.ByType)
	s.renderPage(c, status, "admin_invitations.html", p)
}

func (s *Server) inviteForm(c *gin.Context) {
	ctx := c.Request.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	back := "/admin/surveys/" + sv.Slug + "/invitations"
	f := survey.LibraryFilter{Region: survey.Region(c.PostForm("region"))}
	switch c.PostForm("who") {
	case "members":
		yes := true
		f.Member = &yes
	case "all":
	default:
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("Choose whom to invite."))
		return
	}
	if f.Region != "" && survey.RegionLabels[f.Region] == nil {
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("Unknown region."))
		return
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	created, skips, err := s.inviteLibraries(c, sv, libs)
	if err != nil {
		s.renderError(c, err)
		return
	}
	msg := strconv.Itoa(len(created)) + " libraries invited."
	noEmail := 0
	for _, sk := range skips {
		if sk.Reason == "no contact email" {
			noEmail++
		}
	}
	if noEmail > 0 {
		msg += " " + strconv.Itoa(noEmail) + " left out: no contact email."
	}
	c.Redirect(http.StatusSeeOther, back+"?done="+url.QueryEscape(msg))
}

func (s *Server) sendForm(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	back := "/admin/surveys/" + sv.Slug + "/invitations"
	if s.cfg.Mailer == nil {
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("No SMTP server is configured: download the mail-merge file instead."))
		return
	}
	kind := survey.MailKind(c.PostForm("kind"))
	if kind != survey.MailInvitation && kind != survey.MailReminder {
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("Choose invitations or reminders."))
		return
	}
	sent, failures, err := s.sendInvitationMail(c, sv, kind)
	if err != nil {
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape(survey.ErrorMessage(err)))
		return
	}
	if len(failures) > 0 {
		c.Request.URL.RawQuery = "done=" + url.QueryEscape(strconv.Itoa(sent)+" sent; "+strconv.Itoa(len(failures))+" could not be sent (below).")
		s.renderInvitationsPage(c, http.StatusOK, failures)
		return
	}
	c.Redirect(http.StatusSeeOther, back+"?done="+url.QueryEscape(strconv.Itoa(sent)+" "+string(kind)+"s sent."))
}

func (s *Server) revokeForm(c *gin.Context) {
	inv := s.revokeInvitation(c)
	if inv == nil {
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/surveys/"+inv.SurveySlug+"/invitations?done="+url.QueryEscape("The invitation to "+inv.Email+" was withdrawn; its links no longer work."))
}

// mailMergeForm is the mail-merge download as a POST, so a page elsewhere
// cannot make a signed-in browser issue links and mark invitations sent.
func (s *Server) mailMergeForm(c *gin.Context) {
	format := c.PostForm("format")
	if format != "xlsx" {
		format = "csv"
	}
	s.apiMailMerge(format)(c)
}

func (s *Server) saveTemplateForm(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	back := "/admin/surveys/" + sv.Slug + "/invitations"
	t := survey.MailTemplate{Kind: survey.MailKind(c.PostForm("kind")), Language: c.PostForm("language"), Subject: strings.TrimSpace(c.PostForm("subject")),
		Body: strings.ReplaceAll(c.PostForm("body"), "\r\n", "\n"), Custom: true, UpdatedAt: s.now().UTC()}
	if !sv.HasLanguage(t.Language) {
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("The survey is not offered in that language."))
		return
	}
	if err := t.Validate(); err != nil {
		msgs := []string{}
		for _, f := range survey.ErrorFields(err) {
			msgs = append(msgs, f.Message)
		}
		c.Redirect(http.StatusSeeOther, back+"?problem="+url.QueryEscape("The "+string(t.Kind)+" text ("+t.Language+") was not saved: "+strings.Join(msgs, " "))+"#templates")
		return
	}
	if err := s.cfg.MailTemplates.SaveMailTemplate(c.Request.Context(), sv.Slug, t); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "mail_template.save", "survey:"+sv.Slug, string(t.Kind)+"/"+t.Language)
	c.Redirect(http.StatusSeeOther, back+"?done="+url.QueryEscape("The "+string(t.Kind)+" text ("+t.Language+") was saved.")+"#templates")
}
