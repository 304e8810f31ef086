package campaign_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/internal/syncbuf"
)

// lockedBuffer is a log sink safe for the service's concurrent requests.
type lockedBuffer = syncbuf.Buffer

// TestConcurrentVisitorsDiscloseOnce: eight visitors opening the public
// outputs of a new snapshot at the same moment get the one disclosure, made
// once (one "public figures disclosed" line), not eight Protect runs of a
// second each on two cores.
func TestConcurrentVisitorsDiscloseOnce(t *testing.T) {
	f := newFixture(t)
	f.seed(t, "landscape", 12, 3)
	var logs lockedBuffer
	svc := campaign.New(campaign.Config{Surveys: f.st, Responses: f.st, Audit: f.st, Libraries: f.st, Publications: f.st, Reports: f.st,
		Now: func() time.Time { return f.clock }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	sv, err := f.st.FindSurvey(context.Background(), "landscape")
	if err != nil {
		t.Fatal(err)
	}
	const visitors = 8
	pubs := make([]*disclosure.Published, visitors)
	var wg sync.WaitGroup
	for i := range visitors {
		wg.Go(func() {
			pub, err := svc.Published(context.Background(), sv, "en")
			if err != nil {
				t.Error(err)
				return
			}
			pubs[i] = pub
		})
	}
	wg.Wait()
	if n := strings.Count(logs.String(), "public figures disclosed"); n != 1 {
		t.Errorf("%d visitors at once: %d disclosures logged, want 1:\n%s", visitors, n, logs.String())
	}
	for i, pub := range pubs {
		if pub == nil || pub.Stats != pubs[0].Stats || pub.Stats.Cells == 0 {
			t.Errorf("visitor %d got %+v, visitor 0 %+v: want the same disclosure, of some cells", i, pub, pubs[0])
		}
	}
}
