// Package workbooktest writes hostile .xlsx files for the importers' tests,
// generated in the test rather than committed: a sheet with cells far to
// the right, millions of rows, a zip bomb.
package workbooktest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Sheet is one worksheet: Data writes the <row> elements of its sheetData.
type Sheet struct {
	Name string
	Data func(w *bufio.Writer)
	raw  *deflated // instead of Data: the whole part, compressed already
}

// deflated is a compressed zip entry with its true CRC and size.
type deflated struct {
	stream []byte
	crc    uint32
	size   uint64
	steady int // compressed bytes of one repeated chunk
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// RepeatedRows is a sheet whose sheetData is row repeated count times
// (rows without an "r" attribute number themselves). count is rounded up
// to a multiple of 20,000. Building three million rows this way takes
// milliseconds where compressing them takes twenty seconds under -race.
func RepeatedRows(name, row string, count int) Sheet {
	const perChunk = 20000
	chunks := (count + perChunk - 1) / perChunk
	d := repeat(sheetHead, strings.Repeat(row, perChunk), max(chunks, 3), sheetTail)
	return Sheet{Name: name, raw: &d}
}

// repeat deflates prefix + chunk×chunks + suffix (chunks ≥ 3) by
// compressing three chunks with a flush after each: the second and third
// come out byte for byte the same, since the window holds the same bytes
// either way, so that is the steady chunk, repeated; then the suffix as
// compressed after the third. The CRC and size are computed over the real
// content, and TestRepeatedIsHonest inflates a result to check it.
func repeat(prefix, chunk string, chunks int, suffix string) deflated {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	var ends [3]int
	for i := range ends {
		if i == 0 {
			io.WriteString(fw, prefix)
		}
		io.WriteString(fw, chunk)
		fw.Flush()
		ends[i] = b.Len()
	}
	io.WriteString(fw, suffix)
	fw.Close()
	all := b.Bytes()
	steady := all[ends[0]:ends[1]]
	if !bytes.Equal(steady, all[ends[1]:ends[2]]) {
		panic("workbooktest: repeated deflate chunks differ")
	}
	var out bytes.Buffer
	out.Write(all[:ends[0]])
	for range chunks - 1 {
		out.Write(steady)
	}
	out.Write(all[ends[2]:])
	crc := crc32.Update(0, crc32.IEEETable, []byte(prefix))
	c := []byte(chunk)
	for range chunks {
		crc = crc32.Update(crc, crc32.IEEETable, c)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	return deflated{stream: out.Bytes(), crc: crc, size: uint64(len(prefix)) + uint64(chunks)*uint64(len(chunk)) + uint64(len(suffix)), steady: len(steady)}
}

// Row writes one row of inline-string cells; refs are cell references
// ("A2", "XFD2") and texts their values, pairwise.
func Row(w *bufio.Writer, n int, cells ...string) {
	fmt.Fprintf(w, `<row r="%d">`, n)
	for i := 0; i+1 < len(cells); i += 2 {
		fmt.Fprintf(w, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cells[i], cells[i+1])
	}
	w.WriteString("</row>")
}

// Workbook returns a minimal, valid .xlsx with the given sheets, compressed
// with flate.BestSpeed.
func Workbook(sheets ...Sheet) []byte { return WithSharedStrings("", sheets...) }

// SharedCell writes one row whose cells A, B, … (count of them) all refer
// to shared string index.
func SharedCell(w *bufio.Writer, row, count, index int) {
	fmt.Fprintf(w, `<row r="%d">`, row)
	for c := 1; c <= count; c++ {
		col := ""
		for n := c; n > 0; n = (n - 1) / 26 {
			col = string(rune('A'+(n-1)%26)) + col
		}
		fmt.Fprintf(w, `<c r="%s%d" t="s"><v>%d</v></c>`, col, row, index)
	}
	w.WriteString("</row>")
}

// WithSharedStrings is Workbook with a shared-strings part whose <si>
// entries are entries (raw XML, e.g. "<si><t>x</t></si>"), when not empty.
func WithSharedStrings(entries string, sheets ...Sheet) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	put := func(name, body string) {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	var types, rels, list strings.Builder
	for i, s := range sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		fmt.Fprintf(&list, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.Name, n, n)
	}
	if entries != "" {
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		rels.WriteString(`<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
		put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+entries+`</sst>`)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+list.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	for i, s := range sheets {
		name := fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		if s.raw != nil {
			w, _ := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: s.raw.crc, CompressedSize64: uint64(len(s.raw.stream)), UncompressedSize64: s.raw.size})
			w.Write(s.raw.stream)
			continue
		}
		w, _ := zw.Create(name)
		bw := bufio.NewWriterSize(w, 1<<16)
		bw.WriteString(sheetHead)
		s.Data(bw)
		bw.WriteString(sheetTail)
		bw.Flush()
	}
	zw.Close()
	return buf.Bytes()
}

// Bomb returns a valid .xlsx of about compressed bytes whose worksheet is
// an honest deflate stream of zeros, each compressed byte inflating to
// about a thousand; the zip directory declares the true size and CRC.
func Bomb(compressed int) (data []byte, inflated uint64) {
	const chunk = 1 << 20
	probe := repeat("", strings.Repeat("\x00", chunk), 3, "")
	d := repeat("", strings.Repeat("\x00", chunk), max(3, compressed/probe.steady), "")
	return Workbook(Sheet{Name: "Sheet1", raw: &d}), d.size
}
