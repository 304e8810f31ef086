package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/survey"
)

// The embed routes publish response counts for the section webpage: counts
// only, never a response, as disclosure.Publish discloses them
// (campaign.Published): a withheld count is null in JSON and the hidden
// mark on a page, the same for a count under k and for one hidden so that
// a small one cannot be worked out. They are the only routes other sites
// may frame or fetch from.

// publicCount is a count that may be withheld.
type publicCount struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Count    *int   `json:"count"`              // null when withheld
	Withheld bool   `json:"withheld,omitempty"` // true when withheld
}

type publicCounts struct {
	Survey    string        `json:"survey"`
	Title     string        `json:"title"`
	Language  string        `json:"language"`
	Total     publicCount   `json:"total"`
	Countries *int          `json:"countries"` // null when the total is withheld
	ByRegion  []publicCount `json:"by_region"`
	ByType    []publicCount `json:"by_type"`
	Threshold int           `json:"threshold"`
	// Note says, in the language, what a withheld count means.
	Note      string    `json:"note"`
	UpdatedAt time.Time `json:"updated_at"`
}

// countsRendering is counts.json of one disclosed snapshot, rendered in
// each of the survey's languages: the hot path only loads a pointer.
type countsRendering struct {
	src  *disclosure.Counts
	at   time.Time
	json map[string][]byte   // by language
	etag map[string][]string // ready to be a header value
}

// renderedCounts holds the latest countsRendering per survey slug; it is
// redone when the use case hands out new counts (they are computed, cached
// and invalidated there).
type renderedCounts struct {
	entries sync.Map // slug → *atomic.Pointer[countsRendering]
}

func (rc *renderedCounts) entry(slug string) *atomic.Pointer[countsRendering] {
	if e, ok := rc.entries.Load(slug); ok {
		return e.(*atomic.Pointer[countsRendering])
	}
	e, _ := rc.entries.LoadOrStore(slug, new(atomic.Pointer[countsRendering]))
	return e.(*atomic.Pointer[countsRendering])
}

// counts returns a survey's public counts rendered as counts.json.
func (s *Server) counts(ctx context.Context, sv *survey.Survey) (*countsRendering, error) {
	pub, err := s.cfg.Campaign.PublishedCounts(ctx, sv)
	if err != nil {
		return nil, err
	}
	e := s.embedCounts.entry(sv.Slug)
	if r := e.Load(); r != nil && r.src == pub.Counts {
		return r, nil
	}
	r := &countsRendering{src: pub.Counts, at: pub.At, json: map[string][]byte{}, etag: map[string][]string{}}
	for _, lang := range sv.Languages {
		body, err := json.Marshal(publicCountsOf(r, sv, lang))
		if err != nil {
			return nil, err
		}
		r.json[lang], r.etag[lang] = body, []string{etagOf(body)}
	}
	e.Store(r)
	return r, nil
}

// publicCountsOf labels the disclosed counts in one language.
func publicCountsOf(r *countsRendering, sv *survey.Survey, lang string) publicCounts {
	pc := r.src
	label := func(c disclosure.Count, text string) publicCount {
		return publicCount{Key: c.Key, Label: text, Count: c.N, Withheld: c.N == nil}
	}
	out := publicCounts{Survey: sv.Slug, Title: sv.Title.In(lang, sv.DefaultLanguage), Language: lang, Total: label(pc.Total, ui(lang, "responses")),
		Countries: pc.Countries, Threshold: pc.K, Note: fmt.Sprintf(ui(lang, "results_hidden"), hiddenMark, pc.K),
		UpdatedAt: r.at.UTC().Truncate(time.Second), ByRegion: []publicCount{}, ByType: []publicCount{}}
	for _, c := range pc.ByRegion {
		text := ui(lang, "unknown")
		if l := survey.RegionLabels[survey.Region(c.Key)]; l != nil {
			text = l.In(lang, "en")
		}
		out.ByRegion = append(out.ByRegion, label(c, text))
	}
	for _, c := range pc.ByType {
		text := ui(lang, "unknown")
		if l := survey.LibraryTypeLabels[survey.LibraryType(c.Key)]; l != nil {
			text = l.In(lang, "en")
		}
		out.ByType = append(out.ByType, label(c, text))
	}
	return out
}

// embedSurvey finds a survey whose counts are public; any other slug gets
// the same 404 as an unknown one.
func (s *Server) embedSurvey(c *gin.Context) *survey.Survey {
	return s.publicSurvey(c, func(sv *survey.Survey) (bool, error) { return sv.Settings.PublicCounts, nil })
}

