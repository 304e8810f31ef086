package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/survey"
)

// The invitation and reminder texts, through the API.

func (s *Server) apiMailTemplates(c *gin.Context) {
	list, err := s.cfg.Campaign.MailTemplates(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"templates": list, "smtp": s.cfg.Campaign.CanEmail()})
}

// apiSaveMailTemplate replaces the text of one kind of email in one
// language: {"subject": ..., "body": ...}.
func (s *Server) apiSaveMailTemplate(c *gin.Context) {
	var body struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	t, err := s.cfg.Campaign.SaveMailTemplate(c.Request.Context(), c.Param("slug"),
		survey.MailTemplate{Kind: survey.MailKind(c.Param("kind")), Language: c.Param("lang"), Subject: body.Subject, Body: body.Body})
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}
