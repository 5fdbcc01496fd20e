package api

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"roster/shared/domain"
)

// TestEveryCodeHasAStatus checks the error catalog against the one
// kind-to-status table: no code answers 500 by mistake.
func TestEveryCodeHasAStatus(t *testing.T) {
	if len(domain.Codes()) < 60 {
		t.Fatalf("got %d codes, want the whole catalog", len(domain.Codes()))
	}
	for _, c := range domain.Codes() {
		if got := StatusOf(c.Kind); got < 400 || got >= 500 && got != 503 {
			t.Errorf("%s: kind %q answers %d, want a 4xx status or 503", c.Name, c.Kind, got)
		}
		if c.Message == "" || !strings.HasSuffix(c.Message, ".") {
			t.Errorf("%s: default message %q, want a sentence", c.Name, c.Message)
		}
	}
}

// inlineCode finds an error code written inline in production code, as a
// Code field of an Error literal.
var inlineCode = regexp.MustCompile(`Code:\s*"`)

// TestNoInlineCodes holds production code to the catalog: codes come from
// domain.Code values, never from string literals.
func TestNoInlineCodes(t *testing.T) {
	root := "../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := inlineCode.FindIndex(b); loc != nil {
			t.Errorf("%s: an error code written inline; declare it in shared/domain/codes_catalog.go", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
