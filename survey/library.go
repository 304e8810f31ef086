package survey

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// LibraryType is the kind of organisation a library is.
type LibraryType string

// The library types (those of the landscape survey's org_type question).
const (
	CitySystem     LibraryType = "city_system"
	RegionalSystem LibraryType = "regional_system"
	NationalState  LibraryType = "national_state"
	Consortium     LibraryType = "consortium"
	OtherType      LibraryType = "other"
)

// LibraryTypes lists the types in the order forms show them.
var LibraryTypes = []LibraryType{CitySystem, RegionalSystem, NationalState, Consortium, OtherType}

// LibraryTypeLabels names each type.
var LibraryTypeLabels = map[LibraryType]Text{
	CitySystem:     {"en": "City or municipal library system", "fr": "Réseau municipal de bibliothèques", "es": "Sistema municipal de bibliotecas"},
	RegionalSystem: {"en": "Regional or county library system", "fr": "Réseau régional ou départemental", "es": "Sistema regional o provincial"},
	NationalState:  {"en": "National or state library", "fr": "Bibliothèque nationale ou d'État", "es": "Biblioteca nacional o estatal"},
	Consortium:     {"en": "Consortium of libraries", "fr": "Consortium de bibliothèques", "es": "Consorcio de bibliotecas"},
	OtherType:      {"en": "Other", "fr": "Autre", "es": "Otro"},
}

// Library is one library (or library system) of the directory.
type Library struct {
	ID      string
	Name    string
	City    string
	Country string // ISO 3166-1 alpha-2
	// Region is the IFLA division: derived from Country unless RegionSet.
	Region    Region
	RegionSet bool
	Type      LibraryType
	// PopulationServed and Branches are 0 when unknown.
	PopulationServed int
	Branches         int
	Website          string
	Contacts         []Contact
	// Member is membership of the section.
	Member bool
	// PublicProfile is the library's opt-in to be listed publicly (name,
	// city, country, region, type, website; never contacts).
	PublicProfile bool
	// Demo marks the made-up libraries of canvass demo: they are never
	// shown publicly, and canvass demo --remove deletes them.
	Demo      bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Contact is a person at a library.
type Contact struct {
	Name     string
	Role     string
	Email    string
	Language string // for invitations: en, fr, es…
	// Consent is to be contacted by the section, recorded with its date.
	Consent   bool
	ConsentAt *time.Time
}

// StampConsent dates the contacts' consents, the one rule every way into
// the directory follows (the API, the admin form, imports): a consent the
// same email had already given in before (the stored library, nil for a new
// one) keeps its first date, whatever the caller sent; a consent given
// without a date is dated now (UTC); a contact without consent has no date.
func (l *Library) StampConsent(before *Library, now time.Time) {
	first := map[string]*time.Time{}
	if before != nil {
		for _, c := range before.Contacts {
			if c.Consent && c.ConsentAt != nil && c.Email != "" {
				first[c.Email] = c.ConsentAt
			}
		}
	}
	for i := range l.Contacts {
		c := &l.Contacts[i]
		switch at, ok := first[c.Email]; {
		case !c.Consent:
			c.ConsentAt = nil
		case ok && c.Email != "":
			t := *at
			c.ConsentAt = &t
		case c.ConsentAt == nil:
			t := now.UTC()
			c.ConsentAt = &t
		}
	}
}

// Normalize trims the fields, upper-cases the country, writes emails as
// CheckEmail does, completes web addresses, and derives the region unless it
// was set by hand.
func (l *Library) Normalize() {
	l.Name = strings.Join(strings.Fields(l.Name), " ")
	l.City = strings.Join(strings.Fields(l.City), " ")
	l.Country = strings.ToUpper(strings.TrimSpace(l.Country))
	l.Website = strings.TrimSpace(l.Website)
	if l.Website != "" && !strings.Contains(l.Website, "://") {
		l.Website = "https://" + l.Website
	}
	if !l.RegionSet {
		l.Region, _ = RegionOf(l.Country)
	}
	for i := range l.Contacts {
		c := &l.Contacts[i]
		c.Name, c.Role = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role)
		if e, err := CheckEmail(c.Email); err == nil {
			c.Email = e
		} else {
			c.Email = strings.TrimSpace(c.Email) // Validate says why it is refused
		}
		c.Language = strings.ToLower(strings.TrimSpace(c.Language))
	}
}

