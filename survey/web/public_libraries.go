package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
)

// The public library profiles: the libraries that opted in, for anyone
// (pages, the open API and the section webpage's embeds).

// publicLibraries reads the list's filters and page and asks the campaign.
func (s *Server) publicLibraries(c *gin.Context) ([]campaign.PublicLibrary, int, error) {
	f, err := libraryFilter(c)
	if err != nil {
		return nil, 0, err
	}
	page, perPage, err := paging(c)
	if err != nil {
		return nil, 0, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	return s.cfg.Campaign.PublicLibraries(c.Request.Context(), f)
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
	campaign.PublicLibrary
	CountryName, RegionName, TypeName string
}

func (s *Server) publicView(l campaign.PublicLibrary, lang string) publicView {
	v := publicView{PublicLibrary: l, CountryName: countryName(l.Country, lang)}
	v.RegionName = survey.RegionLabels[l.Region].In(lang, "en")
	v.TypeName = survey.LibraryTypeLabels[l.Type].In(lang, "en")
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
// profile: searchable by name or city, region and country. A filter that
// names no region or type shows the empty list rather than an error page;
// a page number out of range or a search holding control characters is a
// broken link, not a filter, and is refused (400).
func (s *Server) librariesPage(c *gin.Context) {
	lang := negotiateLanguage(c, nil)
	if _, _, err := paging(c); err != nil {
		s.renderError(c, err)
		return
	}
	if _, err := textParam(c, "q"); err != nil {
		s.renderError(c, err)
		return
	}
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
	l, err := s.cfg.Campaign.PublicLibraryProfile(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	s.renderPage(c, http.StatusOK, "library.html", struct {
		page
		Library publicView
	}{s.basePage(c, lang, l.Name), s.publicView(l, lang)})
}
