package web

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// The working group's directory pages: the list with its filters, a
// library's form (create, edit, merge a duplicate in, delete) and the
// import, whose dry run is shown before anything is written.

func typeOptions() []regionOption {
	out := make([]regionOption, 0, len(survey.LibraryTypes))
	for _, t := range survey.LibraryTypes {
		out = append(out, regionOption{string(t), survey.LibraryTypeLabels[t].In("en", "en")})
	}
	return out
}

type librariesAdminPage struct {
	page
	Libraries        []*survey.Library
	Total            int
	Query            url.Values
	Regions          []regionOption
	Types            []regionOption
	Page, Pages      int
	PrevURL, NextURL string
	ExportQ          string
}

func (s *Server) librariesAdminPage(c *gin.Context) {
	f, err := libraryFilter(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	pageNo, err := pageParam(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	const perPage = 50
	f.Offset, f.Limit = (pageNo-1)*perPage, perPage
	libs, total, err := s.cfg.Campaign.Libraries(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	q := c.Request.URL.Query()
	p := librariesAdminPage{page: s.adminPage(c, "Library directory"), Libraries: libs, Total: total, Query: q, Regions: regionOptionsFor(c), Types: typeOptions(),
		Page: pageNo, Pages: (total + perPage - 1) / perPage}
	p.PrevURL, p.NextURL = pageLinks(c, pageNo, perPage, total)
	demo, err := s.cfg.Campaign.DemoLibraries(c.Request.Context())
	if err != nil {
		s.renderError(c, err)
		return
	}
	if demo > 0 {
		p.Demo = fmt.Sprintf(ui("en", "demo_banner_libraries"), survey.FormatInt("en", demo))
	}
	for _, k := range []string{"done", "problem", "page"} {
		q.Del(k)
	}
	p.ExportQ = q.Encode()
	s.renderPage(c, http.StatusOK, "admin_libraries.html", p)
}

type contactRow struct {
	Index                       int
	Name, Role, Email, Language string
	Consent                     bool
	ConsentAt                   *time.Time // when consent was given (dayIn: a day when imported as one)
}

type libraryAdminPage struct {
	page
	Library  *survey.Library
	New      bool
	Contacts []contactRow
	Problems []survey.FieldError
	Regions  []regionOption
	Types    []regionOption
	Others   []*survey.Library // candidates to merge in
	// Invitations are the library's invitations, one per survey; InviteTo
	// the surveys it may be invited to now (not invited, or withdrawn).
	Invitations []libraryInvitationRow
	InviteTo    []regionOption
	Bases       []regionOption
	NoConsent   bool // no contact with an email has recorded consent
	// Invalid names the form's inputs a problem is about (by their name),
	// so each is marked beside its error in the summary.
	Invalid map[string]bool
}

// libraryField is a library form's input as its error summary links it:
// the input's id and its name for people.
type libraryField struct{ ID, Label string }

// libraryFieldLabels name the library form's inputs for people.
var libraryFieldLabels = map[string]string{"name": "Name", "city": "City", "country": "Country", "region": "IFLA region", "type": "Type",
	"population_served": "Population served", "branches": "Service points / branches", "website": "Website"}

// libraryFieldOf places a problem's path ("country", "contacts[1].email")
// on the form: the input (contact1_email) and its name for people
// ("Contact 2, email"). A path the form has no input for names the
// summary itself.
func libraryFieldOf(path string) libraryField {
	if label, ok := libraryFieldLabels[path]; ok {
		return libraryField{ID: path, Label: label}
	}
	var i int
	var part string
	if n, _ := fmt.Sscanf(strings.Replace(path, "].", "] ", 1), "contacts[%d] %s", &i, &part); n == 2 && i >= 0 && i < 100 {
		return libraryField{ID: "contact" + strconv.Itoa(i) + "_" + part, Label: "Contact " + strconv.Itoa(i+1) + ", " + part}
	}
	return libraryField{ID: "errors", Label: path}
}

// libraryInvitationRow is one survey's invitation on a library's page.
type libraryInvitationRow struct {
	Slug, Survey, Email, Status string
	Withdrawn                   bool
}

func (s *Server) renderLibraryForm(c *gin.Context, status int, l *survey.Library, isNew bool, problems []survey.FieldError) {
	title := "New library"
	if !isNew {
		title = l.Name
	}
	p := libraryAdminPage{page: s.adminPage(c, title), Library: l, New: isNew, Problems: problems, Regions: regionOptionsFor(c), Types: typeOptions(),
		Invalid: map[string]bool{}}
	for _, f := range problems {
		p.Invalid[libraryFieldOf(f.Path).ID] = true
	}
	for i, ct := range append(append([]survey.Contact(nil), l.Contacts...), survey.Contact{}) {
		row := contactRow{Index: i, Name: ct.Name, Role: ct.Role, Email: ct.Email, Language: ct.Language, Consent: ct.Consent, ConsentAt: ct.ConsentAt}
		p.Contacts = append(p.Contacts, row)
	}
	if !isNew {
		if err := s.libraryInvitations(c, &p); err != nil {
			s.renderError(c, err)
			return
		}
		// Likely duplicates first: same country.
		others, _, err := s.cfg.Campaign.Libraries(c.Request.Context(), survey.LibraryFilter{Country: l.Country})
		if err == nil {
			for _, o := range others {
				if o.ID != l.ID {
					p.Others = append(p.Others, o)
				}
			}
		}
	}
	s.renderPage(c, status, "admin_library.html", p)
}

// libraryInvitations fills in the library's invitations and the surveys
// it may be invited to.
func (s *Server) libraryInvitations(c *gin.Context, p *libraryAdminPage) error {
	ctx := c.Request.Context()
	invs, err := s.cfg.Campaign.LibraryInvitations(ctx, p.Library.ID)
	if err != nil {
		return err
	}
	live := map[string]bool{}
	for _, li := range invs {
		status := string(li.Invitation.Status)
		if li.Invitation.Revoked {
			status = "withdrawn"
		} else {
			live[li.Survey.Slug] = true
		}
		p.Invitations = append(p.Invitations, libraryInvitationRow{Slug: li.Survey.Slug, Survey: adminTitle(li.Survey),
			Email: li.Invitation.Email, Status: status, Withdrawn: li.Invitation.Revoked})
	}
	if !p.CanEditDirectory() {
		return nil
	}
	// The survey headers, not ListSurveys: a coordinator invites their
	// libraries too, and may not read the response counts it adds.
	surveys, err := s.cfg.Campaign.SurveyHeaders(ctx)
	if err != nil {
		return err
	}
	for _, sv := range surveys {
		if !live[sv.Slug] {
			p.InviteTo = append(p.InviteTo, regionOption{sv.Slug, adminTitle(sv) + " (" + codeLabel("en", "survey_status", sv.Status) + ")"})
		}
	}
	p.Bases = legalBasisOptions()
	p.NoConsent = candidateOf(p.Library, false).NoConsent
	return nil
}

// inviteLibraryForm invites the library to the survey chosen on its page
// (again, when its invitation was withdrawn).
func (s *Server) inviteLibraryForm(c *gin.Context) {
	id := c.Param("id")
	// The library first: one the user may not see (another region's, for
	// a coordinator) is not found, whatever else the form lacks.
	if _, err := s.cfg.Campaign.Library(c.Request.Context(), id); err != nil {
		s.renderError(c, err)
		return
	}
	back := "/admin/libraries/" + id + "#invitations"
	slug := c.PostForm("survey")
	if slug == "" {
		s.backTo(c, back, "", survey.Errorf(survey.EINVALID, "Choose the survey to invite the library to."))
		return
	}
	done, err := s.cfg.Campaign.Invite(c.Request.Context(), slug, campaign.Invitees{LibraryIDs: []string{id}, Basis: basisFromForm(c)})
	switch {
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		s.backTo(c, back, "", survey.Errorf(survey.EINVALID, "That survey is gone; choose another."))
	case err != nil:
		s.backTo(c, back, "", plainBasisWords(err))
	case len(done.Skipped) > 0:
		why := done.Skipped[0].Reason
		hint := ""
		switch why {
		case campaign.SkipNoConsent:
			hint = " Record the contact's consent above, or invite on a documented legal basis."
		case campaign.SkipNoEmail:
			hint = " Add a contact with an email above."
		}
		s.backTo(c, back, "", survey.Errorf(survey.ECONFLICT, "Not invited: %s.%s", why, hint))
	default:
		msg := "Invited. Send or download its link from the survey's invitations page."
		if len(done.Reinvited) > 0 {
			msg = "Invited again: the old links stay dead. Send or download its new link from the survey's invitations page."
		}
		if len(done.OnBasis) > 0 {
			msg += " Invited without recorded consent, on the legal basis given (recorded in the audit log)."
		}
		s.backTo(c, back, msg, nil)
	}
}

func (s *Server) newLibraryPage(c *gin.Context) {
	s.renderLibraryForm(c, http.StatusOK, &survey.Library{}, true, nil)
}

func (s *Server) libraryAdminPage(c *gin.Context) {
	l, err := s.cfg.Campaign.Library(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderLibraryForm(c, http.StatusOK, l, false, nil)
}

// libraryFromForm reads the library form; numbers that are not numbers
// are problems, reported with the rest.
func libraryFromForm(c *gin.Context) (*survey.Library, []survey.FieldError) {
	var problems []survey.FieldError
	number := func(field string) int {
		v := strings.TrimSpace(c.PostForm(field))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), " ", ""))
		if err != nil || n < 0 {
			problems = append(problems, survey.FieldError{Path: field, Message: "Give a whole number (or leave it empty)."})
		}
		return n
	}
	l := &survey.Library{Name: c.PostForm("name"), City: c.PostForm("city"), Country: c.PostForm("country"), Type: survey.LibraryType(c.PostForm("type")),
		Website: c.PostForm("website"), Member: c.PostForm("member") == "on", PublicProfile: c.PostForm("public_profile") == "on"}
	l.PopulationServed, l.Branches = number("population_served"), number("branches")
	if r := c.PostForm("region"); r != "" {
		l.Region, l.RegionSet = survey.Region(r), true
	}
	for i := 0; i < 100; i++ {
		prefix := "contact" + strconv.Itoa(i) + "_"
		if _, ok := c.GetPostForm(prefix + "email"); !ok {
			break
		}
		ct := survey.Contact{Name: c.PostForm(prefix + "name"), Role: c.PostForm(prefix + "role"), Email: c.PostForm(prefix + "email"),
			Language: c.PostForm(prefix + "language"), Consent: c.PostForm(prefix+"consent") == "on"}
		if strings.TrimSpace(ct.Name+ct.Role+ct.Email) != "" {
			l.Contacts = append(l.Contacts, ct)
		}
	}
	return l, problems
}

func (s *Server) saveLibraryForm(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	l, problems := libraryFromForm(c)
	l.ID = id // the form comes back to this library
	if len(problems) > 0 {
		// Numbers that are not numbers come back together with whatever
		// else the campaign would refuse, so the form is fixed in one go.
		l.Normalize()
		if err := l.Validate(); err != nil {
			problems = append(problems, survey.ErrorFields(err)...)
		}
		s.renderLibraryForm(c, http.StatusUnprocessableEntity, l, id == "", problems)
		return
	}
	var err error
	if id == "" {
		err = s.cfg.Campaign.CreateLibrary(ctx, l)
	} else {
		err = s.cfg.Campaign.UpdateLibrary(ctx, id, l)
	}
	if err != nil {
		if fields := survey.ErrorFields(err); len(fields) > 0 || survey.ErrorCode(err) == survey.ECONFLICT {
			if len(fields) == 0 {
				fields = []survey.FieldError{{Path: "name", Message: survey.ErrorMessage(err)}}
			}
			s.renderLibraryForm(c, http.StatusUnprocessableEntity, l, id == "", fields)
			return
		}
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/libraries/"+l.ID, "Saved.", "")
}

func (s *Server) deleteLibraryForm(c *gin.Context) {
	l, err := s.cfg.Campaign.DeleteLibrary(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/libraries", l.Name+" was deleted.", "")
}

func (s *Server) mergeLibraryForm(c *gin.Context) {
	id := c.Param("id")
	_, from, err := s.cfg.Campaign.MergeLibraries(c.Request.Context(), id, c.PostForm("from"))
	switch {
	case err == nil:
		s.redirectFlash(c, "/admin/libraries/"+id, from.Name+" was merged into this library.", "")
	case survey.ErrorCode(err) == survey.EINVALID || survey.ErrorCode(err) == survey.ENOTFOUND:
		// The duplicate chosen is gone or is this library: the page says
		// so, unless it is this library that is gone.
		if _, ferr := s.cfg.Campaign.Library(c.Request.Context(), id); ferr != nil {
			s.renderError(c, ferr)
			return
		}
		s.redirectFlash(c, "/admin/libraries/"+id, "", "Choose another library of the directory to merge in.")
	default:
		s.renderError(c, err)
	}
}

type importPage struct {
	page
	Plan     *directory.Plan
	Data     string // the file, base64, carried to the confirmation
	Filename string
	Merge    bool
	Problem  string
	Created  int
	Merged   int
	Applied  bool
}

func (s *Server) importPageGet(c *gin.Context) {
	s.renderPage(c, http.StatusOK, "admin_import.html", importPage{page: s.adminPage(c, "Import libraries")})
}

// importLibrariesForm shows the dry run of an uploaded file; the page's
// confirmation posts the same file back with confirm=yes.
func (s *Server) importLibrariesForm(c *gin.Context) {
	p := importPage{page: s.adminPage(c, "Import libraries"), Merge: c.PostForm("merge") == "on"}
	data, filename, problem := dryRunUpload(c)
	if problem != "" {
		p.Problem = problem
		s.renderPage(c, http.StatusUnprocessableEntity, "admin_import.html", p)
		return
	}
	p.Filename = filename
	res, err := s.cfg.Campaign.ImportLibraries(c.Request.Context(), data, campaign.Import{Format: fileFormat(p.Filename), Merge: p.Merge,
		Confirm: c.PostForm("confirm") == "yes", Source: path.Base(p.Filename)})
	if survey.ErrorCode(err) == survey.EINVALID {
		p.Problem = survey.ErrorMessage(err)
		s.renderPage(c, http.StatusUnprocessableEntity, "admin_import.html", p)
		return
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	p.Plan, p.Applied, p.Created, p.Merged = res.Plan, res.Applied, res.Created, res.Merged
	if !res.Applied {
		p.Data = base64.StdEncoding.EncodeToString(data)
	}
	s.renderPage(c, http.StatusOK, "admin_import.html", p)
}

// dryRunUpload is the file of an import page with a dry run: uploaded
// (the field "file"), or carried back by the dry run's confirmation
// (base64 in "data", its name in "filename"). problem says, for the page,
// what is wrong when there is no file.
func dryRunUpload(c *gin.Context) (data []byte, filename, problem string) {
	if encoded := c.PostForm("data"); encoded != "" {
		data, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			return nil, "", "The file was damaged on the way back; upload it again."
		}
		return data, c.PostForm("filename"), ""
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, "", "Choose a .csv or .xlsx file to import."
	}
	f, err := fh.Open()
	if err == nil {
		data, err = io.ReadAll(f)
		f.Close()
	}
	if err != nil {
		return nil, "", "The file could not be read: " + err.Error()
	}
	return data, fh.Filename, ""
}
