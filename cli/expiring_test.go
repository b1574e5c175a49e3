package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/sandbox"
)

// expiring lists the certificates that expire soon, by person, soonest
// first, as a table or a workbook; the journal names its people, order
// info the others.
func TestExpiringListsCertificatesByPerson(t *testing.T) {
	e := newEnv(t, 1, sandbox.Config{Holdings: []sandbox.Holding{
		{Email: "in45@example.com", ExpiresIn: 45}, {Email: "in10@example.com", ExpiresIn: 10}, {Email: "in90@example.com", ExpiresIn: 90},
	}})
	if r := e.submit(); r.code != 0 { // person1, valid for a year
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	r := e.cmd("expiring", "--within", "60d")
	if r.code != 0 {
		t.Fatalf("expiring: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "in10@example.com") || !strings.HasPrefix(lines[2], "in45@example.com") ||
		!strings.Contains(lines[1], " 10 ") || strings.Contains(r.stdout, "person1") || strings.Contains(r.stdout, "in90") {
		t.Fatalf("table:\n%s", r.stdout)
	}
	out := filepath.Join(e.dir, "expiring.xlsx")
	r = e.cmd("expiring", "--within", "400d", "-o", out)
	if r.code != 0 || !strings.Contains(r.stdout, "4 certificates expiring within 400d written to") {
		t.Fatalf("workbook: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	tbl, err := x.GetRows("Expiring")
	if err != nil || len(tbl) != 5 || tbl[0][0] != "Email" || tbl[4][0] != "person1@example.com" || tbl[4][1] != "e1" || tbl[1][0] != "in10@example.com" {
		t.Errorf("workbook rows: %v %v", tbl, err)
	}
}
