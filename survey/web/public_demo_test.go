package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/web"
)

// headings are the two headings of the public lists, in each language,
// written out here rather than read from the page words.
var headings = map[string][2]string{
	"en": {"Member libraries", "Other libraries with a public profile"},
	"fr": {"Bibliothèques membres", "Autres bibliothèques ayant un profil public"},
	"es": {"Bibliotecas miembros", "Otras bibliotecas con perfil público"},
}

// listedGroup is one heading of a public list as a reader sees it: the
// heading's words, the number it shows, and the names under it.
type listedGroup struct {
	Heading string
	Count   int
	Names   []string
}

var headingCount = regexp.MustCompile(`^(.*) \((\d+)\)$`)

// readGroups parses a public list page (or its embed) with an HTML parser:
// each <section> gives its first h1/h2 and the library name of each <li>
// (the link's text, else the item's first text).
func readGroups(t *testing.T, body string) []listedGroup {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
		}
		return b.String()
	}
	var find func(n *html.Node, tag string) []*html.Node
	find = func(n *html.Node, tag string) []*html.Node {
		var out []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == tag {
				out = append(out, c)
			}
			out = append(out, find(c, tag)...)
		}
		return out
	}
	var groups []listedGroup
	for _, sec := range find(doc, "section") {
		hs := append(find(sec, "h1"), find(sec, "h2")...)
		if len(hs) != 1 {
			t.Fatalf("a section with %d headings:\n%s", len(hs), body)
		}
		m := headingCount.FindStringSubmatch(strings.TrimSpace(text(hs[0])))
		if m == nil {
			t.Fatalf("heading %q has no count", text(hs[0]))
		}
		g := listedGroup{Heading: m[1]}
		g.Count, _ = strconv.Atoi(m[2])
		for _, li := range find(sec, "li") {
			if as := find(li, "a"); len(as) > 0 {
				g.Names = append(g.Names, strings.TrimSpace(text(as[0])))
			} else {
				g.Names = append(g.Names, strings.TrimSpace(text(li.FirstChild)))
			}
		}
		groups = append(groups, g)
	}
	return groups
}

