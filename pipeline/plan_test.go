package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/templates"
)

// Placeholder addresses (RFC 2606) are counted and warned about, except
// on the sandbox.
func TestPlanWarnsAboutPlaceholderAddresses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("Full Name,Email,First Name,Last Name\nA,a@corp.example.com,A,A\nB,b@example.org,B,B\nC,c@corp.example.net.au,C,C\n"), 0o600)
	set, _ := templates.Builtin()
	cfg, _ := mapping.ParseConfig([]byte("product: client_premium\norder: {organization: {id: 1}, validity_years: 1}\n"))
	j, err := journal.Open(journal.Memory, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, sandbox := range []bool{false, true} {
		o := SubmitOptions{Source: Source{Input: in, Config: cfg, Templates: set}, Journal: j, Sandbox: sandbox,
			Output: filepath.Join(dir, "r.csv"), NoAccountCheck: true}
		p, err := PlanSubmit(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		want := 2
		if sandbox {
			want = 0
		}
		var b strings.Builder
		p.Describe(&b)
		if p.Placeholders != want || strings.Contains(b.String(), "WARNING") != (want > 0) {
			t.Errorf("sandbox %v: %d placeholders, want %d\n%s", sandbox, p.Placeholders, want, b.String())
		}
	}
}
