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

// The order bodies of the samples are pinned in golden files; run
// `go test ./cli -run Golden -update` after a deliberate change and
// review the diff.
func TestPayloadsGolden(t *testing.T) {
	for _, c := range []struct{ input, config string }{
		{"client.csv", "client.yaml"}, {"document_signing.xlsx", "document_signing.yaml"},
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
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("payloads differ from %s (run with -update after a deliberate change)\n got: %s\nwant: %s", golden, got, want)
			}
		})
	}
}
