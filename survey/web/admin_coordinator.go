package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// A regional coordinator's pages: their dashboard (each survey's
// invitations in their regions) and the regions they may choose on the
// directory and invitation forms. What they may see and change is decided
// by the use cases (campaign/scope.go); these pages only leave out what
// would be refused.

type coordinatorRow struct {
	Survey    *survey.Survey
	Title     string
	Responses int // their regions' submitted responses
	campaign.TrackingGroup
}

type coordinatorPage struct {
	page
	Regions []string
	Surveys []coordinatorRow
}

func (s *Server) coordinatorDashboard(c *gin.Context) {
	list, err := s.campaign.RegionalSurveys(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := coordinatorPage{page: s.adminPage(c, "Your regions")}
	for _, r := range survey.NormalizeRegions(actorRegions(c)) {
		if label := survey.RegionLabels[r]; label != nil {
			p.Regions = append(p.Regions, label.In("en", "en"))
		}
	}
	for _, rs := range list {
		p.Surveys = append(p.Surveys, coordinatorRow{Survey: rs.Survey, Title: adminTitle(rs.Survey), Responses: rs.Responses, TrackingGroup: rs.Tracking.Overall})
	}
	s.renderPage(c, http.StatusOK, "admin_coordinator.html", p)
}

// actorRegions are a coordinator's regions (nil for every other role).
func actorRegions(c *gin.Context) []survey.Region {
	if a, _ := survey.ActorFrom(c.Request.Context()); a.Role == survey.RoleCoordinator {
		return a.Regions
	}
	return nil
}

// regionOptionsFor are the regions the request's user may choose: a
// coordinator's own, everyone else's all of them.
func regionOptionsFor(c *gin.Context) []regionOption {
	all := regionOptions("en")
	mine := actorRegions(c)
	if mine == nil {
		return all
	}
	out := make([]regionOption, 0, len(mine))
	for _, o := range all {
		for _, r := range mine {
			if o.Value == string(r) {
				out = append(out, o)
			}
		}
	}
	return out
}

// UserRegions names a coordinator's regions for the pages ("Europe, North
// America"); "" for other users.
func (p page) UserRegions() string {
	if p.User == nil || p.Role != survey.RoleCoordinator {
		return ""
	}
	var names []string
	for _, r := range survey.NormalizeRegions(p.User.Regions) {
		if label := survey.RegionLabels[r]; label != nil {
			names = append(names, label.In("en", "en"))
		}
	}
	return strings.Join(names, ", ")
}
