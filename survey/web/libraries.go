package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// libraryJSON is a library as the working-group API shows and takes it.
type libraryJSON struct {
	ID               string        `json:"id,omitempty"`
	Name             string        `json:"name"`
	City             string        `json:"city,omitempty"`
	Country          string        `json:"country"`
	Region           string        `json:"region,omitempty"`
	RegionSet        bool          `json:"region_set,omitempty"`
	Type             string        `json:"type,omitempty"`
	PopulationServed int           `json:"population_served,omitempty"`
	Branches         int           `json:"branches,omitempty"`
	Website          string        `json:"website,omitempty"`
	Contacts         []contactJSON `json:"contacts"`
	Member           bool          `json:"member"`
	PublicProfile    bool          `json:"public_profile"`
	CreatedAt        *time.Time    `json:"created_at,omitempty"`
	UpdatedAt        *time.Time    `json:"updated_at,omitempty"`
}

type contactJSON struct {
	Name      string     `json:"name,omitempty"`
	Role      string     `json:"role,omitempty"`
	Email     string     `json:"email,omitempty"`
	Language  string     `json:"language,omitempty"`
	Consent   bool       `json:"consent"`
	ConsentAt *time.Time `json:"consent_at,omitempty"`
}

func toLibraryJSON(l *survey.Library) libraryJSON {
	out := libraryJSON{ID: l.ID, Name: l.Name, City: l.City, Country: l.Country, Region: string(l.Region), RegionSet: l.RegionSet, Type: string(l.Type),
		PopulationServed: l.PopulationServed, Branches: l.Branches, Website: l.Website, Member: l.Member, PublicProfile: l.PublicProfile,
		CreatedAt: &l.CreatedAt, UpdatedAt: &l.UpdatedAt, Contacts: []contactJSON{}}
	for _, c := range l.Contacts {
		out.Contacts = append(out.Contacts, contactJSON{c.Name, c.Role, c.Email, c.Language, c.Consent, c.ConsentAt})
	}
	return out
}

func (j libraryJSON) library() *survey.Library {
	l := &survey.Library{Name: j.Name, City: j.City, Country: j.Country, Region: survey.Region(j.Region), RegionSet: j.RegionSet, Type: survey.LibraryType(j.Type),
		PopulationServed: j.PopulationServed, Branches: j.Branches, Website: j.Website, Member: j.Member, PublicProfile: j.PublicProfile}
	for _, c := range j.Contacts {
		l.Contacts = append(l.Contacts, survey.Contact{Name: c.Name, Role: c.Role, Email: c.Email, Language: c.Language, Consent: c.Consent, ConsentAt: c.ConsentAt})
	}
	return l
}

// libraryFilter reads q, region, country, type, member and public.
func libraryFilter(c *gin.Context) (survey.LibraryFilter, error) {
	f := survey.LibraryFilter{Query: strings.TrimSpace(c.Query("q")), Region: survey.Region(c.Query("region")),
		Country: strings.ToUpper(c.Query("country")), Type: survey.LibraryType(c.Query("type"))}
	if f.Region != "" && survey.RegionLabels[f.Region] == nil {
		return f, survey.Errorf(survey.EMALFORMED, "Unknown region %q.", f.Region)
	}
	if f.Type != "" && survey.LibraryTypeLabels[f.Type] == nil {
		return f, survey.Errorf(survey.EMALFORMED, "Unknown library type %q.", f.Type)
	}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"member", &f.Member}, {"public", &f.Public}} {
		if v := c.Query(b.name); v != "" {
			parsed, err := strconv.ParseBool(v)
			if err != nil {
				return f, survey.Errorf(survey.EMALFORMED, "%s must be true or false.", b.name)
			}
			*b.dst = &parsed
		}
	}
	return f, nil
}

