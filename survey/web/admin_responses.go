package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

type responsesPage struct {
	page
	Survey *survey.Survey
	Title  string
	// Checked reports questions with change checks: the explained
	// changes are linked (a coordinator's only way there).
	Checked   bool
	Responses []*survey.Response
	// LibraryNames names the library of each row that has one, by id.
	LibraryNames map[string]string
	Total        int
	Page         int
	PerPage      int
	PrevURL      string
	NextURL      string
	Filter       responseFilterView
	Regions      []regionOption
	Problem      string
	Query        template.URL // the current filters, for the download links
}

type responseFilterView struct {
	Status, Region, Language, From, To string
}

// regionOption is a value and its label, for a select.
type regionOption struct {
	Value, Label string
}

// regionOptions lists the IFLA regions, labelled in lang.
func regionOptions(lang string) []regionOption {
	out := make([]regionOption, 0, len(survey.Regions))
	for _, r := range survey.Regions {
		out = append(out, regionOption{Value: string(r), Label: survey.RegionLabels[r].In(lang, "en")})
	}
	return out
}

// parseResponseFilter reads the list filters from the query string.
func parseResponseFilter(c *gin.Context, slug string) (survey.ResponseFilter, responseFilterView, error) {
	v := responseFilterView{Status: c.Query("status"), Region: c.Query("region"), Language: c.Query("language"), From: c.Query("from"), To: c.Query("to")}
	// One reading of the filter for lists, analyses and downloads alike,
	// answer=QUESTION:VALUE included.
	f, err := campaign.ParseFilter(slug, filterInput(c))
	return f, v, err
}

// dateRange reads "from" and "to" dates (YYYY-MM-DD, either may be empty)
// as [from, to+1 day): "to" includes its whole day.
func dateRange(from, to string) (*time.Time, *time.Time, error) {
	var out [2]*time.Time
	for i, text := range []string{from, to} {
		if text == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, text)
		if err != nil {
			return nil, nil, survey.Errorf(survey.EMALFORMED, "%q is not a date like 2026-03-01.", text)
		}
		if i == 1 {
			t = t.AddDate(0, 0, 1)
		}
		out[i] = &t
	}
	return out[0], out[1], nil
}

// pageLinks are the previous and next page of a list, keeping the filters.
func pageLinks(c *gin.Context, page, perPage, total int) (prev, next string) {
	link := func(page int) string {
		q := c.Request.URL.Query()
		q.Set("page", strconv.Itoa(page))
		return c.Request.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page*perPage < total {
		next = link(page + 1)
	}
	return prev, next
}

func (s *Server) listResponsesPage(c *gin.Context) {
	sum, err := s.campaign.Survey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sv := sum.Survey
	title := adminTitle(sv)
	p := responsesPage{page: s.adminPage(c, "Responses: "+title), Survey: sv, Title: title, PerPage: 50, Query: filterQuery(c)}
	p.Demo = demoBanner("en", sum.Demo, sum.Responses)
	for _, q := range sv.Questions() {
		p.Checked = p.Checked || q.ChangeCheck != nil
	}
	p.Regions = regionOptionsFor(c)
	f, view, err := parseResponseFilter(c, sv.Slug)
	p.Filter = view
	if err != nil {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_responses.html", p)
		return
	}
	if p.Page, err = pageParam(c); err != nil {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusBadRequest, "admin_responses.html", p)
		return
	}
	f.Offset, f.Limit = (p.Page-1)*p.PerPage, p.PerPage
	p.Responses, p.Total, err = s.campaign.ListResponses(c.Request.Context(), sv.Slug, f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if p.LibraryNames, err = s.campaign.LibraryNames(c.Request.Context(), p.Responses); err != nil {
		s.renderError(c, err)
		return
	}
	p.PrevURL, p.NextURL = pageLinks(c, p.Page, p.PerPage, p.Total)
	s.renderPage(c, http.StatusOK, "admin_responses.html", p)
}

type answerView struct {
	Question, Answer string
}

type responsePage struct {
	page
	Response *survey.Response
	Survey   *survey.Survey
	Title    string
	Region   string
	Library  string // the library's name, when the response has one in the directory
	Answers  []answerView
}

// showResponse shows one response with the labels of the version it answered.
func (s *Server) showResponse(c *gin.Context) {
	r, sv, err := s.campaign.Response(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	p := responsePage{page: s.adminPage(c, "Response"), Response: r, Survey: sv, Title: adminTitle(sv),
		Region: codeLabel("en", "region", r.Region)}
	names, err := s.campaign.LibraryNames(c.Request.Context(), []*survey.Response{r})
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.Library = names[r.LibraryID]
	if r.IsDemo() {
		p.Demo = "Demo data: canvass demo made up this response. No public page counts it; an administrator of the server deletes every demo response at once with canvass demo --remove."
	}
	for _, q := range sv.Questions() {
		text := q.AnswerText(r.Answers, "en", sv.DefaultLanguage)
		if q.Type == survey.Country && text != "" {
			text = codeLabel("en", "country", text) // the country's name, not its ISO code
		}
		if text != "" {
			p.Answers = append(p.Answers, answerView{Question: q.Label.In("en", sv.DefaultLanguage), Answer: text})
		}
	}
	s.renderPage(c, http.StatusOK, "admin_response.html", p)
}

type confirmPage struct {
	page
	Heading, Message, Action, Button, Cancel string
	// When, if set, is an instant the message names: written between
	// Message and MessageEnd as a <time> the reader's browser localises.
	When       *time.Time
	MessageEnd string
}

func (s *Server) confirmDeleteResponse(c *gin.Context) {
	r, _, err := s.campaign.Response(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderPage(c, http.StatusOK, "admin_confirm.html", confirmPage{page: s.adminPage(c, "Delete response"),
		Heading: "Delete this response?",
		Message: "Response " + r.ID + " to " + r.SurveySlug + ", submitted ", When: &r.CreatedAt,
		MessageEnd: ", will be deleted for good. The audit log keeps a record that it was.",
		Action:     "/admin/responses/" + r.ID + "/delete", Button: "Delete the response", Cancel: "/admin/responses/" + r.ID})
}

func (s *Server) deleteResponse(c *gin.Context) {
	r, err := s.campaign.DeleteResponse(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/surveys/"+r.SurveySlug+"/responses", "The response was deleted.", "")
}

// filterQuery is the request's query without paging and messages, for
// download links that keep the filters on screen.
func filterQuery(c *gin.Context) template.URL {
	q := c.Request.URL.Query()
	for _, k := range []string{"page", "done", "problem"} {
		q.Del(k)
	}
	return template.URL(q.Encode()) // already encoded: the template must not encode it again
}
