package web_test

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/metlib/canvass/internal/workbook/workbooktest"
	"github.com/metlib/canvass/survey"
)

// TestHostileWorkbooksAre413 posts the small hostile workbooks of issue 13
// to the import APIs through the router: 413 with the error shape and a
// message naming the limit, and no survey stored.
func TestHostileWorkbooksAre413(t *testing.T) {
	a := newApp(t)
	admin := a.token(survey.RoleAdmin)
	xfd := func(sheet string) string {
		return string(workbooktest.Workbook(workbooktest.Sheet{Name: sheet, Data: func(w *bufio.Writer) {
			workbooktest.Row(w, 1, "A1", "type", "B1", "name")
			for r := 2; r <= 6001; r++ {
				workbooktest.Row(w, r, fmt.Sprintf("XFD%d", r), "x")
			}
		}}))
	}
	bomb, _ := workbooktest.Bomb(2 << 20)
	const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	cases := []struct{ name, path, body, want string }{
		{"library import, column XFD", "/api/v1/libraries/import", xfd("Sheet1"), "has a cell in column XFD; an import may use at most 100 columns"},
		{"library import, zip bomb", "/api/v1/libraries/import", string(bomb), "unpacks to more than 64 MiB"},
		{"XLSForm import, column XFD", "/api/v1/surveys/import", xfd("survey"), "has a cell in column XFD; an import may use at most 200 columns"},
		{"XLSForm import, zip bomb", "/api/v1/surveys/import", string(bomb), "unpacks to more than 64 MiB"},
		{"old round, column XFD", "/api/v1/surveys/closed-one/waves/import?wave=2019", xfd("Sheet1"), "has a cell in column XFD; an import may use at most 100 columns"},
		{"old round, zip bomb", "/api/v1/surveys/closed-one/waves/import?wave=2019&confirm=true", string(bomb), "unpacks to more than 64 MiB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(request{method: http.MethodPost, path: tc.path, body: tc.body, contentType: xlsxType, token: admin})
			e := decode[errorResponse](t, rec)
			if rec.Code != http.StatusRequestEntityTooLarge || e.Error.Code != "too_large" || !strings.Contains(e.Error.Message, tc.want) {
				t.Errorf("got %d %s %q, want 413 too_large with %q", rec.Code, e.Error.Code, e.Error.Message, tc.want)
			}
		})
	}
}
