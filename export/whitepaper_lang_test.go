package export_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/metlib/canvass/analysis"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/disclosure"
	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
)

// englishScaffolding are words the workbook's own English text uses (and
// the analysis's notes and labels); none may appear in a French or Spanish
// workbook. Whole words, so "Groupe" does not match "Group".
var englishScaffolding = regexp.MustCompile(`\b(Base:|asked of|Answer|Respondents|respondents|Multiple answers|expected counts|Source:|December|fewer than|Contents|Table \d|Mean|Median|Group|Number chosen|Evidence family|Note:|chi-square|Pearson chi|Spearman's|Generated|Filters|Percentages|under \d|and over|IFLA region|Row|Value|Statistic|Outliers|Top two|CI low|CI high|of mentions|Ranked|No answers|Total respondents|inferred|solicited|observed|framework|economic|comparative)\b`)

func TestWhitePaperHasNoEnglishInFrenchOrSpanish(t *testing.T) {
	surveys, _ := builtin.Surveys()
	impact := surveys[1]
	rs := demo.Responses(impact, 300, 4, time.Now())
	generated := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, contents, source string
	}{
		{"fr", "Sommaire", "Source\u00a0: Enquête sur les méthodes de mesure d'impact, 300 réponses. Canvass, 1er décembre 2026."},
		{"es", "Índice", "Fuente: Encuesta sobre métodos de medición del impacto, 300 respuestas. Canvass, 1 de diciembre de 2026."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			rep, err := analysis.Report(impact, survey.ResponsesOf(rs), analysis.Options{Lang: tc.lang})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			rules := disclosure.RulesOf(impact)
			if err := export.WhitePaper(&buf, disclosure.Publish(rep, nil, rules).Report, export.WhitePaperOptions{Options: export.Options{Generated: generated}, Disclosed: &rules}); err != nil {
				t.Fatal(err)
			}
			f := readXLSX(t, buf.Bytes())
			if got := f.GetSheetList()[0]; got != tc.contents {
				t.Errorf("first sheet %q, want %q", got, tc.contents)
			}
			sources := 0
			for _, name := range f.GetSheetList() {
				if englishScaffolding.MatchString(name) {
					t.Errorf("sheet name %q is English", name)
				}
				rows, err := f.GetRows(name)
				if err != nil {
					t.Fatal(err)
				}
				for r, row := range rows {
					for c, v := range row {
						axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
						if m := englishScaffolding.FindString(v); m != "" {
							t.Errorf("%s!%s %q: English %q", name, axis, v, m)
						}
						if v == tc.source {
							sources++
						}
					}
				}
			}
			if sources != len(rep.Tables) {
				t.Errorf("%d sheets end with %q, want %d", sources, tc.source, len(rep.Tables))
			}
		})
	}
}

// TestWhitePaperStatistics checks the rows that hold statistics: each is a
// label and then numbers (never "Mean", 9.8, "SD", 4.2 in one row), and an
// undefined statistic is "–" next to its base.
func TestWhitePaperStatistics(t *testing.T) {
	s, rs := fixtureData(t)
	// Size: one value, so its SD is undefined.
	rep, err := analysis.Report(s, survey.ResponsesOf(rs), analysis.Options{Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WhitePaper(&buf, rep, export.WhitePaperOptions{}); err != nil {
		t.Fatal(err)
	}
	f := readXLSX(t, buf.Bytes())
	var size, agree string
	for i, tab := range rep.Tables {
		switch tab.Spec.Question {
		case "size":
			size = f.GetSheetList()[i+1]
		case "agree":
			agree = f.GetSheetList()[i+1]
		}
	}
	rows, _ := f.GetRows(size)
	if got := strings.Join(rows[3], "|"); got != "n|Moyenne|Écart type|Minimum|Q1|Médiane|Q3|Maximum|Valeurs atypiques" {
		t.Errorf("number header %q", got)
	}
	if got := rows[4]; got[0] != "1" || got[1] != "12.50" || got[2] != "–" {
		t.Errorf("one value 12.5: row %q, want n 1, mean 12.5, SD –", got)
	}
	rows, _ = f.GetRows(agree)
	labels := map[string]bool{"Moyenne": true, "Écart type": true, "Médiane": true}
	seen := 0
	for _, row := range rows {
		for i, v := range row {
			if labels[v] {
				seen++
				if i != 0 || len(row) != 2 {
					t.Errorf("statistic row %q mixes labels and values", row)
				}
			}
		}
	}
	if seen != 3 {
		t.Errorf("likert sheet has %d statistic rows, want 3: %q", seen, rows)
	}
}
