package gateway

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// serveSite serves the static site: files as they are, hashed assets under
// /assets/ with long cache headers, and index.html (never cached) for any
// path without a file extension, so the single-page app handles its routes.
func (g *Gateway) serveSite(w http.ResponseWriter, r *http.Request) {
	if g.siteDir == "" {
		writeError(w, http.StatusNotFound, "not_found", "No site is served.")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "The site is read-only.")
		return
	}
	clean := path.Clean("/" + r.URL.Path)
	name := clean
	if strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	f, st, err := g.openSiteFile(name)
	if err != nil && path.Ext(clean) == "" {
		// A directory with an index (the API reference at /api-docs).
		f, st, err = g.openSiteFile(clean + "/index.html")
	}
	if err != nil && path.Ext(clean) == "" {
		name = "/index.html"
		f, st, err = g.openSiteFile(name)
	}
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	switch {
	case strings.HasPrefix(name, "/assets/"):
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// openSiteFile opens a regular file under the site directory.
func (g *Gateway) openSiteFile(name string) (*os.File, os.FileInfo, error) {
	root, err := os.OpenRoot(g.siteDir)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(strings.TrimPrefix(name, "/")))
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, nil, errors.Join(err, fs.ErrNotExist)
	}
	return f, st, nil
}
