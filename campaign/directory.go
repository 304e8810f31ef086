package campaign

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strconv"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// The library directory: reading it (analysts), changing it (admins),
// importing and exporting it, and the profiles libraries chose to publish.
// Coordinators read, export, create and edit the libraries of their regions
// (scope.go); deleting, merging and importing stay with admins, since they
// reach across the directory.

// CheckLibraryFilter returns EMALFORMED for a region or library type that
// does not exist, so a mistyped filter is not silently an empty list.
func CheckLibraryFilter(f survey.LibraryFilter) error {
	if f.Region != "" && survey.RegionLabels[f.Region] == nil {
		return survey.Errorf(survey.EMALFORMED, "Unknown region %q.", f.Region)
	}
	if f.Type != "" && survey.LibraryTypeLabels[f.Type] == nil {
		return survey.Errorf(survey.EMALFORMED, "Unknown library type %q.", f.Type)
	}
	return nil
}

// Libraries returns a page of the directory matching f, and how many match
// (for a coordinator, of their regions only). Returns EMALFORMED for an
// unknown region or type in f.
func (s *Service) Libraries(ctx context.Context, f survey.LibraryFilter) ([]*survey.Library, int, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, 0, err
	}
	if err := CheckLibraryFilter(f); err != nil {
		return nil, 0, err
	}
	return s.cfg.Libraries.ListLibraries(ctx, scoped(a, f))
}

// Library returns one library. Returns ENOTFOUND if there is none with id,
// or it is outside a coordinator's regions.
func (s *Service) Library(ctx context.Context, id string) (*survey.Library, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	return s.coordinated(ctx, a, id)
}

// CreateLibrary normalizes, checks and stores l, dating its contacts'
// consents. Returns EINVALID with a field error per problem (for a
// coordinator, a library outside their regions is one, on "region").
func (s *Service) CreateLibrary(ctx context.Context, l *survey.Library) error {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return err
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	if err := checkRegionOf(a, l); err != nil {
		return err
	}
	l.StampConsent(nil, s.now())
	if l.CreatedAt.IsZero() {
		l.CreatedAt = s.now()
	}
	if err := s.cfg.Libraries.CreateLibrary(ctx, l); err != nil {
		return err
	}
	s.audit(ctx, "library.create", "library:"+l.ID, l.Name)
	return nil
}

// UpdateLibrary replaces library id with l (normalized and checked; l gets
// id, the creation time and the demo mark). A contact who had consented
// keeps the date consent was first given. Returns ENOTFOUND (also for a
// library outside a coordinator's regions), EINVALID (also for moving it
// out of them), or ECONFLICT when another write changed the library
// between this one's reading and writing it.
func (s *Service) UpdateLibrary(ctx context.Context, id string, l *survey.Library) error {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return err
	}
	current, err := s.coordinated(ctx, a, id)
	if err != nil {
		return err
	}
	// A demo library stays one however it is edited: no form or file says
	// so, and canvass demo --remove must still find it.
	// Written only over the library as read here: a coordinator's edit
	// racing an administrator's move to another region is refused rather
	// than landing in a region the coordinator no longer reaches.
	l.ID, l.CreatedAt, l.Demo, l.UpdatedAt = current.ID, current.CreatedAt, current.Demo, current.UpdatedAt
	l.Normalize()
	if err := l.Validate(); err != nil {
		return err
	}
	if err := checkRegionOf(a, l); err != nil {
		return err
	}
	l.StampConsent(current, s.now())
	if err := s.cfg.Libraries.UpdateLibrary(ctx, l); err != nil {
		return err
	}
	s.audit(ctx, "library.update", "library:"+l.ID, l.Name)
	return nil
}

