package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/sandbox"
)

// countDownloads puts a counter of download requests in front of the
// env's sandbox and points the env at it.
func (e *env) countDownloads() *atomic.Int64 {
	var n atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/download/") {
			n.Add(1)
		}
		e.sb.ServeHTTP(w, r)
	})
	if e.tr != nil { // a synctest bubble's env (newBubbleEnv)
		e.tr = serveInBubble(e.t, h)
		return &n
	}
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	e.base = srv.URL + "/services/v2"
	return &n
}

// resultsPath returns the newest results file of the env's submits: a
// run keeps an earlier batch's results.csv and writes results-2.csv,
// results-3.csv, ... beside it.
func (e *env) resultsPath() string {
	p := filepath.Join(e.dir, "results.csv")
	for n := 2; ; n++ {
		next := filepath.Join(e.dir, "results-"+strconv.Itoa(n)+".csv")
		if _, err := os.Stat(next); err != nil {
			return p
		}
		p = next
	}
}

func (e *env) cmd(args ...string) result {
	e.t.Helper()
	return e.run(append(args, "--state", e.state, "--base-url", e.base, "--quiet")...)
}

// batchID is the journal's latest batch.
func (e *env) batchID() string {
	e.t.Helper()
	j, err := journal.Open(e.state, journal.Options{ReadOnly: true})
	if err != nil {
		e.t.Fatal(err)
	}
	defer j.Close()
	bs, err := j.Batches()
	if err != nil || len(bs) == 0 {
		e.t.Fatalf("batches: %v %v", bs, err)
	}
	return bs[len(bs)-1].ID
}

