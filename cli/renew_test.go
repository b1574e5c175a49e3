package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

// renewalsOf returns the sandbox's orders that renew order id, by the
// renewal_of_order_id of their body.
func renewalsOf(t *testing.T, sb *sandbox.Server, id int64) []sandbox.Order {
	t.Helper()
	var out []sandbox.Order
	for _, o := range sb.Orders() {
		var b struct {
			RenewalOf int64 `json:"renewal_of_order_id"`
		}
		json.Unmarshal(o.Body, &b)
		if b.RenewalOf == id {
			out = append(out, o)
		}
	}
	return out
}

func holdingID(t *testing.T, sb *sandbox.Server, email string) int64 {
	t.Helper()
	for _, o := range sb.Orders() {
		if o.Emails[0] == email {
			return o.ID
		}
	}
	t.Fatalf("no order for %s", email)
	return 0
}

func (e *env) renew(extra ...string) result {
	e.t.Helper()
	return run(e.t, e.vars, append([]string{"renew", "--config", e.config, "--state", e.state, "--base-url", e.base,
		"-o", filepath.Join(e.dir, "renewals.csv"), "--yes", "--quiet", "--settle", "0s"}, extra...)...)
}

// renew finds what expires within the window (the account, not only the
// journal), shows the plan, and orders each renewal once, with
// renewal_of_order_id and a body derived from the order renewed.
func TestRenewOrdersEachRenewalOnce(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{Holdings: []sandbox.Holding{
		{Email: "soon@example.com", FirstName: "Soon", LastName: "Expiring", ExpiresIn: 10},
		{Email: "later@example.com", ExpiresIn: 200},
	}})
	soon, later := holdingID(t, e.sb, "soon@example.com"), holdingID(t, e.sb, "later@example.com")
	// The plan, and nothing sent.
	r := e.renew("--within", "30d", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stderr, "will renew (1)") || !strings.Contains(r.stderr, "soon@example.com") ||
		!strings.Contains(r.stderr, fmt.Sprintf("order %-10d expires", soon)) || !strings.Contains(r.stderr, "renewal: 1 year, balance") ||
		strings.Contains(r.stderr, "later@example.com") || !strings.Contains(r.stdout, "nothing was sent") {
		t.Fatalf("dry run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != 2 {
		t.Fatalf("the dry run ordered: %d orders", n)
	}
	r = e.renew("--within", "30d")
	if r.code != 0 || !strings.Contains(r.stdout, "1 ordered") {
		t.Fatalf("renew: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rn := renewalsOf(t, e.sb, soon)
	if len(rn) != 1 || len(renewalsOf(t, e.sb, later)) != 0 {
		t.Fatalf("renewals: %+v", rn)
	}
	var body map[string]any
	json.Unmarshal(rn[0].Body, &body)
	cert := body["certificate"].(map[string]any)
	ind, _ := cert["individual"].(map[string]any)
	if rn[0].Emails[0] != "soon@example.com" || ind["first_name"] != "Soon" || ind["last_name"] != "Expiring" ||
		cert["csr"] != nil || body["custom_expiration_date"] != nil || body["validity_years"] != float64(1) || body["skip_approval"] != true {
		t.Errorf("renewal body: %s", rn[0].Body)
	}
	// Again: renewed by certbatch, never twice.
	r = e.renew("--within", "30d")
	if r.code != 0 || !strings.Contains(r.stdout, "1 skipped") || len(renewalsOf(t, e.sb, soon)) != 1 {
		t.Fatalf("second renew: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// With another journal: DigiCert says it is renewed (is_renewed), and
	// that is journaled.
	other := filepath.Join(e.dir, "other.db")
	r = run(t, e.vars, "renew", "--config", e.config, "--state", other, "--base-url", e.base, "-o", filepath.Join(e.dir, "r2.csv"), "--yes", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "1 skipped") || len(renewalsOf(t, e.sb, soon)) != 1 {
		t.Fatalf("renew with another journal: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	j, err := journal.Open(other, journal.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if ent, err := j.Renewal(soon); err != nil || ent == nil || ent.OrderID != rn[0].ID || !ent.Recovered {
		t.Errorf("the renewal found at DigiCert is not journaled: %+v %v", ent, err)
	}
	// A wider window takes the later one too.
	r = e.renew("--within", "210d")
	if r.code != 0 || !strings.Contains(r.stdout, "1 ordered") || len(renewalsOf(t, e.sb, later)) != 1 {
		t.Fatalf("renew within 210d: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A renewal placed by someone else (in CertCentral, not certbatch) while
// it waits for approval: is_renewed does not say so yet, the account
// check finds the person's newer order.
func TestRenewNeverRenewsWhatAnyoneRenewed(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{Holdings: []sandbox.Holding{{Email: "soon@example.com", ExpiresIn: 5}}})
	soon := holdingID(t, e.sb, "soon@example.com")
	body := fmt.Sprintf(`{"certificate":{"common_name":"S H","emails":["soon@example.com"],"signature_hash":"sha256","common_name_indicator":"given_name_surname",
	"individual":{"first_name":"S","last_name":"H"}},"organization":{"id":112233},"validity_years":1,"renewal_of_order_id":%d}`, soon)
	req, _ := http.NewRequest("POST", e.base+"/order/certificate/client_premium", strings.NewReader(body))
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("someone else's renewal: %v %v", resp, err)
	}
	resp.Body.Close()
	r := e.renew()
	if r.code != 0 || !strings.Contains(r.stderr, "already renewed: not renewed again (1)") || !strings.Contains(r.stderr, "newer order at DigiCert") ||
		len(renewalsOf(t, e.sb, soon)) != 1 {
		t.Fatalf("renew: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A renewal whose answer was lost is found at DigiCert by the next run,
// not ordered again: through renewed_order_id once DigiCert sets it,
// else like any order (its product and email, since its request).
func TestRenewLostAnswerIsRecoveredNotRepeated(t *testing.T) {
	for _, approve := range []bool{false, true} {
		t.Run(fmt.Sprintf("needs approval %v", approve), func(t *testing.T) {
			e, g := newGatedEnv(t, 0, sandbox.Config{Holdings: []sandbox.Holding{{Email: "soon@example.com", ExpiresIn: 5}}})
			if approve {
				writeFile(t, e.config, strings.Replace(clientConfigYAML, "  skip_approval: true\n", "", 1))
			}
			soon := holdingID(t, e.sb, "soon@example.com")
			held := g.arm(1, dropAnswer)
			go func() { <-held; g.open() }()
			r := e.renew()
			if r.code != ExitRowsRetry || !strings.Contains(r.stdout, "1 uncertain") {
				t.Fatalf("renew with a lost answer: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := len(renewalsOf(t, e.sb, soon)); n != 1 {
				t.Fatalf("%d renewals", n)
			}
			r = e.renew()
			if r.code != 0 || !strings.Contains(r.stdout, "1 ordered") || !strings.Contains(readFileT(t, filepath.Join(e.dir, "renewals.csv")), "recovered") {
				t.Fatalf("re-run: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := len(renewalsOf(t, e.sb, soon)); n != 1 {
				t.Fatalf("renewed twice: %d renewals", n)
			}
		})
	}
}

// An input workbook restricts renewals to the people it lists.
func TestRenewOnlyThePeopleOfTheInput(t *testing.T) {
	e := newEnv(t, 0, sandbox.Config{Holdings: []sandbox.Holding{{Email: "person1@example.com", ExpiresIn: 5}, {Email: "other@example.com", ExpiresIn: 5}}})
	in := writeCSV(t, filepath.Join(e.dir, "roster.csv"), staff(1, 1))
	r := run(t, e.vars, "renew", in, "--config", e.config, "--state", e.state, "--base-url", e.base, "--yes", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "1 ordered") || !strings.Contains(r.stderr, "not in the input: not renewed (1)") {
		t.Fatalf("renew: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if len(renewalsOf(t, e.sb, holdingID(t, e.sb, "other@example.com"))) != 0 || len(renewalsOf(t, e.sb, holdingID(t, e.sb, "person1@example.com"))) != 1 {
		t.Error("renewed the wrong people")
	}
	if _, err := os.Stat(filepath.Join(e.dir, "roster.renewals.xlsx")); err != nil {
		t.Errorf("default output: %v", err)
	}
}

func readFileT(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// kill -9 in the middle of renewing (the renewal's intent journaled, its
// POST held unsent or its answer lost): the next run renews each order
// exactly once, as submit never orders twice.
func TestRenewKillNineNeverRenewsTwice(t *testing.T) {
	bin := binary(t)
	var hs []sandbox.Holding
	for i := range 6 {
		hs = append(hs, sandbox.Holding{Email: "p" + itoa(i) + "@example.com", ExpiresIn: 5 + i})
	}
	e, gate := newGatedEnv(t, 0, sandbox.Config{Holdings: hs})
	renew := func() *exec.Cmd {
		cmd := exec.Command(bin, "renew", "--config", e.config, "--state", e.state, "--base-url", e.base, "-o", filepath.Join(e.dir, "r.csv"),
			"--yes", "--quiet", "--settle", "0s", "--concurrency", "1")
		cmd.Env = []string{"DIGICERT_API_KEY=" + testKey, "PATH=" + os.Getenv("PATH")}
		return cmd
	}
	for i, mode := range []gateMode{dropAnswer, dropUnsent, dropAnswer} {
		held := gate.arm(1+i, mode)
		cmd := renew()
		exited := startHeld(t, cmd, held, fmt.Sprintf("kill %d", i+1))
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		gate.open()
		gate.quiesce(t)
	}
	cmd := renew()
	if out, err := cmd.CombinedOutput(); procExit(err) != 0 {
		t.Fatalf("the run after the kills: %v\n%s", err, out)
	}
	for _, h := range hs {
		if n := len(renewalsOf(t, e.sb, holdingID(t, e.sb, h.Email))); n != 1 {
			t.Errorf("%s renewed %d times", h.Email, n)
		}
	}
}
