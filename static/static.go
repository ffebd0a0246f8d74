// Package static embeds the built assets (Tailwind CSS, htmx, the app's
// small script) and serves them under content-hashed paths with long cache
// headers. It imports nothing of the app.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Prefix is the URL path the assets are served under.
const Prefix = "/static/"

//go:embed css js
var files embed.FS

var (
	hashed   = map[string]string{} // name -> hashed name
	original = map[string]string{} // hashed name -> name
)

func init() {
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		hashed[name], original[h] = h, name
		return nil
	})
}

// Path returns the content-hashed URL of an embedded asset, for example
// Path("css/app.css") = "/static/css/app.1a2b3c4d5e6f.css". An unknown name
// is returned unhashed.
func Path(name string) string {
	if h, ok := hashed[name]; ok {
		return Prefix + h
	}
	return Prefix + name
}

// Handler serves the assets under Prefix. Hashed paths are immutable and
// cached for a year; plain names are served too, revalidated every time.
func Handler() http.Handler {
	fileServer := http.FileServerFS(files)
	return http.StripPrefix(strings.TrimSuffix(Prefix, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if orig, ok := original[name]; ok {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + orig
			fileServer.ServeHTTP(w, r2)
			return
		}
		if _, ok := hashed[name]; !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		fileServer.ServeHTTP(w, r)
	}))
}
