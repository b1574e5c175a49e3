package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenHeader splits a golden file into its header (the leading "#"
// lines: which DigiCert page each body is written from) and its body.
func goldenHeader(b []byte) (header, body []byte) {
	for len(b) > 0 && b[0] == '#' {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b) - 1
		}
		header, b = append(header, b[:i+1]...), b[i+1:]
	}
	return header, b
}

// The order bodies of the samples are pinned in golden files whose
// header names the page each product's body follows; run
// `go test ./cli -run Golden -update` after a deliberate change and
// review the diff (the header is kept).
func TestPayloadsGolden(t *testing.T) {
	for _, c := range []struct{ input, config string }{
		{"client.csv", "client.yaml"}, {"document_signing.xlsx", "document_signing.yaml"},
		{"secure_email.csv", "secure_email.yaml"}, {"ds.csv", "ds.yaml"},
	} {
		t.Run(c.input, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "p.jsonl")
			if r := run(t, nil, "validate", repoFile("samples", c.input), "--config", repoFile("samples", c.config),
				"-o", filepath.Join(dir, "r.csv"), "--payloads", p, "--quiet"); r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			got, _ := os.ReadFile(p)
			golden := filepath.Join("testdata", strings.TrimSuffix(c.input, filepath.Ext(c.input))+".payloads.golden.jsonl")
			old, err := os.ReadFile(golden)
			header, want := goldenHeader(old)
			if *update {
				if err := os.WriteFile(golden, append(header, got...), 0o644); err != nil {
					t.Fatal(err)
				}
				want, err = got, nil
			}
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Contains(header, []byte("# Written from https://")) {
				t.Errorf("%s: the header names no page the bodies are written from", golden)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("payloads differ from %s (run with -update after a deliberate change)\n got: %s\nwant: %s", golden, got, want)
			}
		})
	}
}
