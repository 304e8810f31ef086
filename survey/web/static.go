package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFiles embed.FS

var staticFS = func() http.FileSystem {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return http.FS(sub)
}()

// serveStatic serves the embedded CSS and JavaScript. Names carry no
// version, so caches must revalidate after an hour.
func serveStatic(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if name == "" || strings.HasSuffix(name, "/") {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.FileFromFS(name, staticFS)
}

// serveWidget serves the embed script under any survey's path, so a host
// page's snippet names one URL.
func serveWidget(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.FileFromFS("widget.js", staticFS)
}
