package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files are split by concern before they grow long: no non-test Go file
// over 450 lines, and main stays thin (under 40 lines: it hands the
// process to cli.Run).
func TestFileSizes(t *testing.T) {
	const maxLines, maxMain = 450, 40
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata" || d.Name() == "demo-out") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n := bytes.Count(b, []byte("\n"))
		limit := maxLines
		if path == "main.go" {
			limit = maxMain - 1
		}
		if n > limit {
			t.Errorf("%s has %d lines, at most %d allowed", path, n, limit)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
