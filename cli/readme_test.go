package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readmeTable returns the rows of the first Markdown table after the
// heading, as cells.
func readmeTable(t *testing.T, heading string) [][]string {
	t.Helper()
	b, err := os.ReadFile(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no heading %q", heading)
	}
	var rows [][]string
	inTable := false
	for _, line := range strings.Split(s[i+len(heading)+2:], "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(cells[k])
		}
		if strings.HasPrefix(cells[0], "---") {
			continue
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 {
		t.Fatalf("README: no table under %q", heading)
	}
	return rows[1:] // without the header row
}

// The README's exit-code table and --help are the code's table.
func TestExitCodesDocumented(t *testing.T) {
	rows := readmeTable(t, "### Exit codes")
	if len(rows) != len(ExitCodes) {
		t.Fatalf("README lists %d exit codes, the code %d", len(rows), len(ExitCodes))
	}
	for i, c := range ExitCodes {
		if rows[i][0] != strconv.Itoa(c.Code) || rows[i][1] != c.Meaning {
			t.Errorf("README exit code row %d = %q, code says %d %q", i+1, rows[i], c.Code, c.Meaning)
		}
	}
	var out bytes.Buffer
	root := NewRoot(IO{Out: &out, Err: &out, Getenv: func(string) string { return "" }})
	root.SetOut(&out)
	root.SetArgs([]string{"--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, c := range ExitCodes {
		if !regexp.MustCompile(`(?m)^\s+` + strconv.Itoa(c.Code) + `\s+` + regexp.QuoteMeta(c.Meaning) + `$`).MatchString(out.String()) {
			t.Errorf("--help lacks exit code %d %q", c.Code, c.Meaning)
		}
	}
}

// The README's layout table names every folder of the tree that holds Go
// code or project files, and nothing that is not there.
func TestLayoutDocumented(t *testing.T) {
	var documented []string
	for _, r := range readmeTable(t, "## Layout") {
		documented = append(documented, strings.Trim(strings.TrimSuffix(strings.Trim(r[0], "`"), "/"), "`"))
	}
	var tree []string
	root := repoFile()
	top, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range top {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".") || name == "demo-out" || name == "certbatch":
		case e.IsDir() && name == "internal":
			sub, _ := os.ReadDir(filepath.Join(root, name))
			for _, s := range sub {
				if s.IsDir() {
					tree = append(tree, "internal/"+s.Name())
				}
			}
		case e.IsDir(), name == "main.go":
			tree = append(tree, name)
		}
	}
	for _, d := range tree {
		if !slices.Contains(documented, d) {
			t.Errorf("README layout table lacks %s", d)
		}
	}
	for _, d := range documented {
		if !slices.Contains(tree, d) {
			t.Errorf("README layout table names %s, which is not in the tree", d)
		}
	}
}

// The README's example config works as it is with a workbook that
// `certbatch template` wrote and a person filled in.
func TestReadmeConfigFitsTheTemplate(t *testing.T) {
	b, err := os.ReadFile(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "### Configuration")
	start := strings.Index(s[i:], "```yaml\n") + i + len("```yaml\n")
	end := strings.Index(s[start:], "```") + start
	dir := t.TempDir()
	cfg := filepath.Join(dir, "batch.yaml")
	os.WriteFile(cfg, []byte(s[start:end]), 0o600)
	tpl := filepath.Join(dir, "staff.csv")
	if r := run(t, nil, "template", "--product", "client_premium", "-o", tpl, "--no-config"); r.code != 0 {
		t.Fatalf("template: %d %s", r.code, r.stderr)
	}
	head, _ := os.ReadFile(tpl)
	header := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(head), "\uFEFF")), ",")
	fill := map[string]string{"Product": "client_premium", "Employee ID": "E1", "Common Name": "Ann Lee", "Email": "ann@corp.example.net",
		"First Name": "Ann", "Last Name": "Lee", "Organization Units": "R&D"}
	row := make([]string, len(header))
	for k, h := range header {
		row[k] = fill[h]
	}
	os.WriteFile(tpl, []byte(strings.Join(header, ",")+"\r\n"+strings.Join(row, ",")+"\r\n"), 0o600)
	r := run(t, nil, "validate", tpl, "--config", cfg, "-o", filepath.Join(dir, "r.csv"), "--quiet")
	if r.code != 0 {
		t.Errorf("the README's config with a template workbook: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
