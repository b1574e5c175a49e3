package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// makeDryRun runs `make -n target` with PATH set to path and returns
// its output. $(shell ...) in the Makefile still runs under -n.
func makeDryRun(t *testing.T, path string, target string) string {
	t.Helper()
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	cmd := exec.Command(mk, "-n", target)
	cmd.Env = append(os.Environ(), "PATH="+path)
	cmd.Env = slicesWithout(cmd.Env, "CGO_ENABLED=", "CC=", "RACE=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %s: %v\n%s", target, err, out)
	}
	return string(out)
}

func slicesWithout(env []string, prefixes ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// TestMakeTestWithoutCompiler: on a machine with Go and make but no C
// compiler, `make test` runs the tests without -race and says so.
func TestMakeTestWithoutCompiler(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := t.TempDir()
	// Only go: no gcc, cc or clang.
	if err := os.Symlink(goBin, filepath.Join(dir, "go")); err != nil {
		t.Fatal(err)
	}
	out := makeDryRun(t, dir, "test")
	if strings.Contains(out, "-race") {
		t.Errorf("without a C compiler, make test still uses -race:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^go test +-count=1 -timeout 60m \./\.\.\.$`).MatchString(out) {
		t.Errorf("make test does not run go test ./...:\n%s", out)
	}
	if !strings.Contains(out, `race detector: off (no C compiler`) {
		t.Errorf("make test does not say the race detector is off:\n%s", out)
	}
}

// TestMakeTestWithCompiler: with a C compiler, make test uses -race.
func TestMakeTestWithCompiler(t *testing.T) {
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		t.Skip("go env:", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "1" {
		t.Skip("no C compiler here")
	}
	if _, err := exec.LookPath(f[1]); err != nil {
		t.Skip("no C compiler here")
	}
	got := makeDryRun(t, os.Getenv("PATH"), "test")
	if !strings.Contains(got, "go test -race -count=1 -timeout 60m ./...") || !strings.Contains(got, `race detector: on`) {
		t.Errorf("with a C compiler, make test does not use -race:\n%s", got)
	}
}

// TestMakefileNoIgnoredErrors: no recipe line starts with "-" (make
// would print "Error (ignored)"); expected failures are handled in the
// shell and their exit code printed on purpose.
func TestMakefileNoIgnoredErrors(t *testing.T) {
	b, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "\t-") || strings.HasPrefix(line, "\t@-") {
			t.Errorf("Makefile:%d: recipe line ignores its error with '-': %s", i+1, line)
		}
	}
}

// TestDemo runs the demo script against a fresh build: every step ends
// with the exit code it expects, the confirmation and the progress bar
// show once, and the uncertain row is recovered.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds certbatch and runs the demo (about 5 s)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "certbatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command("sh", "scripts/demo.sh", filepath.Join(dir, "demo-out"))
	cmd.Env = append(os.Environ(), "CERTBATCH="+bin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{"(exit 3: ", "(exit 4: ", "ordered (recovered)", "== 8.",
		"5 ordered (secure_email_mailbox: 1 ordered; secure_email_organization: 1 ordered; secure_email_sponsor: 3 ordered)"} {
		if !strings.Contains(s, want) {
			t.Errorf("demo output lacks %q:\n%s", want, s)
		}
	}
	if _, err := exec.LookPath("script"); err == nil {
		for _, want := range []string{"Type yes to continue: ", "ordering "} {
			if strings.Count(s, want) < 1 {
				t.Errorf("demo output lacks %q (the confirmation and the progress bar):\n%s", want, s)
			}
		}
		if n := strings.Count(s, "Type yes to continue"); n != 1 {
			t.Errorf("the confirmation shows %d times, want once", n)
		}
	}
	if strings.Contains(s, "Error") || strings.Contains(s, "FAILED") {
		t.Errorf("demo output has errors:\n%s", s)
	}
}
