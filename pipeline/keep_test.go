package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/templates"
)

// KeepResults keeps a submission's results (and a file that is not a
// results file) and names a free file beside it; a dry run's results,
// or the same batch's, may be replaced. Validate, called without asking
// it, refuses rather than replace such a file.
func TestKeepResults(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, meta results.Meta, recs ...order.Result) string {
		p := filepath.Join(dir, name)
		w, err := results.CreateWith(p, []string{"Email"}, meta)
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			if err := w.Write(&recs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dry := write("dry.results.xlsx", results.Meta{}, order.Result{Row: 2, Outcome: order.Valid, Input: []string{"a@x"}})
	sub := write("sub.results.xlsx", results.Meta{Batch: "B1"}, order.Result{Row: 2, Outcome: order.Ordered, Input: []string{"a@x"}, Answer: order.Answer{OrderID: 7}})
	csv := write("sub.csv", results.Meta{}, order.Result{Row: 2, Outcome: order.Uncertain, Input: []string{"a@x"}})
	if err := os.WriteFile(filepath.Join(dir, "sub.results-2.xlsx"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.xlsx")
	os.WriteFile(other, []byte("PK not really"), 0o600)
	for _, c := range []struct {
		path, batch, want, why string
	}{
		{filepath.Join(dir, "new.xlsx"), "", filepath.Join(dir, "new.xlsx"), ""},
		{dry, "", dry, ""},
		{sub, "", filepath.Join(dir, "sub.results-3.xlsx"), "holds the results of batch B1"},
		{sub, "B1", sub, ""},
		{sub, "B2", filepath.Join(dir, "sub.results-3.xlsx"), "holds the results of batch B1"},
		{csv, "", filepath.Join(dir, "sub-2.csv"), "holds the results of a submission"},
		{other, "", filepath.Join(dir, "notes-2.xlsx"), "is not a certbatch results file"},
	} {
		got, kept, err := KeepResults(l10n.Printer{}, c.path, c.batch)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want || (kept == nil) != (c.why == "") || kept != nil && !strings.Contains(kept.Message, c.why) {
			t.Errorf("KeepResults(%s, %q) = %s, %+v; want %s, %q", filepath.Base(c.path), c.batch, got, kept, c.want, c.why)
		}
	}
	set, _ := templates.Builtin()
	cfg, _ := mapping.ParseConfig([]byte("product: client_authentication_plus\norder: {organization: {id: 1}, validity_years: 1}\n"))
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("Full Name,Email\nAnn,ann@example.com\n"), 0o600)
	_, err := Validate(context.Background(), ValidateOptions{Source: Source{Input: in, Config: cfg, Templates: set}, Output: sub})
	var oe *OutputError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "will not replace") {
		t.Errorf("Validate over a submission's results = %v", err)
	}
}
