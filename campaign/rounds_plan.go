package campaign

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/metlib/canvass/directory"
	"github.com/metlib/canvass/survey"
)

// planRound reads an old round's table (records; the first is the
// headers) for wave: maps its columns to the wave's questions and to the
// directory fields rows are matched by, matches each row to its library
// and checks its values, filling in res. It returns the responses a
// confirmation writes (those of the rows without problems). EINVALID when
// no column can tell which library a row is.
func (s *Service) planRound(ctx context.Context, wave *survey.Survey, records [][]string, res *ImportRoundResult) ([]plannedResponse, error) {
	headers := records[0]
	known := wave.TableHeaders()
	// The survey's own questions about the library (survey.LibraryFields)
	// match rows too, whatever their columns' headers: "Name of the
	// library" is the name when it is library_name's label.
	asked := map[string]string{}
	for _, f := range survey.LibraryFields {
		if slices.Contains(directory.MatchFields, f.Field) {
			asked[f.Question] = f.Field
		}
	}
	cols := make([]survey.TableColumn, len(headers))
	match := make([]string, len(headers))
	answered, matchedBy := map[string]bool{}, map[string]bool{}
	for i, h := range headers {
		if strings.TrimSpace(h) == "" {
			continue
		}
		rc := RoundColumn{Column: i + 1, Header: h}
		if tc, ok := known[survey.FoldHeader(h)]; ok && !answered[tc.Key()] {
			// A second column for the same answer is left out.
			answered[tc.Key()], cols[i] = true, tc
			rc.Question, rc.Part = tc.Question.ID, columnPart(tc)
		}
		f := directory.MatchField(h)
		if q := cols[i].Question; f == "" && q != nil && rc.Part == "" {
			f = asked[q.ID]
		}
		if f != "" && !matchedBy[f] {
			matchedBy[f], match[i], rc.Match = true, f, f
		}
		if rc.Question == "" && rc.Match == "" {
			res.Unmapped = append(res.Unmapped, h)
			continue
		}
		res.Columns = append(res.Columns, rc)
	}
	if len(matchedBy) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "No column says which library a row is: give a library id column (\"library id\"), or the name with city and country, the website or a contact's email, as in the directory.")
	}
	libs, _, err := s.cfg.Libraries.ListLibraries(ctx, survey.LibraryFilter{})
	if err != nil {
		return nil, err
	}
	matcher := directory.NewMatcher(libs)
	lang := wave.DefaultLanguage
	rowOf := map[string]int{} // library id → the row that is its response
	var planned []plannedResponse
	add := func(list *[]RoundProblem, p RoundProblem) {
		if len(*list) < MaxRoundProblems {
			*list = append(*list, p)
		}
	}
	for n, rec := range records[1:] {
		row := n + 2
		if !slices.ContainsFunc(rec, func(c string) bool { return strings.TrimSpace(c) != "" }) {
			continue
		}
		res.Rows++
		problems := 0
		problem := func(p RoundProblem) {
			p.Row = row
			problems++
			res.ProblemCount++
			add(&res.Problems, p)
		}
		fields := map[string]string{}
		var keyHeaders, keyValues []string
		for i, f := range match {
			if f != "" && i < len(rec) && strings.TrimSpace(rec[i]) != "" {
				fields[f] = rec[i]
				keyHeaders, keyValues = append(keyHeaders, headers[i]), append(keyValues, strings.TrimSpace(rec[i]))
			}
		}
		if extra := rec[min(len(headers), len(rec)):]; slices.ContainsFunc(extra, func(c string) bool { return strings.TrimSpace(c) != "" }) {
			// More values than headers: the row is likely shifted (a stray
			// separator), and its values would land under the wrong questions.
			extra = slices.DeleteFunc(slices.Clone(extra), func(c string) bool { return strings.TrimSpace(c) == "" })
			problem(RoundProblem{Value: strings.Join(extra, " | "), Reason: fmt.Sprintf("the row has %d values, the header %d columns: a value past the last column has no question (a stray comma or semicolon shifts the row)", len(rec), len(headers))})
		}
		lib, why := matcher.Match(fields)
		switch {
		case lib == nil:
			problem(RoundProblem{Column: strings.Join(keyHeaders, ", "), Value: strings.Join(keyValues, " | "), Reason: "no library: " + why})
		case rowOf[lib.ID] != 0:
			problem(RoundProblem{Column: strings.Join(keyHeaders, ", "), Value: strings.Join(keyValues, " | "),
				Reason: "the same library as row " + strconv.Itoa(rowOf[lib.ID]) + " (" + lib.Name + "): a round has one response per library"})
		default:
			rowOf[lib.ID] = row
			res.Matched++
		}
		raw, unread := wave.TableAnswers(cols, rec)
		for _, cp := range unread {
			problem(RoundProblem{Column: headers[cp.Column], Question: cols[cp.Column].Question.ID, Value: strings.TrimSpace(rec[cp.Column]), Reason: cp.Message})
		}
		answers, err := wave.CheckDraft(raw, lang)
		for _, fe := range survey.ErrorFields(err) {
			column, value := cellsOf(cols, headers, rec, fe.Question)
			problem(RoundProblem{Column: column, Question: fe.Question, Value: value, Reason: fe.Message})
		}
		if err != nil && len(survey.ErrorFields(err)) == 0 {
			problem(RoundProblem{Reason: survey.ErrorMessage(err)})
		}
		if problems > 0 || err != nil {
			continue
		}
		for _, key := range sortedKeys(raw) {
			if _, kept := answers[key]; kept || !given(raw[key]) {
				continue
			}
			column, value := cellsOf(cols, headers, rec, key)
			reason := "left out: the survey does not ask this question given the row's other answers (show_if)"
			if strings.HasSuffix(key, survey.OtherSuffix) {
				reason = "left out: the row does not choose the option this text specifies"
			}
			add(&res.Dropped, RoundProblem{Row: row, Column: column, Question: key, Value: value, Reason: reason})
		}
		planned = append(planned, plannedResponse{row: row, library: lib, answers: answers})
	}
	return planned, nil
}

// columnPart names the part of an answer a column holds, for the mapping
// shown: "other", a matrix row's id, an option's value, or "" for the
// whole answer.
func columnPart(tc survey.TableColumn) string {
	switch {
	case tc.Other:
		return "other"
	case tc.Row != "":
		return tc.Row
	}
	return string(tc.Option)
}

// cellsOf are the headers and the values of the columns that hold answer
// key (a question id, or "qid_other"), for a problem's report.
func cellsOf(cols []survey.TableColumn, headers, rec []string, key string) (column, value string) {
	var hs, vs []string
	for i, c := range cols {
		if c.Question == nil || i >= len(rec) {
			continue
		}
		if k := c.Question.ID; c.Other {
			k += survey.OtherSuffix
			if k != key {
				continue
			}
		} else if k != key {
			continue
		}
		hs = append(hs, headers[i])
		if v := strings.TrimSpace(rec[i]); v != "" {
			vs = append(vs, v)
		}
	}
	if len(hs) == 0 {
		return key, ""
	}
	return strings.Join(hs, ", "), strings.Join(vs, " | ")
}

// given reports whether a raw answer says something: not an empty list or
// table (a multi_choice's 0/1 columns all 0).
func given(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case string:
		return x != ""
	}
	return v != nil
}
