package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The directory API: each handler parses the request, calls the campaign
// and renders what it returns.

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
	// Demo marks canvass demo's made-up libraries (read only: a library
	// sent in is never demo).
	Demo      bool       `json:"demo"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
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
		PopulationServed: l.PopulationServed, Branches: l.Branches, Website: l.Website, Member: l.Member, PublicProfile: l.PublicProfile, Demo: l.Demo,
		CreatedAt: &l.CreatedAt, UpdatedAt: &l.UpdatedAt, Contacts: []contactJSON{}}
	for _, c := range l.Contacts {
		out.Contacts = append(out.Contacts, toContactJSON(c))
	}
	return out
}

func toContactJSON(c survey.Contact) contactJSON {
	return contactJSON{c.Name, c.Role, c.Email, c.Language, c.Consent, c.ConsentAt}
}

func (j libraryJSON) library() *survey.Library {
	l := &survey.Library{Name: j.Name, City: j.City, Country: j.Country, Region: survey.Region(j.Region), RegionSet: j.RegionSet, Type: survey.LibraryType(j.Type),
		PopulationServed: j.PopulationServed, Branches: j.Branches, Website: j.Website, Member: j.Member, PublicProfile: j.PublicProfile}
	for _, c := range j.Contacts {
		l.Contacts = append(l.Contacts, survey.Contact{Name: c.Name, Role: c.Role, Email: c.Email, Language: c.Language, Consent: c.Consent, ConsentAt: c.ConsentAt})
	}
	return l
}

// libraryFilter reads q, region, country, type, member and public (the
// campaign checks the region and type).
func libraryFilter(c *gin.Context) (survey.LibraryFilter, error) {
	f := survey.LibraryFilter{Region: survey.Region(c.Query("region")),
		Country: strings.ToUpper(c.Query("country")), Type: survey.LibraryType(c.Query("type"))}
	var err error
	if f.Query, err = textParam(c, "q"); err != nil {
		return f, err
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
	libs, total, err := s.cfg.Campaign.Libraries(c.Request.Context(), f)
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
	l, err := s.cfg.Campaign.Library(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLibraryJSON(l))
}

// readLibrary decodes a library from a JSON body.
func readLibrary(c *gin.Context) (*survey.Library, error) {
	if !isJSON(c) {
		return nil, &survey.Error{Code: EUNSUPPORTED, Message: "Send the library as application/json."}
	}
	var j libraryJSON
	if err := decodeJSON(c.Request.Body, &j); err != nil {
		return nil, err
	}
	return j.library(), nil
}

func (s *Server) apiCreateLibrary(c *gin.Context) {
	l, err := readLibrary(c)
	if err == nil {
		err = s.cfg.Campaign.CreateLibrary(c.Request.Context(), l)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Location", "/api/v1/libraries/"+l.ID)
	c.JSON(http.StatusCreated, toLibraryJSON(l))
}

func (s *Server) apiUpdateLibrary(c *gin.Context) {
	l, err := readLibrary(c)
	if err == nil {
		err = s.cfg.Campaign.UpdateLibrary(c.Request.Context(), c.Param("id"), l)
	}
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLibraryJSON(l))
}

func (s *Server) apiDeleteLibrary(c *gin.Context) {
	if _, err := s.cfg.Campaign.DeleteLibrary(c.Request.Context(), c.Param("id")); err != nil {
		s.renderError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiMergeLibraries merges library "from" (a duplicate) into :id.
func (s *Server) apiMergeLibraries(c *gin.Context) {
	var body struct {
		From string `json:"from"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	target, _, err := s.cfg.Campaign.MergeLibraries(c.Request.Context(), c.Param("id"), body.From)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLibraryJSON(target))
}

// apiImportLibraries plans an import of a CSV or XLSX file (the body, or a
// multipart "file"); with confirm=true it also carries it out. merge=true
// merges duplicates into the libraries they match.
func (s *Server) apiImportLibraries(c *gin.Context) {
	in := campaign.Import{Merge: c.Query("merge") == "true", Confirm: c.Query("confirm") == "true"}
	data, format, source, err := uploadedTable(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	in.Format, in.Source = format, source
	res, err := s.cfg.Campaign.ImportLibraries(c.Request.Context(), data, in)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// uploadedTable reads the CSV or XLSX file an import is sent: the body
// (text/csv, or an .xlsx workbook's media type) or a multipart form's
// field "file" (its format from its name's extension; source is the
// name). EMALFORMED without the file (or a form that cannot be read),
// EUNSUPPORTED for another media type, ETOOLARGE for a body past its
// limit.
func uploadedTable(c *gin.Context) (data []byte, format, source string, err error) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "text/csv":
		format = "csv"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		format = "xlsx"
	case "multipart/form-data":
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, "", "", survey.Errorf(survey.EMALFORMED, "Send the file as the multipart field \"file\".")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", "", err
		}
		defer f.Close()
		if data, err = io.ReadAll(f); err != nil {
			return nil, "", "", err
		}
		return data, fileFormat(fh.Filename), path.Base(fh.Filename), nil
	default:
		return nil, "", "", &survey.Error{Code: EUNSUPPORTED, Message: "Send text/csv, an .xlsx workbook, or a multipart form with a file."}
	}
	if data, err = io.ReadAll(c.Request.Body); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			err = survey.Errorf(survey.ETOOLARGE, "The file is larger than %d bytes.", maxErr.Limit)
		}
		return nil, "", "", err
	}
	return data, format, "", nil
}

// fileFormat is a file name's extension, lower case, without the dot.
func fileFormat(name string) string {
	return strings.TrimPrefix(strings.ToLower(path.Ext(name)), ".")
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
		var buf bytes.Buffer
		if _, err := s.cfg.Campaign.ExportLibraries(c.Request.Context(), &buf, f, format); err != nil {
			s.renderError(c, err)
			return
		}
		attachment(c, "libraries-"+s.now().Format("2006-01-02")+"."+format)
		c.Data(http.StatusOK, fileContentType(format), buf.Bytes())
	}
}

// apiUpdateLibraryFromResponse carries what a library answered about
// itself into its directory entry: a preview of the changes, applied only
// with {"confirm": true}.
func (s *Server) apiUpdateLibraryFromResponse(c *gin.Context) {
	var body struct {
		Confirm bool `json:"confirm"`
	}
	if err := decodeJSON(c.Request.Body, &body); err != nil {
		s.renderError(c, err)
		return
	}
	u, err := s.cfg.Campaign.UpdateLibraryFromResponse(c.Request.Context(), c.Param("id"), body.Confirm)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"library": toLibraryJSON(u.Library), "changes": u.Changes, "applied": u.Applied})
}
