package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// benchRows is the size of the raw export the issue asks to measure.
const benchRows = 100_000

// benchPool is how many distinct synthetic responses are generated; they
// are repeated (with fresh ids) up to benchRows, so generating data is
// neither timed nor held in memory 100,000 times.
const benchPool = 1000

// BenchmarkRawExport writes the raw workbook of 100,000 impact-survey
// responses three ways in one run: Canvass's RawXLSX; a bare excelize
// StreamWriter loop writing the same cell values (the library's ceiling);
// and openpyxl's write-only mode (bench/openpyxl_write.py), when Python
// has openpyxl. It reports rows per second of each, their ratios, and the
// peak resident memory of the process while Canvass's export ran.
func BenchmarkRawExport(b *testing.B) {
	surveys, err := builtin.Surveys()
	if err != nil {
		b.Fatal(err)
	}
	s := surveys[1]
	pool := demo.Responses(s, benchPool, 1, time.Now())
	responses := func(yield func(*survey.Response, error) bool) {
		for i := 0; i < benchRows; i++ {
			r := *pool[i%benchPool]
			r.ID = fmt.Sprintf("%024x", i)
			if !yield(&r, nil) {
				return
			}
		}
	}

	var canvassDur, bareDur time.Duration
	var peakRSS uint64
	for b.Loop() {
		runtime.GC()
		stop := sampleRSS(&peakRSS)
		start := time.Now()
		if err := RawXLSX(io.Discard, s, responses, Options{}); err != nil {
			b.Fatal(err)
		}
		canvassDur += time.Since(start)
		stop()

		runtime.GC()
		start = time.Now()
		if err := bareStreamWriter(s, pool); err != nil {
			b.Fatal(err)
		}
		bareDur += time.Since(start)
	}
	n := float64(b.N)
	canvassRate := benchRows * n / canvassDur.Seconds()
	bareRate := benchRows * n / bareDur.Seconds()
	b.ReportMetric(canvassRate, "canvass-rows/s")
	b.ReportMetric(bareRate, "bare-streamwriter-rows/s")
	b.ReportMetric(100*canvassRate/bareRate, "canvass-%-of-bare")
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
	if rate, ok := openpyxlRate(b, s, pool); ok {
		b.ReportMetric(rate, "openpyxl-rows/s")
		b.ReportMetric(canvassRate/rate, "canvass-x-openpyxl")
	}
}

// bareStreamWriter writes the same header and cell values as RawXLSX with
// nothing else: no codebook, no sheet limits, no progress, no checks.
func bareStreamWriter(s *survey.Survey, pool []*survey.Response) error {
	p := newPlan(s, s.DefaultLanguage, false)
	cols := p.cols
	// The values are computed once per pool row, outside the loop: this is
	// the ceiling of excelize alone.
	values := make([][]any, len(pool))
	f := excelize.NewFile()
	defer f.Close()
	dateTime := "yyyy-mm-dd hh:mm:ss"
	dtStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTime})
	for i, r := range pool {
		row := make([]any, len(cols))
		p.fill(r, row, make([]bool, len(cols)))
		for j, v := range row {
			if t, ok := asTime(v); ok {
				row[j] = excelize.Cell{StyleID: dtStyle, Value: t}
			}
		}
		values[i] = row
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.key
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i := 0; i < benchRows; i++ {
		row := values[i%len(values)]
		row[0] = fmt.Sprintf("%024x", i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(io.Discard)
}

// sampleRSS records the process's peak resident set size until stopped.
func sampleRSS(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := currentRSS(); rss > *peak {
				*peak = rss
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func currentRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// openpyxlRate runs bench/openpyxl_write.py on the same rows.
func openpyxlRate(b *testing.B, s *survey.Survey, pool []*survey.Response) (float64, bool) {
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		b.Log("openpyxl not available: no comparison with it")
		return 0, false
	}
	dir := b.TempDir()
	var buf bytes.Buffer
	if err := JSONLines(&buf, s, Slice(pool), Options{}); err != nil {
		b.Fatal(err)
	}
	poolPath := filepath.Join(dir, "pool.jsonl")
	if err := os.WriteFile(poolPath, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command(python, "../bench/openpyxl_write.py", poolPath, strconv.Itoa(benchRows), filepath.Join(dir, "openpyxl.xlsx")).CombinedOutput()
	if err != nil {
		b.Fatalf("openpyxl: %v\n%s", err, out)
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("openpyxl printed %q", out)
	}
	return benchRows / secs, true
}
