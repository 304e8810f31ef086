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
	// SetReportsReleased releases the reports (release true) or withdraws
	// them, recording when (at) and by whom.
	SetReportsReleased(ctx context.Context, slug string, release bool, at time.Time, by string) error
	// RecordReportEmailed records that library's report email went at.
	RecordReportEmailed(ctx context.Context, slug, library string, at time.Time) error
	// ReportsEmailed returns, per library id, when its report email last went.
	ReportsEmailed(ctx context.Context, slug string) (map[string]time.Time, error)
}
