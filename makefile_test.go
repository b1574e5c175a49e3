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
	if !regexp.MustCompile(`(?m)^go test +-count=1 \./\.\.\.$`).MatchString(out) {
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
	if !strings.Contains(got, "go test -race -count=1 ./...") || !strings.Contains(got, `race detector: on`) {
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
