package survey

import (
	"context"
	"time"
)

// ReportRelease is whether a survey's benchmark reports (package feedback)
// may be read by the libraries that answered: the admin releases them,
// and may withdraw them again.
type ReportRelease struct {
	Survey string `json:"survey"`
	// ReleasedAt is when the reports were released, nil while they are not
	// (never released, or withdrawn).
	ReleasedAt *time.Time `json:"released_at"`
	// ReleasedBy is the user who released them ("" while not released).
	ReleasedBy string `json:"released_by,omitempty"`
	// WithdrawnAt and WithdrawnBy record the last withdrawal, kept after a
	// release again so the history shows.
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	// Frozen is what the last release fixed: the reports are built from
	// the respondents as they stood when they were released, not as they
	// are now. A withdrawal keeps it: the next release is measured
	// against it (zero before the first release).
	Frozen ReportFreeze `json:"frozen"`
	// KeptFrozen and Changed are set by a release only: Changed
	// respondents differ from the last release's (added, gone, or with
	// other answers or facts), and KeptFrozen says the release kept the
	// last one's respondents because Changed was between 1 and k−1.
	KeptFrozen bool `json:"kept_frozen,omitempty"`
	Changed    int  `json:"changed,omitempty"`
}

// ReportFreeze names the respondents a release fixed (SaveReportInputs)
// and the definition the reports are built with. A report read twice
// reads the same figures whatever has happened since: a figure that moved
// between two readings would give away the answers of the libraries that
// moved it (one that answered, was deleted, changed region in the
// directory) to whoever compares them.
type ReportFreeze struct {
	// Inputs is the id of the frozen respondents.
	Inputs string `json:"inputs,omitempty"`
	// SurveyVersion is the definition's version at the release.
	SurveyVersion int `json:"survey_version,omitempty"`
	// Respondents is how many respondents were frozen: a reader that
	// loads another number (a set half written or half deleted) has no
	// report to show rather than a wrong one.
	Respondents int `json:"respondents,omitempty"`
}

// ReportInput is one respondent as a release froze it: the facts its peer
// groups are drawn from and its answers (feedback.Respondent's).
type ReportInput struct {
	ResponseID   string
	InvitationID string
	LibraryID    string
	Library      string
	Language     string
	Region       Region
	Type         LibraryType
	Population   float64
	Member       bool
	Demo         bool
	Submitted    time.Time
	Answers      Answers
}

// Released reports whether the libraries may read their reports now.
func (r *ReportRelease) Released() bool { return r != nil && r.ReleasedAt != nil }

// ReportStore keeps the release of each survey's benchmark reports and
// when each library was told its report is ready.
type ReportStore interface {
	// ReportRelease returns the survey's release state; a survey whose
	// reports were never released has a ReportRelease with ReleasedAt nil
	// (never ENOTFOUND: the store does not know which surveys exist).
	ReportRelease(ctx context.Context, slug string) (*ReportRelease, error)
	// SetReportsReleased releases the reports (release true) with the
	// respondents frozen (stored by SaveReportInputs first), or withdraws
	// them (keeping the frozen set; frozen is then ignored), recording when
	// (at) and by whom —
	// only if the stored release's frozen inputs are still replacing ("" for
	// none), else ECONFLICT: of two releases at once one wins, and the
	// winner alone deletes the inputs it replaced.
	SetReportsReleased(ctx context.Context, slug string, release bool, at time.Time, by string, frozen ReportFreeze, replacing string) error
	// SaveReportInputs stores the respondents of a release about to be
	// made under id (a new id per release).
	SaveReportInputs(ctx context.Context, slug, id string, inputs []ReportInput) error
	// ReportInputs returns the respondents stored under id, in the order
	// they were saved.
	ReportInputs(ctx context.Context, slug, id string) ([]ReportInput, error)
	// DeleteReportInputs deletes the respondents stored under id.
	DeleteReportInputs(ctx context.Context, slug, id string) error
	// RecordReportEmailed records that library's report email went at.
	RecordReportEmailed(ctx context.Context, slug, library string, at time.Time) error
	// ReportsEmailed returns, per library id, when its report email last went.
	ReportsEmailed(ctx context.Context, slug string) (map[string]time.Time, error)
}
