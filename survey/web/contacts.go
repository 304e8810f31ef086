package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// contactsWithEmail finds every library listing a contact with the email.
func (s *Server) contactsWithEmail(c *gin.Context, email string) ([]*survey.Library, error) {
	all, _, err := s.cfg.Libraries.ListLibraries(c.Request.Context(), survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	var out []*survey.Library
	for _, l := range all {
		for _, ct := range l.Contacts {
			if ct.Email == email {
				out = append(out, l)
				break
			}
		}
	}
	return out, nil
}

func emailParam(c *gin.Context) (string, error) {
	email, err := survey.CheckEmail(c.Query("email"))
	if err != nil {
		return "", survey.Errorf(survey.EMALFORMED, "Give the contact's email as ?email=.")
	}
	return email, nil
}

// apiExportContact returns everything the directory holds about a contact
// (a data-subject access request), as JSON.
func (s *Server) apiExportContact(c *gin.Context) {
	email, err := emailParam(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	libs, err := s.contactsWithEmail(c, email)
	if err != nil {
		s.renderError(c, err)
		return
	}
	type entry struct {
		LibraryID   string      `json:"library_id"`
		LibraryName string      `json:"library_name"`
		Contact     contactJSON `json:"contact"`
	}
	out := []entry{}
	for _, l := range libs {
		for _, ct := range l.Contacts {
			if ct.Email == email {
				out = append(out, entry{l.ID, l.Name, contactJSON{ct.Name, ct.Role, ct.Email, ct.Language, ct.Consent, ct.ConsentAt}})
			}
		}
	}
	invs, err := s.invitationsTo(c, email)
	if err != nil {
		s.renderError(c, err)
		return
	}
	type invitation struct {
		Survey   string `json:"survey"`
		Name     string `json:"name,omitempty"`
		Language string `json:"language"`
		Status   string `json:"status"`
	}
	sent := []invitation{}
	for _, inv := range invs {
		sent = append(sent, invitation{inv.SurveySlug, inv.Name, inv.Language, string(inv.Status)})
	}
	s.audit(c, "contact.export", "contact:"+emailDigest(email), strconv.Itoa(len(out))+" entries")
	attachment(c, "contact-data.json")
	c.JSON(http.StatusOK, gin.H{"email": email, "generated_at": s.now(), "directory": out, "invitations": sent})
}

// apiEraseContact removes a contact from every library that lists them.
// The audit log keeps that it happened, under a digest of the address, not
// the address itself.
func (s *Server) apiEraseContact(c *gin.Context) {
	email, err := emailParam(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	libs, err := s.contactsWithEmail(c, email)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, l := range libs {
		kept := l.Contacts[:0]
		for _, ct := range l.Contacts {
			if ct.Email != email {
				kept = append(kept, ct)
			}
		}
		l.Contacts = kept
		if err := s.cfg.Libraries.UpdateLibrary(c.Request.Context(), l); err != nil {
			s.renderError(c, err)
			return
		}
	}
	// Invitations to the address keep no trace of the person: they are
	// withdrawn (their links stop) and their name and address cleared.
	invs, err := s.invitationsTo(c, email)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, inv := range invs {
		inv.Name, inv.Email, inv.Revoked, inv.SendError = "", "", true, ""
		if err := s.cfg.Invitations.UpdateInvitation(c.Request.Context(), inv); err != nil {
			s.renderError(c, err)
			return
		}
	}
	s.audit(c, "contact.erase", "contact:"+emailDigest(email), "removed from "+strconv.Itoa(len(libs))+" libraries and "+strconv.Itoa(len(invs))+" invitations")
	c.JSON(http.StatusOK, gin.H{"erased_from": len(libs), "invitations_cleared": len(invs)})
}

// invitationsTo finds every survey's invitations sent to email.
func (s *Server) invitationsTo(c *gin.Context, email string) ([]*survey.Invitation, error) {
	surveys, err := s.cfg.Surveys.ListSurveys(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []*survey.Invitation
	for _, sv := range surveys {
		invs, err := s.cfg.Invitations.ListInvitations(c.Request.Context(), sv.Slug)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			if inv.Email == email {
				out = append(out, inv)
			}
		}
	}
	return out, nil
}

// emailDigest stands for an address in the audit log.
func emailDigest(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// apiMergeLibraries merges library "from" (a duplicate) into :id: empty
// fields are filled and contacts added, then the duplicate is deleted.
func (s *Server) apiMergeLibraries(c *gin.Context) {
	var body struct {
		From string `json:"from"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	ctx := c.Request.Context()
	target, err := s.cfg.Libraries.FindLibrary(ctx, c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	from, err := s.cfg.Libraries.FindLibrary(ctx, body.From)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if from.ID == target.ID {
		s.renderError(c, survey.Errorf(survey.EINVALID, "A library cannot be merged into itself."))
		return
	}
	if err := s.mergeLibraries(c, target, from); err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLibraryJSON(target))
}

// mergeLibraries merges from into target (contacts and the fields target
// lacks), saves target, deletes from and records it in the audit log.
func (s *Server) mergeLibraries(c *gin.Context, target, from *survey.Library) error {
	ctx := c.Request.Context()
	directory.MergeInto(target, from)
	if err := s.cfg.Libraries.UpdateLibrary(ctx, target); err != nil {
		return err
	}
	if err := s.cfg.Libraries.DeleteLibrary(ctx, from.ID); err != nil {
		return err
	}
	s.audit(c, "library.merge", "library:"+target.ID, "merged "+from.Name+" ("+from.ID+")")
	return nil
}
