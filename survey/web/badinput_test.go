package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBadInputOnPublicEndpoints throws malformed and hostile input at every
// public endpoint that takes input: each must answer 4xx with the
// documented error shape (JSON) or a page (HTML), never 5xx or a panic, and
// store nothing.
func TestBadInputOnPublicEndpoints(t *testing.T) {
	a := newApp(t)
	deep := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	deepArray := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	api := "/api/v1/surveys/every-type/responses"
	// A multipart form past newApp's 64 KiB body limit (security_body_test.go
	// sends 31 MiB ones over the network and counts what is read).
	const multipartType = "multipart/form-data; boundary=x"
	bigMultipart := "--x\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nfr\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n" +
		strings.Repeat("x", 200<<10) + "\r\n--x--\r\n"
	cases := []struct {
		name, path, body, contentType string
	}{
		{"empty body", api, "", "application/json"},
		{"malformed", api, `{"answers": {"pick": }`, "application/json"},
		{"truncated", api, `{"submission_id": "abcdefgh", "answers": {"pick": "a"`, "application/json"},
		{"not an object", api, `["answers"]`, "application/json"},
		{"null", api, `null`, "application/json"},
		{"wrong type of answers", api, `{"answers": "pick=a"}`, "application/json"},
		{"wrong type of submission id", api, `{"submission_id": 12345678, "answers": {}}`, "application/json"},
		{"huge number", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "count": 1e400}}`, "application/json"},
		{"huge integer", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "count": 123456789012345678901234567890}}`, "application/json"},
		{"NaN", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "count": NaN}}`, "application/json"},
		{"NaN as text", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "count": "NaN"}}`, "application/json"},
		{"Infinity", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "count": "-Infinity"}}`, "application/json"},
		{"deeply nested object", api, `{"answers": {"essay": ` + deep + `}}`, "application/json"},
		{"deeply nested array", api, `{"answers": {"many": ` + deepArray + `}}`, "application/json"},
		{"dollar key", api, `{"answers": {"$where": "1", "pick": "a", "grid": {"r1": "lo"}}}`, "application/json"},
		{"dotted key", api, `{"answers": {"pick.x": "a", "grid": {"r1": "lo"}}}`, "application/json"},
		{"dollar row", api, `{"answers": {"pick": "a", "grid": {"$gt": "lo"}}}`, "application/json"},
		{"dollar value", api, `{"answers": {"pick": {"$ne": null}, "grid": {"r1": "lo"}}}`, "application/json"},
		{"NUL byte", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}, "essay": "a\u0000b"}}`, "application/json"},
		{"invalid UTF-8", api, "{\"answers\": {\"pick\": \"a\", \"grid\": {\"r1\": \"lo\"}, \"essay\": \"\xff\xfe\"}}", "application/json"},
		{"oversized", api, `{"answers": {"essay": "` + strings.Repeat("x", 70<<10) + `"}}`, "application/json"},
		{"trailing data", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}}} trailing`, "application/json"},
		{"two values", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}{"answers": {}}`, "application/json"},
		{"text/plain", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "text/plain"},
		{"no content type", api, `{"answers": {"pick": "a", "grid": {"r1": "lo"}}}`, ""},
		{"form to the API", api, "pick=a", "application/x-www-form-urlencoded"},
		{"multipart to the API", api, "--x\r\n\r\n--x--", "multipart/form-data; boundary=x"},
		{"bad language", api, `{"language": "\u0000", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "application/json"},
		{"long submission id", api, `{"submission_id": "` + strings.Repeat("a", 500) + `", "answers": {"pick": "a", "grid": {"r1": "lo"}}}`, "application/json"},
		{"form without token", "/s/every-type", "pick=a&grid%5Br1%5D=lo", "application/x-www-form-urlencoded"},
		{"form malformed encoding", "/s/every-type", "pick=%zz&grid%5Br1%5D=lo", "application/x-www-form-urlencoded"},
		{"form oversized", "/s/every-type", "essay=" + strings.Repeat("x", 70<<10), "application/x-www-form-urlencoded"},
		{"form NUL and invalid UTF-8", "/s/every-type", "pick=a&grid%5Br1%5D=lo&essay=" + url.QueryEscape("a\x00\xff"), "application/x-www-form-urlencoded"},
		{"form as JSON", "/s/every-type", `{"pick": "a"}`, "application/json"},
		{"multipart form oversized", "/s/every-type", bigMultipart, multipartType},
		{"multipart form without a boundary", "/s/every-type", bigMultipart, "multipart/form-data"},
		{"multipart form truncated", "/s/every-type", "--x\r\nContent-Disposition: form-data; name=\"pick\"\r\n\r\na", "multipart/form-data; boundary=x"},
		{"multipart to an unknown survey", "/s/no-such-survey", bigMultipart, multipartType},
		{"multipart to no route", "/nowhere", bigMultipart, multipartType},
		{"multipart to the sign-in", "/admin/login", bigMultipart, multipartType},
		{"multipart to the API upload without a token", "/api/v1/surveys/import", bigMultipart, multipartType},
		{"login garbage", "/admin/login", "email=%00%ff&password=" + strings.Repeat("p", 5000), "application/x-www-form-urlencoded"},
		{"setup with a wrong token", "/admin/setup", "token=nope&password=x", "application/x-www-form-urlencoded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := a.do(request{method: http.MethodPost, path: tc.path, body: tc.body, contentType: tc.contentType})
			if rec.Code < 400 || rec.Code >= 500 {
				t.Fatalf("status %d, want 4xx: %.200s", rec.Code, rec.Body)
			}
			if strings.HasPrefix(tc.path, "/api/") {
				e := decode[errorResponse](t, rec)
				if e.Error.Code == "" || e.Error.Message == "" {
					t.Errorf("no error shape: %.200s", rec.Body)
				}
			} else if !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
				t.Errorf("an HTML endpoint answered %s", rec.Header().Get("Content-Type"))
			}
		})
	}
	for _, path := range []string{"/s/every-type?lang=%ff", "/s/%00", "/api/v1/surveys/%24where/form", "/admin/setup?token=" + strings.Repeat("x", 4000), "/s/every-type/thanks?lang=" + strings.Repeat("x", 3000)} {
		if rec := a.do(request{path: path}); rec.Code >= 500 {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	if n := a.countResponses("every-type"); n != 0 {
		t.Errorf("%d responses stored from bad input", n)
	}
}