// expectedGroups recomputes the groups from the stored directory: public
// profiles that are not demo data, members then the others, by name, cut
// to the page as the combined list is.
func expectedGroups(t *testing.T, a *app, lang string, offset, limit int) []listedGroup {
	t.Helper()
	all, _, err := a.store.ListLibraries(context.Background(), survey.LibraryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var members, others []string
	for _, l := range all {
		switch {
		case !l.PublicProfile || l.Demo:
		case l.Member:
			members = append(members, l.Name)
		default:
			others = append(others, l.Name)
		}
	}
	sort.Strings(members)
	sort.Strings(others)
	combined := append(slices.Clone(members), others...)
	end := min(offset+limit, len(combined))
	var out []listedGroup
	if page := combined[min(offset, len(members)):min(end, len(members))]; len(page) > 0 {
		out = append(out, listedGroup{headings[lang][0], len(members), page})
	}
	if page := combined[max(offset, len(members)):max(end, len(members))]; len(page) > 0 {
		out = append(out, listedGroup{headings[lang][1], len(others), page})
	}
	return out
}

type publicListBody struct {
	Libraries []struct {
		ID, Name string
		Member   bool
	}
	Total, Members int
}

// TestPublicListsHeadMembersApart: /libraries, /embed/libraries and the
// JSON lists put the section's members under "Member libraries" and the
// other public profiles under their own heading, in en, fr and es, on
// every page; a demo library with a public profile is under neither.
func TestPublicListsHeadMembersApart(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	for _, body := range []string{
		`{"name": "Bibliothèque municipale de Lyon", "city": "Lyon", "country": "FR", "member": true, "public_profile": true}`,
		`{"name": "Toronto Public Library", "city": "Toronto", "country": "CA", "member": true, "public_profile": true}`,
		`{"name": "Stadtbibliothek Köln", "city": "Köln", "country": "DE", "member": true, "public_profile": true}`,
		`{"name": "Biblioteca de Santiago", "city": "Santiago", "country": "CL", "public_profile": true}`,
		`{"name": "Aarhus Hovedbibliotek", "city": "Aarhus", "country": "DK", "public_profile": true}`,
		`{"name": "Hidden Member Library", "city": "Oslo", "country": "NO", "member": true}`,
	} {
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/libraries", token: admin, body: body, contentType: "application/json"}); rec.Code != 201 {
			t.Fatal(rec.Body)
		}
	}
	fake := &survey.Library{Name: "Biblioteca Pública de Guadalajara", City: "Guadalajara", Country: "MX", Region: survey.LatinAmericaCaribbean, Member: true, PublicProfile: true, Demo: true}
	if err := a.store.CreateLibrary(context.Background(), fake); err != nil {
		t.Fatal(err)
	}

	for _, lang := range []string{"en", "fr", "es"} {
		for _, tc := range []struct {
			path          string
			offset, limit int
		}{
			{"/libraries", 0, 50},
			{"/libraries?per_page=2&page=2", 2, 2}, // the page where the members end and the others begin
			{"/libraries?per_page=2&page=3", 4, 2},
			{"/embed/libraries", 0, 50},
			{"/embed/libraries?per_page=2&page=2", 2, 2},
		} {
			path := tc.path + map[bool]string{true: "&", false: "?"}[strings.Contains(tc.path, "?")] + "lang=" + lang
			rec := a.do(request{path: path})
			if rec.Code != 200 {
				t.Fatalf("%s: %d", path, rec.Code)
			}
			got, want := readGroups(t, rec.Body.String()), expectedGroups(t, a, lang, tc.offset, tc.limit)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s:\ngot  %v\nwant %v", path, got, want)
			}
			if strings.Contains(rec.Body.String(), fake.Name) || strings.Contains(rec.Body.String(), "Hidden") {
				t.Errorf("%s lists a demo or private library", path)
			}
		}
	}
	// Members only, for a section webpage that wants just them.
	got := readGroups(t, a.do(request{path: "/embed/libraries?member=true&lang=fr"}).Body.String())
	if len(got) != 1 || got[0].Heading != headings["fr"][0] || got[0].Count != 3 {
		t.Errorf("members only: %v", got)
	}

	// The JSON says which are members, members first, and how many.
	all, _, _ := a.store.ListLibraries(context.Background(), survey.LibraryFilter{})
	stored := map[string]*survey.Library{}
	for _, l := range all {
		stored[l.ID] = l
	}
	for _, path := range []string{"/api/v1/public/libraries", "/embed/libraries.json"} {
		rec := a.do(request{path: path})
		var body publicListBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || !strings.Contains(rec.Body.String(), `"member":false`) {
			t.Fatalf("%s: %v %s", path, err, rec.Body)
		}
		var names []string
		seenOther := false
		for _, l := range body.Libraries {
			s := stored[l.ID]
			if s == nil || s.Demo || !s.PublicProfile || l.Member != s.Member {
				t.Errorf("%s: %+v, stored %+v", path, l, s)
			}
			if !l.Member {
				seenOther = true
			} else if seenOther {
				t.Errorf("%s: member %s after a non-member", path, l.Name)
			}
			names = append(names, l.Name)
		}
		want := expectedGroups(t, a, "en", 0, 50)
		if fmt.Sprint(names) != fmt.Sprint(append(slices.Clone(want[0].Names), want[1].Names...)) || body.Total != 5 || body.Members != 3 {
			t.Errorf("%s: %v total %d members %d", path, names, body.Total, body.Members)
		}
	}
	if rec := a.do(request{path: "/libraries/" + fake.ID}); rec.Code != 404 {
		t.Errorf("a demo library's profile: %d", rec.Code)
	}
	lyon := a.do(request{path: "/libraries/" + expectedID(t, a, "Bibliothèque municipale de Lyon") + "?lang=es"}).Body.String()
	if !strings.Contains(lyon, "Miembro de la sección") {
		t.Errorf("a member's profile does not say so:\n%s", lyon)
	}
}

func expectedID(t *testing.T, a *app, name string) string {
	t.Helper()
	libs, _, err := a.store.ListLibraries(context.Background(), survey.LibraryFilter{Query: name})
	if err != nil || len(libs) != 1 {
		t.Fatalf("%s: %v %v", name, libs, err)
	}
	return libs[0].ID
}

