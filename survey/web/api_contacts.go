package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// A contact's personal data through the API (?email=): their access
// request and their erasure, both campaign methods.

// apiExportContact returns everything Canvass holds about a contact, as a
// JSON download.
func (s *Server) apiExportContact(c *gin.Context) {
	d, err := s.cfg.Campaign.ExportContact(c.Request.Context(), c.Query("email"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	type entry struct {
		LibraryID   string      `json:"library_id"`
		LibraryName string      `json:"library_name"`
		Contact     contactJSON `json:"contact"`
	}
	entries := make([]entry, len(d.Directory))
	for i, e := range d.Directory {
		entries[i] = entry{e.LibraryID, e.LibraryName, toContactJSON(e.Contact)}
	}
	attachment(c, "contact-data.json")
	c.JSON(http.StatusOK, gin.H{"email": d.Email, "generated_at": d.GeneratedAt, "directory": entries, "invitations": d.Invitations})
}

// apiEraseContact removes a contact from the directory and the invitations.
func (s *Server) apiEraseContact(c *gin.Context) {
	e, err := s.cfg.Campaign.EraseContact(c.Request.Context(), c.Query("email"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}