// publicSurvey finds the survey of the request's :slug when visible says
// it may be shown; a survey that may not be (and any draft, whatever its
// settings) gets the same 404 as one that does not exist, so what is
// unpublished cannot be told apart.
func (s *Server) publicSurvey(c *gin.Context, visible func(*survey.Survey) (bool, error)) *survey.Survey {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err == nil {
		ok := sv.Status != survey.StatusDraft
		if ok {
			ok, err = visible(sv)
		}
		if err == nil && !ok {
			err = survey.Errorf(survey.ENOTFOUND, "hidden")
		}
	}
	if err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			err = survey.KeyedErrorf(survey.ENOTFOUND, "no_survey", "There is no survey %q.", c.Param("slug"))
		}
		s.renderError(c, err)
		return nil
	}
	return sv
}

// setEmbedHeaders lets any site frame or fetch the embed routes, briefly
// cached; securityHeaders sets them instead of its strict policy there.
func setEmbedHeaders(h http.Header) {
	h["Content-Security-Policy"] = embedCSP
	h["X-Content-Type-Options"] = nosniff
	h["Referrer-Policy"] = sameOrigin
	h["Access-Control-Allow-Origin"] = anyOrigin
	h["Cache-Control"] = embedCacheControl
}

// Header values shared by every embed response (never modified).
var (
	// script-src 'self': the iframe page's one script, static/times.js,
	// writes its "updated" time in the visitor's zone; no inline script.
	embedCSP          = []string{"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors *; base-uri 'none'"}
	nosniff           = []string{"nosniff"}
	sameOrigin        = []string{"same-origin"}
	anyOrigin         = []string{"*"}
	embedCacheControl = []string{"public, max-age=30"}
)

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// sendCached answers with body and a strong ETag, or 304 when the client
// has it already.
func sendCached(c *gin.Context, contentType string, body []byte) {
	sendPrepared(c, []string{contentType}, body, []string{etagOf(body)})
}

// sendPrepared writes a body whose header values are prepared (and never
// modified): the counts' hot path allocates no header values of its own.
func sendPrepared(c *gin.Context, contentType []string, body []byte, etag []string) {
	h := c.Writer.Header()
	h["Etag"] = etag
	h["Vary"] = varyLanguage
	if match := c.GetHeader("If-None-Match"); match == etag[0] || match == "*" {
		c.Status(http.StatusNotModified)
		return
	}
	h["Content-Type"] = contentType
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(body)
}

var (
	varyLanguage = []string{"Accept-Language"}
	jsonType     = []string{"application/json; charset=utf-8"}
)

func (s *Server) embedCountsOf(c *gin.Context) (*survey.Survey, publicCounts, bool) {
	sv := s.embedSurvey(c)
	if sv == nil {
		return nil, publicCounts{}, false
	}
	r, err := s.counts(c.Request.Context(), sv)
	if err != nil {
		s.renderError(c, err)
		return nil, publicCounts{}, false
	}
	return sv, publicCountsOf(r, sv, negotiateLanguage(c, sv)), true
}

// embedCountsJSON serves the pre-rendered counts: the busiest embed route.
func (s *Server) embedCountsJSON(c *gin.Context) {
	sv := s.embedSurvey(c)
	if sv == nil {
		return
	}
	snap, err := s.counts(c.Request.Context(), sv)
	if err != nil {
		s.renderError(c, err)
		return
	}
	lang := negotiateLanguage(c, sv)
	sendPrepared(c, jsonType, snap.json[lang], snap.etag[lang])
}

// countText is a count as shown: the number, or the hidden mark.
func countText(pc publicCount, lang string) string {
	if pc.Count == nil {
		return hiddenMark
	}
	return survey.FormatInt(lang, *pc.Count)
}

// embedTemplates are the embed pages and the badge: whole documents of
// their own (no layout), framed or fetched by other sites.
var embedTemplates = template.Must(template.New("embed").ParseFS(templateFiles,
	"templates/embed_badge.svg", "templates/embed_counts.html", "templates/embed_libraries.html", "templates/embed_table.html"))

// embedBadge is a small "responses | 142" badge.
func (s *Server) embedBadge(c *gin.Context) {
	_, pc, ok := s.embedCountsOf(c)
	if !ok {
		return
	}
	label, value := ui(pc.Language, "responses"), countText(pc.Total, pc.Language)
	width := func(text string) int { return 7*len([]rune(text)) + 12 }
	lw, vw := width(label), width(value)
	var b bytes.Buffer
	err := embedTemplates.ExecuteTemplate(&b, "embed_badge.svg", map[string]any{"Width": lw + vw, "LabelWidth": lw, "ValueWidth": vw, "LabelX": lw / 2, "ValueX": lw + vw/2,
		"Label": label, "Value": value, "AriaLabel": fmt.Sprintf(ui(pc.Language, "label_value"), label, value),
		"TitleText": badgeTitle(pc, value+" "+label)})
	if err != nil {
		s.renderError(c, err)
		return
	}
	sendCached(c, "image/svg+xml; charset=utf-8", b.Bytes())
}