// DeleteLibrary removes library id and returns what it was. Returns ENOTFOUND.
func (s *Service) DeleteLibrary(ctx context.Context, id string) (*survey.Library, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	l, err := s.cfg.Libraries.FindLibrary(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Libraries.DeleteLibrary(ctx, l.ID); err != nil {
		return nil, err
	}
	s.audit(ctx, "library.delete", "library:"+l.ID, l.Name)
	return l, nil
}

// MergeLibraries merges library fromID (a duplicate) into targetID: the
// fields the target lacks are filled and the duplicate's contacts added
// (directory.MergeInto), then the duplicate is deleted. It returns the
// merged target and the duplicate as it was. Returns ENOTFOUND for either
// id, and EINVALID (field "from") for a library merged into itself.
func (s *Service) MergeLibraries(ctx context.Context, targetID, fromID string) (target, from *survey.Library, err error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, nil, err
	}
	if target, err = s.cfg.Libraries.FindLibrary(ctx, targetID); err != nil {
		return nil, nil, err
	}
	if fromID == "" {
		return nil, nil, &survey.Error{Code: survey.EINVALID, Message: "Say which library to merge in.", Fields: []survey.FieldError{{Path: "from", Message: "from is the id of the duplicate to merge in."}}}
	}
	if from, err = s.cfg.Libraries.FindLibrary(ctx, fromID); err != nil {
		return nil, nil, err
	}
	if from.ID == target.ID {
		return nil, nil, &survey.Error{Code: survey.EINVALID, Message: "A library cannot be merged into itself.", Fields: []survey.FieldError{{Path: "from", Message: "Choose another library of the directory."}}}
	}
	directory.MergeInto(target, from)
	// The target is saved before the duplicate goes: a failure in between
	// leaves two libraries, never none.
	if err := s.cfg.Libraries.UpdateLibrary(ctx, target); err != nil {
		return nil, nil, err
	}
	if err := s.cfg.Libraries.DeleteLibrary(ctx, from.ID); err != nil {
		return nil, nil, err
	}
	s.audit(ctx, "library.merge", "library:"+target.ID, "merged "+from.Name+" ("+from.ID+")")
	return target, from, nil
}

// Import is how to import a directory file.
type Import struct {
	// Format is "csv" or "xlsx".
	Format string
	// Merge merges rows that match a library already in the directory (or
	// an earlier row) into it; without it they are skipped as duplicates.
	Merge bool
	// Confirm writes the plan; without it the import is a dry run.
	Confirm bool
	// Source names the file in the audit log (optional).
	Source string
}

// ImportResult is what an import did or, for a dry run, would do.
type ImportResult struct {
	Plan    *directory.Plan `json:"plan"`
	Applied bool            `json:"applied"`
	Created int             `json:"created"`
	Merged  int             `json:"merged"`
}

// ImportLibraries reads a CSV or XLSX file (directory.Read), plans the
// import row by row against the directory, and, when confirmed, writes
// the planned rows and records the import in the audit log. Returns
// EINVALID for a file that cannot be read. Admins, and coordinators for
// their regions (importForRegions).
func (s *Service) ImportLibraries(ctx context.Context, data []byte, in Import) (*ImportResult, error) {
	a, err := access(ctx, survey.RoleAdmin, survey.RoleCoordinator)
	if err != nil {
		return nil, err
	}
	if in.Format != "csv" && in.Format != "xlsx" {
		return nil, survey.Errorf(survey.EINVALID, "Import a .csv or .xlsx file, not %q.", in.Format)
	}
	rows, unknown, err := directory.Read(data, in.Format)
	if err != nil {
		return nil, err
	}
	var plan *directory.Plan
	if a.Role == survey.RoleCoordinator {
		plan, err = importForRegions(ctx, a, s.cfg.Libraries, rows, unknown, in.Merge)
	} else {
		plan, err = directory.MakePlan(ctx, s.cfg.Libraries, rows, unknown, in.Merge)
	}
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Plan: plan}
	if !in.Confirm {
		return res, nil
	}
	res.Created, res.Merged, err = directory.Apply(ctx, s.cfg.Libraries, plan, s.now())
	if res.Created+res.Merged > 0 || err == nil {
		// What was written before a failure is audited too.
		details := strconv.Itoa(res.Created) + " created, " + strconv.Itoa(res.Merged) + " merged"
		if in.Source != "" {
			details += " from " + in.Source
		}
		s.audit(ctx, "library.import", "libraries", details)
	}
	if err != nil {
		return nil, err
	}
	res.Applied = true
	return res, nil
}