func (s *Server) apiListLibraries(c *gin.Context) {
	f, err := libraryFilter(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	page, perPage, err := paging(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	libs, total, err := s.cfg.Libraries.ListLibraries(c.Request.Context(), f)
	if err != nil {
		s.renderError(c, err)
		return
	}
	out := make([]libraryJSON, len(libs))
	for i, l := range libs {
		out[i] = toLibraryJSON(l)
	}
	c.JSON(http.StatusOK, gin.H{"libraries": out, "page": page, "per_page": perPage, "total": total})
}

func (s *Server) apiGetLibrary(c *gin.Context) {
	l, err := s.cfg.Libraries.FindLibrary(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLibraryJSON(l))
}

// readLibrary decodes, normalizes and validates a library from the body.
func readLibrary(c *gin.Context) (*survey.Library, error) {
	if !isJSON(c) {
		return nil, &survey.Error{Code: EUNSUPPORTED, Message: "Send the library as application/json."}
	}
	var j libraryJSON
	if err := decodeJSON(c.Request.Body, &j); err != nil {
		return nil, err
	}
	l := j.library()
	l.Normalize()
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

func (s *Server) apiCreateLibrary(c *gin.Context) {
	l, err := readLibrary(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	l.StampConsent(nil, s.now())
	if err := s.cfg.Libraries.CreateLibrary(c.Request.Context(), l); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "library.create", "library:"+l.ID, l.Name)
	c.Header("Location", "/api/v1/libraries/"+l.ID)
	c.JSON(http.StatusCreated, toLibraryJSON(l))
}

func (s *Server) apiUpdateLibrary(c *gin.Context) {
	current, err := s.cfg.Libraries.FindLibrary(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	l, err := readLibrary(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	l.ID, l.CreatedAt = current.ID, current.CreatedAt
	l.StampConsent(current, s.now())
	if err := s.cfg.Libraries.UpdateLibrary(c.Request.Context(), l); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "library.update", "library:"+l.ID, l.Name)
	c.JSON(http.StatusOK, toLibraryJSON(l))
}

func (s *Server) apiDeleteLibrary(c *gin.Context) {
	l, err := s.cfg.Libraries.FindLibrary(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	if err := s.cfg.Libraries.DeleteLibrary(c.Request.Context(), l.ID); err != nil {
		s.renderError(c, err)
		return
	}
	s.audit(c, "library.delete", "library:"+l.ID, l.Name)
	c.Status(http.StatusNoContent)
}

// apiImportLibraries plans an import of a CSV or XLSX file (the body, or a
// multipart "file"); with confirm=true it also carries it out. merge=true
// merges duplicates into the libraries they match.
func (s *Server) apiImportLibraries(c *gin.Context) {
	var data []byte
	var format string
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "text/csv":
		format = "csv"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		format = "xlsx"
	case "multipart/form-data":
		fh, err := c.FormFile("file")
		if err != nil {
			s.renderError(c, survey.Errorf(survey.EMALFORMED, "Send the file as the multipart field \"file\"."))
			return
		}
		format = strings.TrimPrefix(strings.ToLower(fh.Filename[strings.LastIndexByte(fh.Filename, '.')+1:]), ".")
		f, err := fh.Open()
		if err != nil {
			s.renderError(c, err)
			return
		}
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			s.renderError(c, err)
			return
		}
	default:
		s.renderError(c, &survey.Error{Code: EUNSUPPORTED, Message: "Send text/csv, an .xlsx workbook, or a multipart form with a file."})
		return
	}
	if data == nil {
		var err error
		if data, err = io.ReadAll(c.Request.Body); err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				err = survey.Errorf(survey.ETOOLARGE, "The file is larger than %d bytes.", maxErr.Limit)
			}
			s.renderError(c, err)
			return
		}
	}
	rows, unknown, err := directory.Read(data, format)
	if err != nil {
		s.renderError(c, err)
		return
	}
	plan, err := directory.MakePlan(c.Request.Context(), s.cfg.Libraries, rows, unknown, c.Query("merge") == "true")
	if err != nil {
		s.renderError(c, err)
		return
	}
	result := gin.H{"plan": plan, "applied": false}
	if c.Query("confirm") == "true" {
		created, merged, err := directory.Apply(c.Request.Context(), s.cfg.Libraries, plan, s.now())
		if err != nil {
			s.renderError(c, err)
			return
		}
		s.audit(c, "library.import", "libraries", strconv.Itoa(created)+" created, "+strconv.Itoa(merged)+" merged")
		result["applied"], result["created"], result["merged"] = true, created, merged
	}
	c.JSON(http.StatusOK, result)
}

// apiExportLibraries serves the directory (with the list's filters) as
// export.xlsx or export.csv.
func (s *Server) apiExportLibraries(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := libraryFilter(c)
		if err != nil {
			s.renderError(c, err)
			return
		}
		libs, _, err := s.cfg.Libraries.ListLibraries(c.Request.Context(), f)
		if err != nil {
			s.renderError(c, err)
			return
		}
		var buf bytes.Buffer
		if format == "xlsx" {
			err = directory.WriteXLSX(&buf, libs)
			c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		} else {
			err = directory.WriteCSV(&buf, libs)
			c.Header("Content-Type", "text/csv; charset=utf-8")
		}
		if err != nil {
			s.renderError(c, err)
			return
		}
		attachment(c, "libraries-"+s.now().Format("2006-01-02")+"."+format)
		s.audit(c, "library.export", "libraries", format)
		c.Data(http.StatusOK, c.Writer.Header().Get("Content-Type"), buf.Bytes())
	}
}

