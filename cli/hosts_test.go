package cli

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certbatch/certbatch/internal/pgtest"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/sandbox"
)

// host is a machine of a team: its own HOME and state directory, its own
// copy of the input, its own results; the journal is the team's
// database (CERTBATCH_JOURNAL).
type host struct {
	name, dir, input string
}

func newHost(t *testing.T, name string, rows [][]string) *host {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return &host{name: name, dir: dir, input: writeCSV(t, filepath.Join(dir, "staff.csv"), rows)}
}

// submit is the host's cron job: submit --yes against base, on the
// shared journal at url.
func (h *host) submit(bin, url, base, config string, extra ...string) *exec.Cmd {
	args := append([]string{"submit", h.input, "--config", config, "--base-url", base, "-o", filepath.Join(h.dir, "results.csv"),
		"--yes", "--quiet", "--settle", "0s", "--rate-limit", hostsRate}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"DIGICERT_API_KEY=" + testKey, "PATH=" + os.Getenv("PATH"), "HOME=" + h.dir,
		"XDG_STATE_HOME=" + filepath.Join(h.dir, "state"), "CERTBATCH_JOURNAL=" + url}
	return cmd
}

// hostsWindow is the sandbox's rate limit in the hosts tests, DigiCert's
// rolling window scaled down; every host's --rate-limit is the same.
var hostsWindow = sandbox.Window{Limit: 6, Per: 400 * time.Millisecond}

const hostsRate = "6/400ms"

// waitLockWaiter waits until a process waits for the advisory lock of
// one of keys in database db (pg_locks: the key's high half is classid,
// its low half objid). The generous bound only turns a run that never
// waits (a bug) into a failure instead of a hang; no assertion depends
// on how long it takes.
func waitLockWaiter(t *testing.T, admin *sql.DB, db string, keys map[int64]bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		rows, err := admin.Query("SELECT l.classid::bigint, l.objid::bigint FROM pg_locks l JOIN pg_database d ON d.oid=l.database WHERE l.locktype='advisory' AND NOT l.granted AND d.datname=$1", db)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for rows.Next() {
			var hi, lo int64
			rows.Scan(&hi, &lo)
			if keys[int64(uint64(hi)<<32|uint64(uint32(lo)))] {
				found = true
			}
		}
		rows.Close()
		if found {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no process waited for a person's lock", what)
		}
	}
}