func TestDownloadHandsOverEveryCertificate(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	downloads := e.countDownloads()
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	dir := filepath.Join(e.dir, "certs")
	r := e.cmd("download", e.resultsPath(), "--dir", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "3 written (3 from the order's own answer)") {
		t.Fatalf("download: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Issued at once: the POST answer's chain is written, no download request.
	if n := downloads.Load(); n != 0 {
		t.Errorf("%d download requests for certificates that came with the order", n)
	}
	name := "row-0002_person1@example.com.pem"
	fi, err := os.Stat(filepath.Join(dir, name))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v %v", name, fi, err)
	}
	body, _ := os.ReadFile(filepath.Join(dir, name))
	if strings.Count(string(body), "BEGIN CERTIFICATE") != 3 {
		t.Errorf("%s is not the chain:\n%s", name, body)
	}
	for _, x := range readResults(t, e.resultsPath()).Records {
		if x.OrderStatus != "issued" || !strings.Contains(x.Note, "downloaded: row-") || x.Error != "" {
			t.Errorf("results row %d: status %q note %q error %q", x.Row, x.OrderStatus, x.Note, x.Error)
		}
	}
	j, _ := journal.Open(e.state, journal.Options{ReadOnly: true})
	rec, err := j.DownloadOf(readResults(t, e.resultsPath()).Records[0].CertificateID, "pem")
	j.Close()
	if err != nil || rec == nil || filepath.Base(rec.Path) != name {
		t.Fatalf("journal download record: %+v %v", rec, err)
	}

	// Again: everything is already there.
	if r := e.cmd("download", e.resultsPath(), "--dir", dir); r.code != 0 || !strings.Contains(r.stdout, "3 already there") {
		t.Fatalf("second download: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A different certificate at a row's name is never overwritten.
	other := filepath.Join(dir, name)
	os.WriteFile(other, []byte("someone else's certificate\n"), 0o600)
	r = e.cmd("download", e.resultsPath(), "--dir", dir)
	if r.code != ExitRowsBad || !strings.Contains(r.stdout, "already holds another certificate") {
		t.Fatalf("conflict: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if b, _ := os.ReadFile(other); string(b) != "someone else's certificate\n" {
		t.Errorf("the other certificate was overwritten")
	}
	// p7b comes from DigiCert's download endpoint.
	r = e.cmd("download", e.resultsPath(), "--dir", dir, "--format", "p7b")
	if r.code != 0 || downloads.Load() != 3 {
		t.Fatalf("p7b: %d (%d requests)\n%s%s", r.code, downloads.Load(), r.stdout, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "row-0003_person2@example.com.p7b")); err != nil || !strings.Contains(string(b), "PKCS7") {
		t.Errorf("p7b file: %v %.60q", err, b)
	}
	if strings.Contains(r.stdout+r.stderr, testKey) {
		t.Error("the key was printed")
	}
}

// status --wait --download, as cron runs it: it polls until DigiCert
// issues the orders, then saves them. It runs in a synctest bubble: the
// orders are issued 20 minutes after they are placed on the bubble's
// clock, which cron's intervals move, however fast the machine is.
func TestStatusWaitDownloadForCron(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newBubbleEnv(t, 2, sandbox.Config{IssueDelay: 20 * time.Minute, Faults: map[string]sandbox.Faults{}})
		downloads := e.countDownloads()
		if r := e.submit(); r.code != 0 {
			t.Fatalf("submit: %d %s", r.code, r.stderr)
		}
		placed := time.Now()
		dir := filepath.Join(e.dir, "certs")
		// Not issued yet: listed with their status, exit 4.
		r := e.cmd("download", e.resultsPath(), "--dir", dir)
		if r.code != ExitRowsRetry || strings.Count(r.stdout, "is pending: not issued yet") != 2 {
			t.Fatalf("download before issuance: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = e.cmd("status", e.resultsPath(), "--wait", "2h", "--interval", "15m", "--download", dir)
		if r.code != 0 || !strings.Contains(r.stdout, "2 written (0 from the order's own answer)") {
			t.Fatalf("status --wait --download: %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		// Polls at 0, 15 and 30 minutes: the third finds them issued.
		if waited := time.Since(placed); waited != 30*time.Minute {
			t.Errorf("status --wait returned after %v, want 30m: the first poll after issuance", waited)
		}
		if downloads.Load() != 2 {
			t.Errorf("%d download requests, want 2", downloads.Load())
		}
		if _, err := os.Stat(filepath.Join(dir, "row-0002_person1@example.com.pem")); err != nil {
			t.Error(err)
		}
	})
}

func TestCancelBatchThenOrderAgain(t *testing.T) {
	// Every second cancel loses its answer after the change is made.
	e := newEnv(t, 4, sandbox.Config{IssueDelay: time.Hour,
		Faults: map[string]sandbox.Faults{sandbox.EndpointOrderStatus: {DropEvery: 2}}})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	batch := e.batchID()
	// Without a terminal and without --yes nothing is canceled.
	r := e.cmd("cancel", "--batch", batch)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "will cancel (4)") {
		t.Fatalf("cancel without --yes: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, o := range e.sb.Orders() {
		if o.Status != "pending" {
			t.Fatalf("canceled without confirmation: %+v", o)
		}
	}
	r = e.cmd("cancel", "--batch", batch, "--yes", "--note", "wrong product")
	if r.code != 0 || !strings.Contains(r.stdout, "4 canceled") {
		t.Fatalf("cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, o := range e.sb.Orders() {
		if o.Status != "canceled" || o.Note != "wrong product" {
			t.Errorf("sandbox order %d: %s %q", o.ID, o.Status, o.Note)
		}
	}
	// Twice is harmless.
	r = e.cmd("cancel", "--batch", batch, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "0 canceled, 4 already canceled") {
		t.Fatalf("cancel again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A canceled person is ordered again without --force.
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "4 ordered") {
		t.Fatalf("submit after cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(e.sb.Orders()); n != 8 {
		t.Errorf("sandbox holds %d orders, want 8", n)
	}
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "4 skipped") {
		t.Fatalf("third submit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCancelResultsListsIssuedForRevocation(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{ManualPickup: true})
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	first := e.sb.Orders()[0]
	if err := e.sb.Pickup(first.ID); err != nil {
		t.Fatal(err)
	}
	r := e.cmd("cancel", e.resultsPath(), "--yes")
	if r.code != ExitRowsBad {
		t.Fatalf("cancel with an issued order: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	revoke := regexp.MustCompile(`certbatch revoke --email ` + first.Emails[0] + ` --reason superseded`)
	if !strings.Contains(r.stderr, "NOT cancellable, already issued (1)") || !revoke.MatchString(r.stderr) ||
		!strings.Contains(r.stdout, "2 canceled") || !strings.Contains(r.stderr, "(sandbox)") {
		t.Fatalf("cancel output:\n%s%s", r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, testKey) {
		t.Error("the key was printed")
	}
	st := map[string]int{}
	for _, x := range readResults(t, e.resultsPath()).Records {
		st[x.OrderStatus]++
	}
	if st["canceled"] != 2 || st["issued"] != 1 {
		t.Errorf("results statuses: %v", st)
	}
}

// An order awaiting approval is undone by rejecting its request, with the
// note as the processor's comment
// (https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/),
// never by a cancel, which DigiCert allows from pending and
// waiting_pickup only
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html).
// The order is reported rejected, and the person can be ordered again.
func TestCancelAwaitingApprovalRejectsItsRequest(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{IssueDelay: time.Hour})
	writeFile(t, e.config, strings.Replace(clientConfigYAML, "skip_approval: true", "skip_approval: false", 1))
	if r := e.submit(); r.code != 0 {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	orders := e.sb.Orders()
	// An approver approves the second order's request: it is pending.
	req, _ := http.NewRequest("PUT", e.base+"/request/"+itoa(int(orders[1].RequestID))+"/status", strings.NewReader(`{"status":"approved"}`))
	req.Header.Set("X-DC-DEVKEY", testKey)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("approve: %v %v", resp, err)
	}
	r := e.cmd("cancel", e.resultsPath(), "--yes", "--note", "ordered by mistake")
	if r.code != 0 || !strings.Contains(r.stdout, "1 canceled, 0 already canceled, 1 rejected before approval") ||
		!strings.Contains(r.stderr, "awaiting approval: will reject the request (1)") {
		t.Fatalf("cancel: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	orders = e.sb.Orders()
	if o := orders[0]; o.Status != "rejected" || o.RequestStatus != "rejected" || !o.DateCanceled.IsZero() {
		t.Errorf("the order awaiting approval: %s, request %s, canceled at %v", o.Status, o.RequestStatus, o.DateCanceled)
	}
	info := call(t, e.base+"/request/"+itoa(int(orders[0].RequestID)))
	if info["processor_comment"] != "ordered by mistake" {
		t.Errorf("request info: %v", info)
	}
	if o := orders[1]; o.Status != "canceled" || o.Note != "ordered by mistake" {
		t.Errorf("the approved order: %s %q", o.Status, o.Note)
	}
	st := map[string]int{}
	for _, x := range readResults(t, e.resultsPath()).Records {
		st[x.OrderStatus]++
		if x.OrderStatus == "rejected" && x.RequestStatus != "rejected" {
			t.Errorf("row %d: request %s", x.Row, x.RequestStatus)
		}
	}
	if st["rejected"] != 1 || st["canceled"] != 1 {
		t.Errorf("results statuses: %v", st)
	}
	// Both people are released: ordered again without --force.
	if r := e.submit(); r.code != 0 || !strings.Contains(r.stdout, "2 ordered") {
		t.Fatalf("submit again: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// call GETs url with the test key and decodes the JSON object answered.
func call(t *testing.T, url string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("X-DC-DEVKEY", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}