// publicLibrary is what the public may see of a library that opted in:
// never contacts.
type publicLibrary struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	City    string `json:"city,omitempty"`
	Country string `json:"country"`
	Region  string `json:"region,omitempty"`
	Type    string `json:"type,omitempty"`
	Website string `json:"website,omitempty"`
}

func (s *Server) publicLibraries(c *gin.Context) ([]publicLibrary, int, error) {
	f, err := libraryFilter(c)
	if err != nil {
		return nil, 0, err
	}
	yes := true
	f.Public, f.Member, f.Type = &yes, nil, survey.LibraryType(c.Query("type"))
	page, perPage, err := paging(c)
	if err != nil {
		return nil, 0, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	libs, total, err := s.cfg.Libraries.ListLibraries(c.Request.Context(), f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]publicLibrary, len(libs))
	for i, l := range libs {
		out[i] = publicLibrary{l.ID, l.Name, l.City, l.Country, string(l.Region), string(l.Type), l.Website}
	}
	return out, total, nil
}

// apiPublicLibraries lists the libraries that opted in to a public profile.
func (s *Server) apiPublicLibraries(c *gin.Context) {
	libs, total, err := s.publicLibraries(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.JSON(http.StatusOK, gin.H{"libraries": libs, "total": total})
}

// publicView is a public library with its names in the page's language.
type publicView struct {
	publicLibrary
	CountryName, RegionName, TypeName string
}

func (s *Server) publicView(l publicLibrary, lang string) publicView {
	v := publicView{publicLibrary: l, CountryName: countryName(l.Country, lang)}
	v.RegionName = survey.RegionLabels[survey.Region(l.Region)].In(lang, "en")
	v.TypeName = survey.LibraryTypeLabels[survey.LibraryType(l.Type)].In(lang, "en")
	return v
}

// countryName names a country in lang.
func countryName(code, lang string) string {
	for _, o := range countryOptions(lang, "") {
		if o.Value == code {
			return o.Label
		}
	}
	return code
}

// librariesPage lists the member libraries that opted in to a public
// profile: searchable by name or city, region and country.
func (s *Server) librariesPage(c *gin.Context) {
	lang := negotiateLanguage(c, nil)
	libs, total, err := s.publicLibraries(c)
	if err != nil && survey.ErrorCode(err) != survey.EMALFORMED {
		s.renderError(c, err)
		return
	}
	views := make([]publicView, len(libs))
	for i, l := range libs {
		views[i] = s.publicView(l, lang)
	}
	pageNo, perPage, _ := paging(c)
	prev, next := pageLinks(c, pageNo, perPage, total)
	regions := regionOptions(lang)
	s.renderPage(c, http.StatusOK, "libraries.html", struct {
		page
		Libraries              []publicView
		Total                  int
		Query, Region, Country string
		Regions                []regionOption
		PrevURL, NextURL       string
	}{s.basePage(c, lang, ui(lang, "libraries_title")), views, total, c.Query("q"), c.Query("region"), strings.ToUpper(c.Query("country")), regions, prev, next})
}

// libraryPage is one public profile; a library that has not opted in does
// not exist here.
func (s *Server) libraryPage(c *gin.Context) {
	lang := negotiateLanguage(c, nil)
	l, err := s.cfg.Libraries.FindLibrary(c.Request.Context(), c.Param("id"))
	if err == nil && !l.PublicProfile {
		err = survey.Errorf(survey.ENOTFOUND, "There is no library %q.", c.Param("id"))
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	view := s.publicView(publicLibrary{l.ID, l.Name, l.City, l.Country, string(l.Region), string(l.Type), l.Website}, lang)
	s.renderPage(c, http.StatusOK, "library.html", struct {
		page
		Library publicView
	}{s.basePage(c, lang, l.Name), view})
}
