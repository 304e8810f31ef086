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
func (s *Server) publicLibraries(c *gin.Context) (campaign.PublicList, error) {
	f, err := libraryFilter(c)
	if err != nil {
		return campaign.PublicList{}, err
	}
	page, perPage, err := paging(c)
	if err != nil {
		return campaign.PublicList{}, err
	}
	f.Offset, f.Limit = (page-1)*perPage, perPage
	return s.cfg.Campaign.PublicLibraries(c.Request.Context(), f)
}

// publicListJSON is the public list as the open API and the embed serve
// it: each library says whether it is a member, members come first, and
// members is how many of total are members.
func publicListJSON(l campaign.PublicList) gin.H {
	return gin.H{"libraries": l.Libraries, "total": l.Total, "members": l.Members}
}

// apiPublicLibraries lists the libraries that opted in to a public profile.
func (s *Server) apiPublicLibraries(c *gin.Context) {
	list, err := s.publicLibraries(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.JSON(http.StatusOK, publicListJSON(list))
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

// libraryGroup is one heading of a public list and the libraries of the
// page under it; Total counts the group over every page.
type libraryGroup struct {
	Heading   string
	Total     int
	Libraries []publicView
}

// publicGroups splits a page of the public list under its two headings:
// the section's members, then the other libraries with a public profile.
// A group with no library on this page is left out.
func (s *Server) publicGroups(list campaign.PublicList, lang string) []libraryGroup {
	members := libraryGroup{Heading: ui(lang, "libraries_members"), Total: list.Members}
	others := libraryGroup{Heading: ui(lang, "libraries_others"), Total: list.Total - list.Members}
	for _, l := range list.Libraries {
		if l.Member {
			members.Libraries = append(members.Libraries, s.publicView(l, lang))
		} else {
			others.Libraries = append(others.Libraries, s.publicView(l, lang))
		}
	}
	var out []libraryGroup
	for _, g := range []libraryGroup{members, others} {
		if len(g.Libraries) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// librariesPage lists the libraries that opted in to a public profile,
// the section's members under their own heading and the others under
// theirs: searchable by name or city, region, country and membership. A
// filter that names no region or type shows the empty list rather than an
// error page; a page number out of range or a search holding control
// characters is a broken link, not a filter, and is refused (400).
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
	list, err := s.publicLibraries(c)
	if err != nil && survey.ErrorCode(err) != survey.EMALFORMED {
		s.renderError(c, err)
		return
	}
	pageNo, perPage, _ := paging(c)
	prev, next := pageLinks(c, pageNo, perPage, list.Total)
	regions := regionOptions(lang)
	s.renderPage(c, http.StatusOK, "libraries.html", struct {
		page
		Groups                 []libraryGroup
		Total                  int
		Query, Region, Country string
		Member                 string
		Regions                []regionOption
		PrevURL, NextURL       string
	}{s.basePage(c, lang, ui(lang, "libraries_page_title")), s.publicGroups(list, lang), list.Total, c.Query("q"), c.Query("region"),
		strings.ToUpper(c.Query("country")), c.Query("member"), regions, prev, next})
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