// ExportLibraries writes the libraries matching f (every page; for a
// coordinator, of their regions only) to w as "csv" or "xlsx" (a row per
// contact, directory.WriteCSV/WriteXLSX), records the download in the
// audit log, and returns how many libraries it wrote. The file is made in
// full before anything is written to w, so a failure leaves w untouched.
func (s *Service) ExportLibraries(ctx context.Context, w io.Writer, f survey.LibraryFilter, format string) (int, error) {
	a, err := access(ctx, survey.RoleAnalyst, survey.RoleCoordinator)
	if err != nil {
		return 0, err
	}
	f = scoped(a, f)
	if err := CheckLibraryFilter(f); err != nil {
		return 0, err
	}
	if format != "csv" && format != "xlsx" {
		return 0, survey.Errorf(survey.EINVALID, "Export as csv or xlsx, not %q.", format)
	}
	f.Offset, f.Limit = 0, 0
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, f)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		err = directory.WriteXLSX(&buf, libs)
	} else {
		err = directory.WriteCSV(&buf, libs)
	}
	if err != nil {
		return 0, err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	s.audit(ctx, "library.export", "libraries", format+", "+nouns(len(libs), "library", "libraries"))
	return len(libs), nil
}

// PublicLibrary is what the public may see of a library that opted in to
// a public profile: never contacts. Member is whether it is a member of the
// section, so lists can head the members as such.
type PublicLibrary struct {
	ID      string             `json:"id"`
	Name    string             `json:"name"`
	City    string             `json:"city,omitempty"`
	Country string             `json:"country"`
	Region  survey.Region      `json:"region,omitempty"`
	Type    survey.LibraryType `json:"type,omitempty"`
	Website string             `json:"website,omitempty"`
	Member  bool               `json:"member"`
}

func publicOf(l *survey.Library) PublicLibrary {
	return PublicLibrary{l.ID, l.Name, l.City, l.Country, l.Region, l.Type, l.Website, l.Member}
}

// PublicList is a page of public profiles: the section's members first,
// then the other libraries, each group by name.
type PublicList struct {
	Libraries []PublicLibrary
	// Total is how many profiles match in all, Members how many of those
	// are members (so a page tells where the members end).
	Total, Members int
}

// PublicLibraries lists a page of the libraries that opted in to a public
// profile (never canvass demo's), filtered by f's query, region, country,
// type and membership (f.Member: members only, or non-members only), the
// members first. Anyone may ask. Returns EMALFORMED for an unknown region
// or type.
func (s *Service) PublicLibraries(ctx context.Context, f survey.LibraryFilter) (PublicList, error) {
	if err := CheckLibraryFilter(f); err != nil {
		return PublicList{}, err
	}
	yes, no := true, false
	f.Public, f.Demo = &yes, &no
	out := PublicList{Libraries: []PublicLibrary{}}
	add := func(libs []*survey.Library) {
		for _, l := range libs {
			out.Libraries = append(out.Libraries, publicOf(l))
		}
	}
	if f.Member != nil {
		libs, total, err := s.cfg.Libraries.ListLibraries(ctx, f)
		if err != nil {
			return PublicList{}, err
		}
		add(libs)
		out.Total = total
		if *f.Member {
			out.Members = total
		}
		return out, nil
	}
	// Members, then the others: one page over the two lists, so the page
	// where the members end also starts the others.
	members := f
	members.Member = &yes
	libs, m, err := s.cfg.Libraries.ListLibraries(ctx, members)
	if err != nil {
		return PublicList{}, err
	}
	add(libs)
	others := f
	others.Member, others.Offset = &no, max(0, f.Offset-m)
	rest := f.Limit - len(libs)
	if f.Limit > 0 && rest == 0 {
		others.Limit = 1 // a full page of members: only the others' number is needed
	} else if f.Limit > 0 {
		others.Limit = rest
	}
	libs, n, err := s.cfg.Libraries.ListLibraries(ctx, others)
	if err != nil {
		return PublicList{}, err
	}
	if f.Limit == 0 || rest > 0 {
		add(libs)
	}
	out.Total, out.Members = m+n, m
	return out, nil
}

