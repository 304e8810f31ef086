package web

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// apiCreateInvitations invites libraries to a survey: those listed in
// library_ids, or all matching region / member. A library is invited once;
// one without a contact email is skipped, with the reason.
func (s *Server) apiCreateInvitations(c *gin.Context) {
	ctx := c.Request.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	var body struct {
		LibraryIDs []string `json:"library_ids"`
		Region     string   `json:"region"`
		Member     *bool    `json:"member"`
		All        bool     `json:"all"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	var libs []*survey.Library
	if len(body.LibraryIDs) > 0 {
		for _, id := range body.LibraryIDs {
			l, err := s.cfg.Libraries.FindLibrary(ctx, id)
			if err != nil {
				s.renderError(c, err)
				return
			}
			libs = append(libs, l)
		}
	} else if body.Region != "" && survey.RegionLabels[survey.Region(body.Region)] == nil {
		s.renderError(c, &survey.Error{Code: survey.EINVALID, Message: "Unknown region.", Fields: []survey.FieldError{{Path: "region", Message: "region is one of the IFLA regions, e.g. europe."}}})
		return
	} else if body.All || body.Region != "" || body.Member != nil {
		if libs, _, err = s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{Region: survey.Region(body.Region), Member: body.Member}); err != nil {
			s.renderError(c, err)
			return
		}
	} else {
		s.renderError(c, survey.Errorf(survey.EINVALID, "Say which libraries: library_ids, region, member, or all."))
		return
	}
	created, skips, err := s.inviteLibraries(c, sv, libs)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"created": len(created), "skipped": skips})
}

type skipped struct {
	LibraryID string `json:"library_id"`
	Name      string `json:"name"`
	Reason    string `json:"reason"`
}

// inviteLibraries invites each library once, at its first contact with an
// email, in that contact's language when the survey offers it.
func (s *Server) inviteLibraries(c *gin.Context, sv *survey.Survey, libs []*survey.Library) (created []string, skips []skipped, err error) {
	ctx := c.Request.Context()
	skips = []skipped{}
	for _, l := range libs {
		var contact *survey.Contact
		for i := range l.Contacts {
			if l.Contacts[i].Email != "" {
				contact = &l.Contacts[i]
				break
			}
		}
		if contact == nil {
			skips = append(skips, skipped{l.ID, l.Name, "no contact email"})
			continue
		}
		lang := contact.Language
		if !sv.HasLanguage(lang) {
			lang = sv.DefaultLanguage
		}
		inv := &survey.Invitation{SurveySlug: sv.Slug, LibraryID: l.ID, Name: contact.Name, Email: contact.Email, Language: lang, CreatedAt: s.now()}
		switch err := s.cfg.Invitations.CreateInvitation(ctx, inv); survey.ErrorCode(err) {
		case "":
			created = append(created, inv.ID)
		case survey.ECONFLICT:
			skips = append(skips, skipped{l.ID, l.Name, "already invited"})
		default:
			return created, skips, err
		}
	}
	s.audit(c, "invitation.create", "survey:"+sv.Slug, strconv.Itoa(len(created))+" libraries invited")
	return created, skips, nil
}

type invitationJSON struct {
	ID          string `json:"id"`
	LibraryID   string `json:"library_id"`
	Library     string `json:"library"`
	Region      string `json:"region,omitempty"`
	Type        string `json:"type,omitempty"`
	Name        string `json:"name,omitempty"`
	Email       string `json:"email"`
	Language    string `json:"language"`
	Status      string `json:"status"`
	Revoked     bool   `json:"revoked,omitempty"`
	SentAt      any    `json:"sent_at,omitempty"`
	OpenedAt    any    `json:"opened_at,omitempty"`
	StartedAt   any    `json:"started_at,omitempty"`
	SubmittedAt any    `json:"submitted_at,omitempty"`
	SendError   string `json:"send_error,omitempty"`
}

// invitationsWithLibraries lists a survey's invitations with their libraries.
func (s *Server) invitationsWithLibraries(c *gin.Context, slug string) ([]invitationJSON, []*survey.Invitation, error) {
	invs, err := s.cfg.Invitations.ListInvitations(c.Request.Context(), slug)
	if err != nil {
		return nil, nil, err
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(c.Request.Context(), survey.LibraryFilter{})
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*survey.Library{}
	for _, l := range libs {
		byID[l.ID] = l
	}
	out := make([]invitationJSON, len(invs))
	for i, inv := range invs {
		j := invitationJSON{ID: inv.ID, LibraryID: inv.LibraryID, Name: inv.Name, Email: inv.Email, Language: inv.Language, Status: string(inv.Status),
			Revoked: inv.Revoked, SendError: inv.SendError}
		if inv.SentAt != nil {
			j.SentAt = inv.SentAt
		}
		if inv.OpenedAt != nil {
			j.OpenedAt = inv.OpenedAt
		}
		if inv.StartedAt != nil {
			j.StartedAt = inv.StartedAt
		}
		if inv.SubmittedAt != nil {
			j.SubmittedAt = inv.SubmittedAt
		}
		if l := byID[inv.LibraryID]; l != nil {
			j.Library, j.Region, j.Type = l.Name, string(l.Region), string(l.Type)
		}
		out[i] = j
	}
	return out, invs, nil
}

func (s *Server) apiListInvitations(c *gin.Context) {
	list, _, err := s.invitationsWithLibraries(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"invitations": list})
}

// revokeInvitation withdraws the invitation :id of survey :slug: its links
// stop working. It answers the error itself and returns nil on failure.
func (s *Server) revokeInvitation(c *gin.Context) *survey.Invitation {
	inv := s.routeInvitation(c)
	if inv == nil {
		return nil
	}
	inv.Revoked = true
	if err := s.cfg.Invitations.UpdateInvitation(c.Request.Context(), inv); err != nil {
		s.renderError(c, err)
		return nil
	}
	s.audit(c, "invitation.revoke", "invitation:"+inv.ID, inv.Email)
	return inv
}

// routeInvitation finds the invitation :id of survey :slug, or answers
// 404 (or the store's error) and returns nil.
func (s *Server) routeInvitation(c *gin.Context) *survey.Invitation {
	inv, err := s.cfg.Invitations.FindInvitation(c.Request.Context(), c.Param("id"))
	if err == nil && inv.SurveySlug != c.Param("slug") {
		err = survey.Errorf(survey.ENOTFOUND, "There is no such invitation.")
	}
	if err != nil {
		s.renderError(c, err)
		return nil
	}
	return inv
}

// apiRecordBounce records a bounce that came back by email after the SMTP
// server had accepted the message ({"reason": "..."}): the invitation shows
// it until it is sent again successfully.
func (s *Server) apiRecordBounce(c *gin.Context) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	reason := strings.TrimSpace(body.Reason)
	if reason == "" || len(reason) > 500 {
		s.renderError(c, &survey.Error{Code: survey.EINVALID, Message: "Say why it bounced.", Fields: []survey.FieldError{{Path: "reason", Message: "reason is required (up to 500 characters), e.g. the bounce's status line."}}})
		return
	}
	inv := s.routeInvitation(c)
	if inv == nil {
		return
	}
	inv.SendError = "bounced: " + reason
	if err := s.cfg.Invitations.UpdateInvitation(c.Request.Context(), inv); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "invitation.bounce", "invitation:"+inv.ID, reason)
	c.Status(http.StatusNoContent)
}

func (s *Server) apiRevokeInvitation(c *gin.Context) {
	if s.revokeInvitation(c) != nil {
		c.Status(http.StatusNoContent)
	}
}

// newLink issues a fresh personal link for an invitation (tokens are kept
// only as hashes, so a link can be shown only when it is made).
func (s *Server) newLink(c *gin.Context, inv *survey.Invitation) string {
	secret, hash := survey.NewSecret()
	inv.TokenHashes = append(inv.TokenHashes, hash)
	return s.baseURL(c) + "/s/" + inv.SurveySlug + "?t=" + secret + "&lang=" + inv.Language
}

// apiMailMerge makes the mail-merge file for the section's own mailing: a
// row per invitation not yet sent (library, contact, email, language,
// personal link), as CSV or XLSX; those invitations are then marked sent.
func (s *Server) apiMailMerge(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		list, invs, err := s.invitationsWithLibraries(c, c.Param("slug"))
		if err != nil {
			s.renderError(c, err)
			return
		}
		rows := [][]string{{"library", "contact", "email", "language", "link"}}
		var issued []*survey.Invitation
		for i, inv := range invs {
			if inv.Status != survey.InvitationNotSent || inv.Revoked {
				continue
			}
			rows = append(rows, []string{list[i].Library, inv.Name, inv.Email, inv.Language, s.newLink(c, inv)})
			inv.Advance(survey.InvitationSent, s.now())
			issued = append(issued, inv)
		}
		// The file is made before anything is recorded, so a failure
		// leaves no invitation marked sent without its link.
		var buf bytes.Buffer
		contentType := "text/csv; charset=utf-8"
		if format == "xlsx" {
			contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			err = export.TableXLSX(&buf, "Invitations", rows, 40)
		} else {
			err = export.TableCSV(&buf, rows)
		}
		if err != nil {
			s.renderError(c, err)
			return
		}
		for _, inv := range issued {
			if err := s.cfg.Invitations.UpdateInvitation(c.Request.Context(), inv); err != nil {
				s.renderError(c, err)
				return
			}
		}
		s.audit(c, "invitation.mailmerge", "survey:"+c.Param("slug"), strconv.Itoa(len(rows)-1)+" links issued")
		attachment(c, c.Param("slug")+"-invitations."+format)
		c.Data(http.StatusOK, contentType, buf.Bytes())
	}
}

// trackingGroup counts invitations by status in one group.
type trackingGroup struct {
	Invited      int     `json:"invited"`
	Sent         int     `json:"sent"`
	Opened       int     `json:"opened"`
	Started      int     `json:"started"`
	Submitted    int     `json:"submitted"`
	ResponseRate float64 `json:"response_rate"` // submitted / invited
}

func (g *trackingGroup) add(status survey.InvitationStatus) {
	g.Invited++
	rank := map[survey.InvitationStatus]int{survey.InvitationSent: 1, survey.InvitationOpened: 2, survey.InvitationStarted: 3, survey.InvitationSubmitted: 4}[status]
	for i, counter := range []*int{&g.Sent, &g.Opened, &g.Started, &g.Submitted} {
		if rank > i {
			*counter++
		}
	}
	g.ResponseRate = share(g.Submitted, g.Invited)
}

// share is a ratio, 0 for an empty base.
func share(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// waiting is an invited library that has not submitted.
type waiting struct {
	Library string `json:"library"`
	Email   string `json:"email"`
	Status  string `json:"status"`
}

// tracking counts a survey's invitations (withdrawn ones left out) overall
// and by region and library type, and lists the libraries not yet
// responding, by name.
type tracking struct {
	Overall       trackingGroup             `json:"overall"`
	ByRegion      map[string]*trackingGroup `json:"by_region"`
	ByType        map[string]*trackingGroup `json:"by_type"`
	NotResponding []waiting                 `json:"not_responding"`
}

func trackingOf(list []invitationJSON) tracking {
	t := tracking{ByRegion: map[string]*trackingGroup{}, ByType: map[string]*trackingGroup{}, NotResponding: []waiting{}}
	for _, inv := range list {
		if inv.Revoked {
			continue
		}
		status := survey.InvitationStatus(inv.Status)
		t.Overall.add(status)
		for _, g := range []struct {
			m   map[string]*trackingGroup
			key string
		}{{t.ByRegion, inv.Region}, {t.ByType, inv.Type}} {
			key := g.key
			if key == "" {
				key = "unknown"
			}
			if g.m[key] == nil {
				g.m[key] = &trackingGroup{}
			}
			g.m[key].add(status)
		}
		if status != survey.InvitationSubmitted {
			t.NotResponding = append(t.NotResponding, waiting{inv.Library, inv.Email, inv.Status})
		}
	}
	sort.Slice(t.NotResponding, func(i, j int) bool { return t.NotResponding[i].Library < t.NotResponding[j].Library })
	return t
}

// apiTracking reports a survey's invitations: how many were invited, sent,
// opened, started and submitted (each stage counts those past it), and the
// response rate, overall and by region and library type, with the
// libraries not yet responding.
func (s *Server) apiTracking(c *gin.Context) {
	list, _, err := s.invitationsWithLibraries(c, c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, trackingOf(list))
}