// withCampaign keeps the app's campaign, to run the use cases the command
// line runs (canvass demo) on the same stores.
func withCampaign(svc **campaign.Service) func(*web.Config) {
	return func(c *web.Config) {
		if c.Metrics == nil {
			c.Metrics = web.NewMetrics(c.Store)
		}
		c.Campaign = campaign.New(campaignConfig(c, nil))
		*svc = c.Campaign
	}
}

// TestDemoDataStaysOffPublicOutputs: after canvass demo's use case, every
// public output counts only the real responses and lists only the real
// libraries (recomputed from the stored documents, leaving out source
// demo), while the working group's pages count the demo ones under a
// banner that says how many.
func TestDemoDataStaysOffPublicOutputs(t *testing.T) {
	var svc *campaign.Service
	a := newApp(t, withCampaign(&svc))
	ctx := survey.WithActor(context.Background(), survey.SystemActor)
	a.seedDemo("impact-methods", 30) // stored as real respondents
	added, err := svc.AddDemo(ctx, "impact-methods", 80, 3)
	if err != nil || added.Responses != 80 || added.Libraries == 0 || added.Invitations != added.Libraries {
		t.Fatalf("demo: %+v %v", added, err)
	}
	if rec := a.do(request{method: http.MethodPost, path: "/api/v1/surveys/impact-methods/results/publish", token: a.token(survey.RoleAdmin)}); rec.Code != 200 {
		t.Fatalf("publish: %d", rec.Code)
	}

	// The recount: every stored submitted response, demo ones left out.
	real, demoN := 0, 0
	byRegion := map[string]int{}
	for r, err := range a.store.StreamResponses(context.Background(), survey.ResponseFilter{SurveySlug: "impact-methods", Status: survey.ResponseSubmitted}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Source == "demo" {
			demoN++
			continue
		}
		real++
		byRegion[string(r.Region)]++
	}
	if real != 30 || demoN != 80 {
		t.Fatalf("stored: %d real, %d demo", real, demoN)
	}
	var counts struct {
		Total    struct{ Count *int }
		ByRegion []struct {
			Key   string
			Count *int
		} `json:"by_region"`
	}
	if err := json.Unmarshal(a.do(request{path: "/embed/impact-methods/counts.json"}).Body.Bytes(), &counts); err != nil {
		t.Fatal(err)
	}
	if counts.Total.Count == nil || *counts.Total.Count != real {
		t.Errorf("counts.json total %v, want %d", counts.Total.Count, real)
	}
	for _, c := range counts.ByRegion {
		if c.Count != nil && *c.Count != byRegion[c.Key] {
			t.Errorf("counts.json %s: %d, want %d", c.Key, *c.Count, byRegion[c.Key])
		}
	}
	for _, path := range []string{"/embed/impact-methods?lang=en", "/embed/impact-methods/badge.svg"} {
		body := a.do(request{path: path}).Body.String()
		if !strings.Contains(body, strconv.Itoa(real)) || strings.Contains(body, strconv.Itoa(real+demoN)) {
			t.Errorf("%s does not show %d:\n%s", path, real, body)
		}
	}
	results := a.do(request{path: "/results/impact-methods?lang=en"}).Body.String()
	if want := fmt.Sprintf("Findings from %d responding libraries.", real); !strings.Contains(results, want) || strings.Contains(results, "data-demo") {
		t.Errorf("/results lacks %q", want)
	}

	// No demo library is public, though about half opted in.
	demoLibs, _, _ := a.store.ListLibraries(context.Background(), survey.LibraryFilter{Demo: ptr(true)})
	// A real library (not public, so the public list stays empty).
	if err := a.store.CreateLibrary(context.Background(), &survey.Library{Name: "Toronto Public Library", Country: "CA"}); err != nil {
		t.Fatal(err)
	}
	all, _, _ := a.store.ListLibraries(context.Background(), survey.LibraryFilter{})
	if len(all) != len(demoLibs)+1 {
		t.Fatalf("%d libraries, %d demo", len(all), len(demoLibs))
	}
	opted := 0
	for _, l := range demoLibs {
		if l.PublicProfile {
			opted++
			if rec := a.do(request{path: "/libraries/" + l.ID}); rec.Code != 404 {
				t.Errorf("demo profile %s: %d", l.Name, rec.Code)
			}
		}
	}
	if opted == 0 {
		t.Fatal("no demo library opted in to a profile: the check above proves nothing")
	}
	// The working group's API says which libraries are demo, so an
	// export of it, read back, keeps them apart.
	for _, l := range all {
		got := decode[struct{ Demo *bool }](t, a.do(request{path: "/api/v1/libraries/" + l.ID, token: a.token(survey.RoleAnalyst)}))
		if got.Demo == nil || *got.Demo != l.Demo {
			t.Errorf("GET /api/v1/libraries/%s (%s): demo %v, want %v", l.ID, l.Name, got.Demo, l.Demo)
		}
	}
	if list := decode[publicListBody](t, a.do(request{path: "/api/v1/public/libraries"})); list.Total != 0 {
		t.Errorf("the public list shows %d demo libraries", list.Total)
	}

	// The invitations page counts the invitations to demo libraries too.
	invs, err := a.store.ListInvitations(context.Background(), "impact-methods")
	if err != nil {
		t.Fatal(err)
	}
	demoInvs := 0
	for _, inv := range invs {
		if slices.ContainsFunc(demoLibs, func(l *survey.Library) bool { return l.ID == inv.LibraryID }) {
			demoInvs++
		}
	}
	if demoInvs == 0 {
		t.Fatal("no invitation to a demo library: the banner check below proves nothing")
	}

	// The working group's pages count them, under a banner saying how many.
	srv := a.serve(t)
	c := newClient(t, srv)
	a.signIn(t, c, survey.RoleAnalyst)
	banner := regexp.MustCompile(`<p class="flash flash-demo" role="note" data-demo>([^<]*)</p>`)
	for _, tc := range []struct{ path, want string }{
		{"/admin", fmt.Sprintf("Demo data: %d of the %d submitted responses were made up by canvass demo.", demoN, real+demoN)},
		{"/admin/surveys/impact-methods/responses", fmt.Sprintf("Demo data: %d of the %d submitted responses", demoN, real+demoN)},
		{"/admin/surveys/impact-methods/results", fmt.Sprintf("Demo data: %d of the %d submitted responses", demoN, real+demoN)},
		{"/admin/surveys/impact-methods/results?lang=fr", fmt.Sprintf("Données de démonstration\u00a0: %d des %d réponses envoyées", demoN, real+demoN)},
		{"/admin/libraries", fmt.Sprintf("Demo data: %d libraries of the directory were made up by canvass demo", len(demoLibs))},
		{"/admin/surveys/impact-methods/invitations", fmt.Sprintf("Demo data: %d of these %d invitations (to libraries marked demo) and %d of the %d responses were made up by canvass demo.",
			demoInvs, len(invs), demoN, real+demoN)},
	} {
		p := c.get(tc.path)
		m := banner.FindStringSubmatch(p.body)
		if p.status != 200 || m == nil || !strings.Contains(html.UnescapeString(m[1]), tc.want) {
			t.Errorf("%s: %d, banner %q, want %q", tc.path, p.status, m, tc.want)
		}
	}
	// A demo response's own page says what it is.
	list := decode[struct {
		Responses []struct{ ID, Source string }
	}](t, a.do(request{path: "/api/v1/surveys/impact-methods/responses?per_page=500", token: a.token(survey.RoleAnalyst)}))
	for _, r := range list.Responses {
		p := c.get("/admin/responses/" + r.ID)
		if marked := strings.Contains(p.body, "canvass demo made up this response"); marked != (r.Source == "demo") {
			t.Errorf("response %s (source %s): banner %v", r.ID, r.Source, marked)
			break
		}
	}
	// Once removed, no banner is left.
	if _, err := svc.RemoveDemo(ctx); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin", "/admin/surveys/impact-methods/responses", "/admin/libraries"} {
		if p := c.get(path); strings.Contains(p.body, "data-demo") {
			t.Errorf("%s keeps the banner after demo --remove", path)
		}
	}
}

func ptr[T any](v T) *T { return &v }
