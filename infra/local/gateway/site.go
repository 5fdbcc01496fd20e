package gateway

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	if compressible[path.Ext(name)] && st.Size() >= minCompressBytes {
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if z, err := g.gzipped(name, f, st); err == nil {
				w.Header().Set("Content-Encoding", "gzip")
				http.ServeContent(w, r, name, st.ModTime(), bytes.NewReader(z))
				return
			}
		}
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// The site is served compressed as CloudFront serves it (its cache
// policy compresses text of 1 KB or more for viewers that accept it).
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".svg": true, ".json": true, ".map": true, ".txt": true}

const minCompressBytes = 1000

// acceptsGzip reports whether an Accept-Encoding value takes gzip (named,
// or by *, with a weight above 0).
func acceptsGzip(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.TrimSpace(coding)
		if !strings.EqualFold(coding, "gzip") && coding != "*" {
			continue
		}
		name, value, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.TrimSpace(name) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		return err == nil && q > 0
	}
	return false
}

// gzipKey names one version of a site file.
type gzipKey struct {
	name    string
	modTime time.Time
	size    int64
}

// gzipped returns the file compressed, from the cache while the file is
// unchanged.
func (g *Gateway) gzipped(name string, f io.Reader, st os.FileInfo) ([]byte, error) {
	k := gzipKey{name, st.ModTime(), st.Size()}
	if z, ok := g.gzipCache.Load(k); ok {
		return z.([]byte), nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(zw, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	g.gzipCache.Store(k, buf.Bytes())
	return buf.Bytes(), nil
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
