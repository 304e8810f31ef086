package feedback

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The PDF's text is in the Go fonts (golang.org/x/image/font/gofont), a
// TrueType family under a BSD licence that covers Latin with its
// extensions A (Turkish, Polish, Czech, Māori…), Greek and Cyrillic. fpdf
// embeds only the glyphs a PDF uses.

// pdfFamily is the name the PDF's fonts are registered under.
const pdfFamily = "Go"

// pdfAliases are characters the Go fonts lack that the PDF writes with
// another character's glyph, so that the text keeps them (pdftotext reads
// them back): the narrow no-break space of French numbers and punctuation
// ("45 %", "a ; b") looks like a no-break space.
var pdfAliases = map[rune]rune{'\u202f': '\u00a0'}

// pdfFontSet is the three styles' font files, with pdfAliases added to
// their character maps, and the characters all three can write.
type pdfFontSet struct {
	regular, bold, italic []byte
	covered               []bool // indexed by rune, over the BMP
	err                   error
}

var pdfFontsOnce = sync.OnceValue(func() *pdfFontSet {
	fs := &pdfFontSet{covered: make([]bool, 0x10000)}
	for i := range fs.covered {
		fs.covered[i] = true
	}
	for _, f := range []struct {
		out *[]byte
		ttf []byte
	}{{&fs.regular, goregular.TTF}, {&fs.bold, gobold.TTF}, {&fs.italic, goitalic.TTF}} {
		b, covered, err := withAliases(f.ttf, pdfAliases)
		if err != nil {
			fs.err = err
			return fs
		}
		*f.out = b
		for r, ok := range covered {
			fs.covered[r] = fs.covered[r] && ok
		}
	}
	fs.covered[0] = false
	return fs
})

// withAliases returns ttf with a new character map (one format 4 table,
// Windows Unicode BMP, the only one fpdf reads) that maps every character
// ttf maps, and each alias to its target's glyph; and which characters of
// the BMP the result covers. The old character map stays in the file,
// unreferenced; fpdf writes its own for the subset it embeds.
func withAliases(ttf []byte, aliases map[rune]rune) ([]byte, []bool, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, nil, err
	}
	var buf sfnt.Buffer
	glyph := make([]uint16, 0x10000)
	covered := make([]bool, 0x10000)
	for r := range rune(0xffff) {
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			glyph[r], covered[r] = uint16(g), true
		}
	}
	for from, to := range aliases {
		if covered[to] && !covered[from] {
			glyph[from], covered[from] = glyph[to], true
		}
	}
	// One segment per character (idDelta only), then the closing 0xFFFF.
	var runes []uint16
	for r, ok := range covered {
		if ok {
			runes = append(runes, uint16(r))
		}
	}
	segs := len(runes) + 1
	if segs*8+16 > 0xffff {
		return nil, nil, errors.New("feedback: font character map too large")
	}
	sub := make([]byte, 14+segs*8+2)
	be := binary.BigEndian
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*segs))
	p, es := 1, 0 // the largest power of two ≤ segs, and its log2
	for p*2 <= segs {
		p, es = p*2, es+1
	}
	be.PutUint16(sub[8:], uint16(2*p))
	be.PutUint16(sub[10:], uint16(es))
	be.PutUint16(sub[12:], uint16(2*segs-2*p))
	end, start, delta := 14, 14+2*segs+2, 14+4*segs+2
	for i, r := range append(runes, 0xffff) {
		be.PutUint16(sub[end+2*i:], r)
		be.PutUint16(sub[start+2*i:], r)
		d := uint16(1) // 0xFFFF maps to glyph 0
		if i < len(runes) {
			d = glyph[r] - r
		}
		be.PutUint16(sub[delta+2*i:], d)
	}
	// idRangeOffset: all zero.
	cmap := make([]byte, 12, 12+len(sub))
	be.PutUint16(cmap[2:], 1) // one table
	be.PutUint16(cmap[4:], 3) // Windows
	be.PutUint16(cmap[6:], 1) // Unicode BMP
	be.PutUint32(cmap[8:], 12)
	cmap = append(cmap, sub...)

	out := slices.Clone(ttf)
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	at := len(out)
	out = append(out, cmap...)
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	n := int(be.Uint16(ttf[4:]))
	for i := range n {
		rec := out[12+16*i:]
		if string(rec[:4]) == "cmap" {
			be.PutUint32(rec[4:], checksum(out[at:at+len(cmap)]))
			be.PutUint32(rec[8:], uint32(at))
			be.PutUint32(rec[12:], uint32(len(cmap)))
			return out, covered, nil
		}
	}
	return nil, nil, errors.New("feedback: font has no character map")
}

// checksum is a TrueType table's checksum (the padded table summed as
// big-endian uint32s).
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// pdfReplacement stands for a character the fonts cannot write.
const pdfReplacement = '\ufffd'

// pdfSafe turns s into text the PDF's fonts can write, deterministically:
// s is composed (NFC: "e" and a combining accent become "é"); a letter the
// fonts lack is written without the accents they lack when its base
// letter is covered, with the accents they have ("ệ" → "ê", "ư" → "u"), a
// compatibility form by its letters ("ǅ" → "Dž", "ﬀ" → "ff"), and a
// combining mark left alone is dropped; control characters and line
// breaks become a space, the fixed-width spaces a space (the figure space
// and the word joiner a no-break space), hyphens U+2010 and U+2011 "-";
// invalid UTF-8 and any other character the fonts lack (CJK, Arabic,
// Hebrew, Devanagari, emoji, ✓…) become U+FFFD "�", one per character.
func pdfSafe(s string, covered []bool) string {
	ok := func(r rune) bool { return r >= 0 && int(r) < len(covered) && covered[r] }
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(pdfReplacement))
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r' || r < 0x20 || (r >= 0x7f && r < 0xa0):
			b.WriteByte(' ')
		case ok(r):
			b.WriteRune(r)
		case r == '\u2007' || r == '\u2060':
			b.WriteRune('\u00a0')
		case r >= '\u2000' && r <= '\u200a':
			b.WriteByte(' ')
		case r == '\u2010' || r == '\u2011':
			b.WriteByte('-')
		case r == '\u200b' || r == '\ufeff':
			// zero-width: nothing to show
		case unicode.Is(unicode.Mn, r):
			// a combining mark the fonts lack, left over by NFC: dropped
		default:
			n := b.Len()
			for _, c := range norm.NFKC.String(string(r)) {
				if ok(c) {
					b.WriteRune(c)
				} else {
					b.WriteString(pdfBase(c, ok))
				}
			}
			if b.Len() == n {
				b.WriteRune(pdfReplacement)
			}
		}
	}
	return b.String()
}

// pdfBase is c without the accents the fonts lack ("ệ" → "ê", "ư" → "u"),
// "" when they lack its base letter too.
func pdfBase(c rune, ok func(rune) bool) string {
	d := []rune(norm.NFD.String(string(c)))
	if len(d) < 2 || !ok(d[0]) {
		return ""
	}
	kept := string(d[0])
	for _, m := range d[1:] {
		try := norm.NFC.String(kept + string(m))
		if strings.IndexFunc(try, func(r rune) bool { return !ok(r) }) < 0 {
			kept = try
		}
	}
	return kept
}