// badgeTitle is the badge's tooltip: the survey and its count, and what
// the hidden mark means when the total is withheld.
func badgeTitle(pc publicCounts, count string) string {
	title := fmt.Sprintf(ui(pc.Language, "label_value"), pc.Title, count)
	if pc.Total.Withheld {
		title += ". " + pc.Note
	}
	return title
}

type embedBar struct {
	Label string
	Text  string
	Width int // percent of the largest
}

// embedPage is the iframe: the total and bars by region, in one language.
func (s *Server) embedPage(c *gin.Context) {
	_, pc, ok := s.embedCountsOf(c)
	if !ok {
		return
	}
	lang := pc.Language
	max := 1
	for _, r := range pc.ByRegion {
		if r.Count != nil && *r.Count > max {
			max = *r.Count
		}
	}
	var bars []embedBar
	note := ""
	if pc.Total.Withheld {
		note = pc.Note
	}
	for _, r := range pc.ByRegion {
		if r.Withheld {
			note = pc.Note
		}
		if r.Count != nil && *r.Count == 0 {
			continue
		}
		// A withheld count draws no bar: a short one would say "small",
		// and a withheld count may be large (withheld to protect another).
		w := 0
		if r.Count != nil {
			w = 100 * *r.Count / max
		}
		bars = append(bars, embedBar{Label: r.Label, Text: countText(r, lang), Width: w})
	}
	countries := ""
	if pc.Countries != nil {
		countries = fmt.Sprintf(ui(lang, "countries_n"), *pc.Countries)
	}
	var b bytes.Buffer
	err := embedTemplates.ExecuteTemplate(&b, "embed_counts.html", map[string]any{"Lang": lang, "Title": pc.Title, "Total": countText(pc.Total, lang), "ResponsesLabel": ui(lang, "responses"),
		"Countries": countries, "Bars": bars, "Note": note, "UpdatedLabel": ui(lang, "updated"), "Updated": timeIn(lang, pc.UpdatedAt)})
	if err != nil {
		s.renderError(c, err)
		return
	}
	sendCached(c, "text/html; charset=utf-8", b.Bytes())
}

type embedAdminPage struct {
	page
	Survey                                                 *survey.Survey
	Base                                                   string
	Threshold                                              int
	ScriptSnippet, IframeSnippet, BadgeHTML, BadgeMarkdown string
}

// embedAdminPageGet gives the working group copy-paste snippets for the
// section webpage, with a live preview.
func (s *Server) embedAdminPageGet(c *gin.Context) {
	sv, err := s.cfg.Surveys.FindSurvey(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	base := s.baseURL(c)
	title := sv.Title.In("en", sv.DefaultLanguage)
	p := embedAdminPage{page: s.adminPage(c, "Embed: "+title), Survey: sv, Base: base, Threshold: sv.SmallCellK()}
	p.ScriptSnippet = `<div data-canvass-survey="` + sv.Slug + `" data-lang="` + sv.DefaultLanguage + `" data-breakdown="region"></div>` + "\n" +
		`<script src="` + base + `/embed/` + sv.Slug + `/widget.js" async></script>`
	p.IframeSnippet = `<iframe src="` + base + `/embed/` + sv.Slug + `?lang=` + sv.DefaultLanguage + `" title="` + template.HTMLEscapeString(title) + `" width="420" height="360" style="border:0"></iframe>`
	p.BadgeHTML = `<img src="` + base + `/embed/` + sv.Slug + `/badge.svg" alt="` + template.HTMLEscapeString(title) + `: responses">`
	p.BadgeMarkdown = `![` + title + `: responses](` + base + `/embed/` + sv.Slug + `/badge.svg)`
	s.renderPage(c, http.StatusOK, "admin_embed.html", p)
}

// embedLibrariesJSON lists the libraries that opted in to a public
// profile, members first and marked, for the section webpage (the same
// body as /api/v1/public/libraries).
func (s *Server) embedLibrariesJSON(c *gin.Context) {
	list, err := s.publicLibraries(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	body, err := json.Marshal(publicListJSON(list))
	if err != nil {
		s.renderError(c, err)
		return
	}
	sendCached(c, "application/json; charset=utf-8", body)
}

// embedLibrariesPage is the public profiles list as an iframe: the members
// under "Member libraries", the others under their own heading
// (?member=true for the members only).
func (s *Server) embedLibrariesPage(c *gin.Context) {
	list, err := s.publicLibraries(c)
	if err != nil {
		s.renderError(c, err)
		return
	}
	lang := negotiateLanguage(c, nil)
	var b bytes.Buffer
	err = embedTemplates.ExecuteTemplate(&b, "embed_libraries.html", map[string]any{"Lang": lang, "Title": ui(lang, "libraries_page_title"),
		"Groups": s.publicGroups(list, lang), "None": ui(lang, "libraries_none")})
	if err != nil {
		s.renderError(c, err)
		return
	}
	sendCached(c, "text/html; charset=utf-8", b.Bytes())
}