// Validate reports every problem with a (normalized) library at once.
func (l *Library) Validate() error {
	var fields []FieldError
	bad := func(path, message string) { fields = append(fields, FieldError{Path: path, Message: message}) }
	if l.Name == "" {
		bad("name", "The library needs a name.")
	} else if len([]rune(l.Name)) > 300 {
		bad("name", "Keep the name under 300 characters.")
	}
	if _, ok := RegionOf(l.Country); !ok {
		bad("country", "The country must be an ISO 3166-1 code such as FR, MX or ZA.")
	}
	if l.RegionSet && RegionLabels[l.Region] == nil {
		bad("region", "Unknown IFLA region.")
	}
	if l.Type != "" && LibraryTypeLabels[l.Type] == nil {
		bad("type", "The type must be city_system, regional_system, national_state, consortium or other.")
	}
	if l.PopulationServed < 0 || l.Branches < 0 {
		bad("population_served", "Numbers cannot be negative.")
	}
	if l.Website != "" {
		if u, err := url.Parse(l.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") {
			bad("website", "The website must be a web address like https://library.example.org.")
		}
	}
	for i, c := range l.Contacts {
		if c.Email != "" {
			if _, err := CheckEmail(c.Email); err != nil {
				bad("contacts["+strconv.Itoa(i)+"].email", ErrorMessage(err))
			}
		}
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "The library has errors.", Fields: fields}
	}
	return nil
}

// MatchKeys are the keys that identify a library across imports: its
// normalized name with city and country, its website's host, and its
// contacts' emails. Two libraries sharing a key are likely duplicates.
func (l *Library) MatchKeys() []string {
	var keys []string
	if l.Name != "" {
		keys = append(keys, "name:"+foldName(l.Name)+"|"+foldName(l.City)+"|"+l.Country)
	}
	if u, err := url.Parse(l.Website); err == nil && u.Host != "" {
		keys = append(keys, "web:"+strings.TrimPrefix(strings.ToLower(u.Host), "www."))
	}
	for _, c := range l.Contacts {
		if c.Email != "" {
			keys = append(keys, "email:"+c.Email)
		}
	}
	return keys
}

// foldName lowers case, removes accents and punctuation, and collapses
// spaces: "Bibliothèque  Municipale, Lyon" and "bibliotheque municipale lyon" fold alike.
func foldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accents
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// LibraryFilter selects libraries. Empty fields match everything.
type LibraryFilter struct {
	Query  string // part of the name or city, any case
	Region Region
	// Regions, when not empty, keeps only libraries of these regions (a
	// coordinator's); with Region too, both must hold.
	Regions []Region
	Country string
	Type    LibraryType
	Member  *bool
	Public  *bool
	// IDs, when not nil, keeps only these libraries (an id that names none
	// matches nothing): a page naming the libraries of its rows asks once.
	IDs []string
	// Demo keeps canvass demo's libraries (true) or the real ones (false).
	Demo   *bool
	Offset int
	Limit  int
}

// LibraryStore keeps the directory.
type LibraryStore interface {
	// CreateLibrary stores l, filling in its ID.
	CreateLibrary(ctx context.Context, l *Library) error
	// FindLibrary returns ENOTFOUND if there is no library with that id.
	FindLibrary(ctx context.Context, id string) (*Library, error)
	// UpdateLibrary saves l. Returns ENOTFOUND if it does not exist. A
	// non-zero l.UpdatedAt is the time of the library the caller read:
	// the write happens only if the library is still as it was then, else
	// ECONFLICT, so an edit made meanwhile (another user moving it to
	// another region) is never written over unseen. A zero one writes
	// whatever is stored.
	UpdateLibrary(ctx context.Context, l *Library) error
	// DeleteLibrary removes a library. Returns ENOTFOUND if it does not exist.
	DeleteLibrary(ctx context.Context, id string) error
	// ListLibraries returns a page of libraries by name, and the number matching.
	ListLibraries(ctx context.Context, f LibraryFilter) ([]*Library, int, error)
}
