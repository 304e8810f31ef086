package workbooktest_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/internal/workbook/workbooktest"
)

// TestBombIsHonest inflates a small bomb completely with archive/zip, which
// checks the declared size and the CRC, so the big ones the importers'
// tests build are real deflate streams of the size they declare.
func TestBombIsHonest(t *testing.T) {
	data, inflated := workbooktest.Bomb(20 << 10)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			t.Fatalf("inflating: %v", err)
		}
		if uint64(n) != inflated || inflated < 10<<20 {
			t.Errorf("inflated %d bytes, want the declared %d (at least 10 MiB from %d bytes)", n, inflated, len(data))
		}
		return
	}
	t.Fatal("no worksheet in the bomb")
}

// TestRepeatedIsHonest reads back every row of a generated sheet with
// excelize (which inflates through archive/zip, checking size and CRC).
func TestRepeatedIsHonest(t *testing.T) {
	data := workbooktest.Workbook(workbooktest.RepeatedRows("Sheet1", `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 60000))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 60000 || rows[0][0] != "x" || rows[59999][0] != "x" {
		t.Errorf("got %d rows, want 60000 of \"x\"", len(rows))
	}
}