// personKeys are the lock keys of the people of rows (their emails:
// every person lock includes the email's), for the product the journal
// recorded.
func personKeys(t *testing.T, s *pgtest.Server, db string, rows [][]string) map[int64]bool {
	t.Helper()
	conn, err := sql.Open("pgx", s.URL(db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pk string
	if err := conn.QueryRow("SELECT product_key FROM orders LIMIT 1").Scan(&pk); err != nil {
		t.Fatalf("no order in the journal yet: %v", err)
	}
	keys := map[int64]bool{}
	for _, r := range rows[1:] {
		for _, k := range (journal.Person{ProductKey: pk, Email: strings.ToLower(r[2]), Key: order.NormalizeKey(r[0])}).LockKeys() {
			keys[k] = true
		}
	}
	return keys
}

func start(t *testing.T, cmd *exec.Cmd, what string) <-chan int {
	t.Helper()
	var out strings.Builder
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() {
		code := procExit(cmd.Wait())
		if strings.Contains(what, "host d") {
		}
		if code != 0 && code != ExitRowsRetry && code != -1 {
			t.Errorf("%s: exit %d\n%s", what, code, out.String())
		}
		exited <- code
	}()
	return exited
}

// Hosts sharing one journal in PostgreSQL order each person once: two
// hosts submitting the same people at the same moment, then four with
// two of them killed (kill -9) in the middle of an order, against a
// sandbox enforcing a small rate window that the hosts together must
// keep. Every step waits for an event (a POST held at the sandbox's
// door, a process waiting for a person's lock in pg_locks), never for
// time.
func TestHostsSharingAJournalOrderEachPersonOnce(t *testing.T) {
	bin := binary(t)
	s := pgtest.Require(t)
	db := s.NewDatabase(t)
	url := s.URL(db)
	e, gate := newGatedEnv(t, 0, sandbox.Config{Windows: []sandbox.Window{hostsWindow}})

	// Two hosts, the same 24 people. Host a's first order is held in
	// flight; host b plans while it is (a's intent is in the journal,
	// DigiCert has nothing yet) and must wait for that person's lock.
	people := staff(24, 1)
	a, b := newHost(t, "a", people), newHost(t, "b", people)
	held := gate.arm(1, pass)
	aExit := startHeld(t, a.submit(bin, url, e.base, e.config, "--concurrency", "3"), held, "host a")
	bExit := start(t, b.submit(bin, url, e.base, e.config, "--concurrency", "3"), "host b")
	waitLockWaiter(t, s.Admin, db, personKeys(t, s, db, people), "host b")
	gate.open()
	if code := <-aExit; code != 0 {
		t.Fatalf("host a: exit %d", code)
	}
	if code := <-bExit; code != 0 {
		t.Fatalf("host b: exit %d", code)
	}
	ordered := 0
	for _, h := range []*host{a, b} {
		for _, r := range readResults(t, filepath.Join(h.dir, "results.csv")).Records {
			switch r.Outcome {
			case "ordered":
				ordered++
			case "skipped":
			default:
				t.Errorf("host %s row %d: %s (%s)", h.name, r.Row, r.Outcome, r.Error)
			}
		}
	}
	if ordered != 24 {
		t.Errorf("the two hosts ordered %d times for 24 people", ordered)
	}
	onePerPerson(t, e, 24)

	// Four hosts, 40 new people. Host c (one order at a time) is killed
	// while its third order is held with its answer lost; host d waits
	// for that person meanwhile and, once c is dead, finds c's order.
	// Then d's next order is held unsent and d is killed while e and f
	// wait for that person; they find no order and one of them orders.
	// c and d send one request at a time, so the held one is the only
	// request either has in flight when it is killed (a request killed
	// on its way would need --settle, which these runs set to 0).
	people = staff(40, 100)
	c, d, f, g := newHost(t, "c", people), newHost(t, "d", people), newHost(t, "e", people), newHost(t, "f", people)
	held = gate.arm(3, dropAnswer)
	cCmd := c.submit(bin, url, e.base, e.config, "--concurrency", "1")
	cExit := startHeld(t, cCmd, held, "host c")
	keys := personKeys(t, s, db, people)
	dCmd := d.submit(bin, url, e.base, e.config, "--concurrency", "1")
	dExit := start(t, dCmd, "host d")
	waitLockWaiter(t, s.Admin, db, keys, "host d")
	cCmd.Process.Signal(syscall.SIGKILL)
	<-cExit
	gate.open()
	held = gate.arm(2, dropUnsent)
	select {
	case <-held:
	case code := <-dExit:
		t.Fatalf("host d ended (exit %d) before its order was held", code)
	case <-time.After(2 * time.Minute):
		t.Fatal("host d never sent the order the gate waits for")
	}
	fExit := start(t, f.submit(bin, url, e.base, e.config, "--concurrency", "2"), "host e")
	gExit := start(t, g.submit(bin, url, e.base, e.config, "--concurrency", "2"), "host f")
	waitLockWaiter(t, s.Admin, db, keys, "hosts e and f")
	dCmd.Process.Signal(syscall.SIGKILL)
	<-dExit
	gate.open()
	gate.quiesce(t)
	<-fExit
	<-gExit
	// A last run settles what the killed hosts left uncertain.
	for run := 0; ; run++ {
		if run == 10 {
			t.Fatal("still not done after 10 runs")
		}
		if code := procExit(f.submit(bin, url, e.base, e.config).Run()); code == 0 {
			break
		}
	}
	onePerPerson(t, e, 64)
	st := e.sb.Stats()
	if st.RateLimited != 0 || st.MaxInWindow[0] > hostsWindow.Limit {
		t.Errorf("the hosts together went over the rate window: %d answers 429, at most %d requests in %v (limit %d)",
			st.RateLimited, st.MaxInWindow[0], hostsWindow.Per, hostsWindow.Limit)
	}
	t.Logf("%d requests, %d order POSTs, at most %d in %v", st.Requests, st.OrderPOSTs, st.MaxInWindow[0], hostsWindow.Per)
}

// onePerPerson checks the sandbox holds exactly one order for each of
// n people.
func onePerPerson(t *testing.T, e *env, n int) {
	t.Helper()
	byEmail := e.ordersByEmail()
	if len(byEmail) != n {
		t.Errorf("%d people have orders, want %d", len(byEmail), n)
	}
	for email, ids := range byEmail {
		if len(ids) != 1 {
			t.Errorf("%s has %d orders: %v", email, len(ids), ids)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}