// PublicLibraryProfile returns one public profile. A library that has not
// opted in (or one of canvass demo's) does not exist here: ENOTFOUND, as
// for an unknown id.
func (s *Service) PublicLibraryProfile(ctx context.Context, id string) (PublicLibrary, error) {
	l, err := s.cfg.Libraries.FindLibrary(ctx, id)
	if err == nil && (!l.PublicProfile || l.Demo) {
		err = survey.Errorf(survey.ENOTFOUND, "There is no library %q.", id)
	}
	if err != nil {
		return PublicLibrary{}, err
	}
	return publicOf(l), nil
}

// LibraryUpdate is what a response says about its library's directory entry.
type LibraryUpdate struct {
	Library *survey.Library        `json:"-"`
	Changes []survey.LibraryChange `json:"changes"`
	Applied bool                   `json:"applied"`
}

// UpdateLibraryFromResponse carries what an invited library answered about
// itself (the survey's questions of survey.LibraryFields) into its
// directory entry: the changes, written only with confirm (and audited).
// Returns ENOTFOUND for an unknown response, ECONFLICT for a response that
// came through no library's invitation, EINVALID when the result would not
// be a valid library.
func (s *Service) UpdateLibraryFromResponse(ctx context.Context, responseID string, confirm bool) (*LibraryUpdate, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	r, err := s.cfg.Responses.FindResponse(ctx, responseID)
	if err != nil {
		return nil, err
	}
	if r.LibraryID == "" {
		return nil, survey.Errorf(survey.ECONFLICT, "This response did not come through a library's invitation, so it has no directory entry to update.")
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, r.SurveySlug)
	if err != nil {
		return nil, err
	}
	lib, err := s.cfg.Libraries.FindLibrary(ctx, r.LibraryID)
	if err != nil {
		return nil, err
	}
	u := &LibraryUpdate{Library: lib, Changes: sv.ApplyToLibrary(r.Answers, lib)}
	if u.Changes == nil {
		u.Changes = []survey.LibraryChange{}
	}
	lib.Normalize()
	if err := lib.Validate(); err != nil {
		return nil, err
	}
	if confirm && len(u.Changes) > 0 {
		if err := s.cfg.Libraries.UpdateLibrary(ctx, lib); err != nil {
			return nil, err
		}
		u.Applied = true
		s.audit(ctx, "library.update_from_response", "library:"+lib.ID, "response "+r.ID+": "+nouns(len(u.Changes), "field", "fields"))
	}
	return u, nil
}

// importForRegions plans a coordinator's import: a row of a library outside
// their regions is rejected, saying so, before planning (so no other row
// merges into it), and the rest are matched against their regions'
// libraries only, so the plan never names another region's library.
func importForRegions(ctx context.Context, a survey.Actor, libs survey.LibraryStore, rows []directory.Row, unknown []string, merge bool) (*directory.Plan, error) {
	var theirs []directory.Row
	var outside []directory.PlannedRow
	for _, r := range rows {
		l, problems := r.Library()
		if len(problems) > 0 || a.Coordinates(l.Region) {
			theirs = append(theirs, r) // MakePlan rejects the faulty ones with their reasons
			continue
		}
		where := "a library without a known region"
		if label := survey.RegionLabels[l.Region]; label != nil {
			where = "a library of " + label.In("en", "en")
		}
		outside = append(outside, directory.PlannedRow{Line: r.Line, Action: directory.Reject, Name: l.Name, Library: l,
			Reasons: []string{where + ", not of your regions; an administrator imports it"}})
	}
	plan, err := directory.MakePlan(ctx, regionalLister{libs, a}, theirs, unknown, merge)
	if err != nil {
		return nil, err
	}
	plan.Rows = append(plan.Rows, outside...)
	slices.SortStableFunc(plan.Rows, func(x, y directory.PlannedRow) int { return x.Line - y.Line })
	plan.Counts[directory.Reject] += len(outside)
	return plan, nil
}

// regionalLister lists the directory as a coordinator sees it.
type regionalLister struct {
	libs survey.LibraryStore
	a    survey.Actor
}

// ListLibraries lists the libraries of f in the coordinator's regions.
func (l regionalLister) ListLibraries(ctx context.Context, f survey.LibraryFilter) ([]*survey.Library, int, error) {
	return l.libs.ListLibraries(ctx, scoped(l.a, f))
}
