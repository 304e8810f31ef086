// Command embedbench serves, from one process, the embed counts of a
// survey with realistic responses and, at /bare, a bare gin handler
// returning a constant, so bench/embed.sh can measure both with wrk in the
// same run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/metlib/canvass/campaign"
	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
	"github.com/metlib/canvass/survey/builtin"
	"github.com/metlib/canvass/survey/store"
	"github.com/metlib/canvass/survey/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "address to listen on")
	responses := flag.Int("responses", 2000, "responses to the landscape survey")
	flag.Parse()
	if err := run(*addr, *responses); err != nil {
		fmt.Fprintln(os.Stderr, "embedbench:", err)
		os.Exit(1)
	}
}

func run(addr string, n int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "embedbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := store.StartEmbedded(dir, quiet)
	if err != nil {
		return err
	}
	defer e.Close()
	st, err := store.Open(ctx, e.URI, "canvass")
	if err != nil {
		return err
	}
	surveys, err := builtin.Surveys()
	if err != nil {
		return err
	}
	for _, s := range surveys {
		s.Status = survey.StatusOpen
		if err := st.CreateSurvey(ctx, s); err != nil {
			return err
		}
	}
	landscape, err := st.FindSurvey(ctx, "landscape")
	if err != nil {
		return err
	}
	for _, r := range demo.Responses(landscape, n, 1, time.Now()) {
		r.Source = "web" // counted as real ones: counts.json leaves canvass demo's out
		if _, _, err := st.CreateResponse(ctx, r); err != nil {
			return err
		}
	}
	srv, err := web.New(web.Config{
		Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st, Logins: st, Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Store: st,
		Logger: quiet, CSRFSecret: []byte("0123456789abcdef0123456789abcdef"),
		Campaign: campaign.New(campaign.Config{Surveys: st, Responses: st, Tokens: st, Users: st, Sessions: st, Passwords: st, Audit: st,
			Libraries: st, Invitations: st, MailTemplates: st, Publications: st, Logger: quiet}),
	})
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	bare := gin.New()
	bare.GET("/bare", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"total": 142}) })
	canvass := srv.Handler()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/bare") {
			bare.ServeHTTP(w, r)
			return
		}
		canvass.ServeHTTP(w, r)
	})
	fmt.Printf("ready: %d responses at http://%s/embed/landscape/counts.json and http://%s/bare\n", n, addr, addr)
	return http.ListenAndServe(addr, handler)
}
