package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The invitations API: each handler parses the request, calls the campaign
// and renders what it returns.

// apiCreateInvitations invites libraries to a survey: those listed in
// library_ids, or all matching region / member, or all. Contacts without
// recorded consent are left out (listed in skipped) unless legal_basis
// ({"kind", "note"}) documents the ground for mailing them.
func (s *Server) apiCreateInvitations(c *gin.Context) {
	var body struct {
		LibraryIDs []string `json:"library_ids"`
		Region     string   `json:"region"`
		Member     *bool    `json:"member"`
		All        bool     `json:"all"`
		// PreviousWave: every library the series' previous wave invited
		// or heard from.
		PreviousWave bool                 `json:"previous_wave"`
		LegalBasis   *campaign.LegalBasis `json:"legal_basis"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	done, err := s.cfg.Campaign.Invite(c.Request.Context(), c.Param("slug"),
		campaign.Invitees{LibraryIDs: body.LibraryIDs, Region: survey.Region(body.Region), Member: body.Member, All: body.All, PreviousWave: body.PreviousWave, Basis: body.LegalBasis})
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"created": len(done.Created), "reinvited": len(done.Reinvited), "on_legal_basis": len(done.OnBasis), "skipped": done.Skipped})
}

// invitationJSON is an invitation as the API shows it.
type invitationJSON struct {
	ID          string     `json:"id"`
	LibraryID   string     `json:"library_id"`
	Library     string     `json:"library"`
	Region      string     `json:"region,omitempty"`
	Type        string     `json:"type,omitempty"`
	Name        string     `json:"name,omitempty"`
	Email       string     `json:"email"`
	Language    string     `json:"language"`
	Status      string     `json:"status"`
	Revoked     bool       `json:"revoked,omitempty"`
	Reminders   int        `json:"reminders,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	OpenedAt    *time.Time `json:"opened_at,omitempty"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	SendError   string     `json:"send_error,omitempty"`
}

func toInvitationJSON(inv campaign.Invitation) invitationJSON {
	return invitationJSON{ID: inv.ID, LibraryID: inv.LibraryID, Library: inv.Library, Region: string(inv.Region), Type: string(inv.Type),
		Name: inv.Name, Email: inv.Email, Language: inv.Language, Status: string(inv.Status), Revoked: inv.Revoked, Reminders: inv.Reminders,
		SentAt: inv.SentAt, OpenedAt: inv.OpenedAt, StartedAt: inv.StartedAt, SubmittedAt: inv.SubmittedAt, SendError: inv.SendError}
}

func (s *Server) apiListInvitations(c *gin.Context) {
	list, err := s.cfg.Campaign.Invitations(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]invitationJSON, len(list))
	for i, inv := range list {
		out[i] = toInvitationJSON(inv)
	}
	c.JSON(http.StatusOK, gin.H{"invitations": out})
}

// apiTracking reports how a survey's invitations stand (campaign.Tracking).
func (s *Server) apiTracking(c *gin.Context) {
	t, err := s.cfg.Campaign.Tracking(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

func (s *Server) apiRevokeInvitation(c *gin.Context) {
	if _, err := s.cfg.Campaign.Revoke(c.Request.Context(), c.Param("slug"), c.Param("id")); err != nil {
		s.renderError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiRecordBounce records a bounce that came back by email ({"reason": "..."}).
func (s *Server) apiRecordBounce(c *gin.Context) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.Campaign.RecordBounce(c.Request.Context(), c.Param("slug"), c.Param("id"), body.Reason); err != nil {
		s.renderError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiSendInvitations emails invitations or reminders
// ({"kind": "invitation"|"reminder"}) over the configured SMTP server.
func (s *Server) apiSendInvitations(c *gin.Context) {
	var body struct {
		Kind survey.MailKind `json:"kind"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	res, err := s.cfg.Campaign.Send(c.Request.Context(), c.Param("slug"), body.Kind, s.baseURL(c))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// mailMerge makes a mail-merge file (campaign.MailMerge); a refusal is
// handed to fail, the file is served as a download.
func (s *Server) mailMerge(c *gin.Context, req campaign.MergeRequest, fail func(error)) {
	req.Base = s.baseURL(c)
	f, err := s.cfg.Campaign.MailMerge(c.Request.Context(), c.Param("slug"), req)
	if err != nil {
		fail(err)
		return
	}
	attachment(c, c.Param("slug")+"-"+strings.ReplaceAll(string(req.Mailing), "_", "-")+"."+req.Format)
	c.Data(http.StatusOK, fileContentType(req.Format), f.Data)
}

// apiMailMerge serves a mail-merge file of mailing as format. New links
// take {"invitation_ids": [...]} (an empty or absent body: every
// invitation not answered).
func (s *Server) apiMailMerge(mailing campaign.Mailing, format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		req := campaign.MergeRequest{Mailing: mailing, Format: format}
		if mailing == campaign.MailingNewLinks {
			var body struct {
				InvitationIDs []string `json:"invitation_ids"`
			}
			data, err := io.ReadAll(c.Request.Body)
			if err == nil && len(bytes.TrimSpace(data)) > 0 {
				err = decodeJSON(bytes.NewReader(data), &body)
			} else if err != nil {
				err = decodeJSON(io.MultiReader(bytes.NewReader(data), errReader{err}), &body)
			}
			if err != nil {
				s.renderError(c, err)
				return
			}
			req.InvitationIDs = body.InvitationIDs
		}
		s.mailMerge(c, req, func(err error) { s.renderError(c, err) })
	}
}

// fileContentType is the media type of a csv or xlsx download.
func fileContentType(format string) string {
	if format == "xlsx" {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// errReader fails with err: a body that could not be read is reported as
// decodeJSON reports it (too large, unreadable).
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
