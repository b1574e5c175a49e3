package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

// A row given a seed page's product ID (client_premium_sha2) is ordered
// under today's ID, the only one DigiCert's client certificate page lists
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-client-certificate.html):
// the sandbox records the ID each order was POSTed under. The journal
// keeps one identity for both IDs (product_key), so nobody is ordered
// again under the other.
func TestSeedIDsAreOrderedUnderTodaysID(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{}) // clientConfigYAML says client_premium_sha2
	r := e.submit()
	if r.code != 0 || !strings.Contains(r.stdout, "(client_premium: 3 ordered)") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, o := range e.sb.Orders() {
		if o.Product != "client_premium" {
			t.Errorf("order %d was POSTed as %s, want today's client_premium", o.ID, o.Product)
		}
	}
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := j.History(journal.HistoryFilter{})
	j.Close()
	if err != nil || len(hs) != 3 {
		t.Fatalf("history: %d %v", len(hs), err)
	}
	for _, h := range hs {
		if h.Product != "client_premium" || h.ProductKey != "client_premium_sha2" {
			t.Errorf("journal: product %s, product_key %s; want client_premium ordered, the identity the seed ID's", h.Product, h.ProductKey)
		}
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.Product != "client_premium" {
			t.Errorf("results row %d: product %s", x.Row, x.Product)
		}
	}
	// Either ID in the config: everyone is skipped.
	for _, p := range []string{"client_premium", "client_premium_sha2"} {
		writeFile(t, e.config, strings.Replace(clientConfigYAML, "product: client_premium_sha2", "product: "+p, 1))
		if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "3 skipped") {
			t.Fatalf("again as %s: %d\n%s%s", p, r.code, r.stdout, r.stderr)
		}
	}
	if n := len(e.sb.Orders()); n != 3 {
		t.Errorf("%d orders, want 3", n)
	}
}

// S/MIME certificates last at most 824 days (DigiCert's Multipurpose
// profile, which this endpoint's S/MIME products use since 2025-07-10:
// https://docs.digicert.com/nl/certcentral/order-and-manage-certificates/manage-certificate-orders/order-and-manage-your-client-certificates/reissue-your-client-certificate.html):
// the dry run refuses a custom expiration date 825 days ahead, naming the
// row, column and value, and takes one 824 days ahead, which the sandbox
// accepts too.
func TestSMIMEExpirationAtMost824Days(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	for try := 0; ; try++ {
		today := time.Now().UTC()
		rows := staff(2, 1)
		rows[0] = append(rows[0], "Custom Expiration Date")
		rows[1] = append(rows[1], today.AddDate(0, 0, 825).Format("2006-01-02"))
		rows[2] = append(rows[2], today.AddDate(0, 0, 824).Format("2006-01-02"))
		writeCSV(t, e.input, rows)
		r := e.cmd("validate", e.input, "--config", e.config, "-o", filepath.Join(e.dir, "check.csv"))
		if time.Now().UTC().Day() != today.Day() && try == 0 {
			continue // midnight passed during the run: the dates moved
		}
		want := "row 2: Custom Expiration Date \"" + rows[1][len(rows[1])-1] + "\": must be at most 824 days ahead"
		if r.code != ExitRowsBad || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "1 valid, 1 invalid") {
			t.Fatalf("validate: %d, want the row 2 problem %q\n%s%s", r.code, want, r.stdout, r.stderr)
		}
		break
	}
	if r := e.submit(); r.code != ExitRowsBad || !strings.Contains(r.stdout, "1 ordered") {
		t.Fatalf("submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if o := e.sb.Orders(); len(o) != 1 || o[0].Emails[0] != "person2@example.com" {
		t.Errorf("sandbox orders: %+v", o)
	}
	if _, err := os.Stat(e.resultsPath()); err != nil {
		t.Error(err)
	}
}
