package journal

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, path string) *Journal {
	t.Helper()
	j, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func intent(b string, row int, id string) Intent {
	return Intent{Batch: b, Row: row, Identity: id, Product: "client_premium_sha2", Email: "p" + strconv.Itoa(row) + "@example.com", CommonName: "P", PayloadHash: "h"}
}

func TestIntentAndAnswerSurviveReopen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	j := open(t, p)
	b, err := j.BeginBatch("submit", "in.csv", "abc", []string{"Email"})
	if err != nil {
		t.Fatal(err)
	}
	id1, _ := j.AddIntent(intent(b.ID, 2, "p|email:a"))
	id2, _ := j.AddIntent(intent(b.ID, 3, "p|email:b"))
	if err := j.Complete(id1, Result{State: StateOrdered, OrderID: 100001, RequestID: 500001, CertificateID: 900001, RequestStatus: "approved", OrderStatus: "issued"}); err != nil {
		t.Fatal(err)
	}
	j.Close()

	j = open(t, p)
	defer j.Close()
	e, err := j.Lookup("p|email:a")
	if err != nil || e == nil || e.State != StateOrdered || e.OrderID != 100001 || e.CertificateID != 900001 || e.Batch != b.ID || e.Row != 2 {
		t.Fatalf("ordered entry after reopen: %+v %v", e, err)
	}
	e, _ = j.Lookup("p|email:b")
	if e == nil || e.State != StateIntent || e.ID != id2 || e.IntentAt.IsZero() {
		t.Fatalf("intent after reopen: %+v", e)
	}
	un, _ := j.Unresolved()
	if len(un) != 1 || un[0].ID != id2 {
		t.Fatalf("unresolved %+v", un)
	}
	if e, _ := j.Lookup("p|email:nobody"); e != nil {
		t.Fatalf("unknown identity: %+v", e)
	}
	if err := j.Complete(9999, Result{State: StateFailed}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("complete of an unknown entry: %v", err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v", st.Mode().Perm())
	}
}

func TestLookupPrecedence(t *testing.T) {
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	defer j.Close()
	b, _ := j.BeginBatch("submit", "in.csv", "abc", nil)
	add := func(id string, s State) int64 {
		n, _ := j.AddIntent(intent(b.ID, 2, id))
		if s != StateIntent {
			j.Complete(n, Result{State: s, OrderID: n})
		}
		return n
	}
	add("x", StateRejected)
	add("x", StateFailed)
	if e, _ := j.Lookup("x"); e != nil {
		t.Fatalf("rejected/failed must not block: %+v", e)
	}
	ordered := add("x", StateOrdered)
	add("x", StateFailed)
	add("x", StateUncertain)
	if e, _ := j.Lookup("x"); e == nil || e.ID != ordered {
		t.Fatalf("ordered must win over newer attempts: %+v", e)
	}
	unc := add("y", StateUncertain)
	if e, _ := j.Lookup("y"); e == nil || e.ID != unc || e.State != StateUncertain {
		t.Fatalf("uncertain: %+v", e)
	}
}

func TestSecondWriterIsRefusedReaderIsNot(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	j := open(t, p)
	if _, err := Open(p, Options{}); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second writer in the same process: %v", err)
	}
	// From another process too.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "JOURNAL_HELPER=open", "JOURNAL_PATH="+p)
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "in use by another certbatch process") {
		t.Fatalf("second writer in another process: %s", out)
	}
	r, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reader while a writer holds the lock: %v", err)
	}
	if _, err := r.Batches(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.BeginBatch("x", "y", "z", nil); err == nil {
		t.Error("a read-only journal accepted a write")
	}
	r.Close()
	j.Close()
	j2, err := Open(p, Options{})
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	j2.Close()
	if _, err := Open(filepath.Join(t.TempDir(), "none.db"), Options{ReadOnly: true}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("read-only open of a missing journal: %v", err)
	}
}

func TestCorruptJournal(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not sqlite ", 1000)), 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	db, _ := sql.Open("sqlite", foreign)
	db.Exec("CREATE TABLE invoices(id INTEGER)")
	db.Close()
	for _, p := range []string{garbage, foreign} {
		_, err := Open(p, Options{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
	// The lock is released after a failed open.
	os.Remove(garbage)
	j := open(t, garbage)
	j.Close()
}

func TestRowsAndHistory(t *testing.T) {
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	defer j.Close()
	b1, _ := j.BeginBatch("submit", "a.csv", "1", []string{"Email"})
	if err := j.PutRows([]RowRecord{{Batch: b1.ID, Row: 3, Cells: []string{"b@x"}, Outcome: "ordered"}, {Batch: b1.ID, Row: 2, Cells: []string{"a@x"}, Outcome: "uncertain"}}); err != nil {
		t.Fatal(err)
	}
	j.PutRows([]RowRecord{{Batch: b1.ID, Row: 2, Cells: []string{"a@x"}, Outcome: "ordered", OrderID: "7"}}) // replaces
	var got []string
	j.Rows(b1.ID, func(r RowRecord) error {
		got = append(got, fmt.Sprint(r.Row, r.Outcome, r.OrderID, r.Cells))
		return nil
	})
	if strings.Join(got, "|") != "2ordered7[a@x]|3ordered[b@x]" {
		t.Fatalf("rows %q", got)
	}
	in := Intent{Batch: b1.ID, Row: 2, Identity: "client_premium_sha2|key:E7", Product: "client_premium_sha2", Email: "jane@example.com"}
	id, _ := j.AddIntent(in)
	j.Complete(id, Result{State: StateOrdered, OrderID: 42})
	time.Sleep(5 * time.Millisecond)
	cut := time.Now()
	b2, _ := j.BeginBatch("submit", "b.csv", "2", nil)
	id2, _ := j.AddIntent(Intent{Batch: b2.ID, Row: 5, Identity: "client_premium_sha2|email:bob@example.com", Product: "client_premium_sha2", Email: "bob@example.com"})
	j.Complete(id2, Result{State: StateRejected, Error: "400 bad"})
	for _, c := range []struct {
		f    HistoryFilter
		want string
	}{
		{HistoryFilter{Email: "JANE@example.com"}, "42"},
		{HistoryFilter{Key: "E7"}, "42"},
		{HistoryFilter{Key: "E"}, ""},
		{HistoryFilter{Batch: b2.ID}, "0"},
		{HistoryFilter{Since: cut}, "0"},
		{HistoryFilter{}, "42,0"},
	} {
		hs, err := j.History(c.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hs {
			ids = append(ids, strconv.FormatInt(h.OrderID, 10))
		}
		if strings.Join(ids, ",") != c.want {
			t.Errorf("%+v: got %v, want %s", c.f, ids, c.want)
		}
	}
	if err := j.UpdateStatus(42, "revoked", 0); err != nil {
		t.Fatal(err)
	}
	if e, _ := j.Lookup(in.Identity); e.OrderStatus != "revoked" {
		t.Errorf("status not updated: %+v", e)
	}
}

// An intent is durable when AddIntent returns: a process killed right
// after it leaves the intent behind.
func TestIntentSurvivesKill9(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "JOURNAL_HELPER=intent", "JOURNAL_PATH="+p)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "intent ") {
		cmd.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	cmd.Process.Kill() // SIGKILL: no deferred close, no clean shutdown
	cmd.Wait()
	j := open(t, p)
	defer j.Close()
	un, err := j.Unresolved()
	if err != nil || len(un) != 1 || "intent "+strconv.FormatInt(un[0].ID, 10)+"\n" != line {
		t.Fatalf("after kill -9: %+v %v (helper said %q)", un, err, line)
	}
}

// TestHelperProcess is run as a child process by the tests above.
func TestHelperProcess(t *testing.T) {
	p := os.Getenv("JOURNAL_PATH")
	switch os.Getenv("JOURNAL_HELPER") {
	case "open":
		_, err := Open(p, Options{})
		fmt.Println(err)
		os.Exit(0)
	case "intent":
		j, err := Open(p, Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		b, _ := j.BeginBatch("submit", "x.csv", "s", nil)
		id, err := j.AddIntent(intent(b.ID, 2, "p|email:k"))
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Printf("intent %d\n", id)
		time.Sleep(time.Minute) // killed here
	}
}

func TestMemoryJournal(t *testing.T) {
	j, err := Open(Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	b, _ := j.BeginBatch("submit", "x", "s", nil)
	id, _ := j.AddIntent(intent(b.ID, 2, "m"))
	if e, _ := j.Lookup("m"); e == nil || e.ID != id {
		t.Fatalf("in-memory journal lost its entry: %+v", e)
	}
}

func BenchmarkAddIntentComplete(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), "j.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	bt, _ := j.BeginBatch("submit", "x", "s", nil)
	i := 0
	for b.Loop() {
		id, err := j.AddIntent(intent(bt.ID, i, "id"+strconv.Itoa(i)))
		if err != nil {
			b.Fatal(err)
		}
		if err := j.Complete(id, Result{State: StateOrdered, OrderID: int64(i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}

func TestPruneRowsKeepsOrders(t *testing.T) {
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	defer j.Close()
	old, _ := j.BeginBatch("submit", "a.csv", "1", nil)
	id, _ := j.AddIntent(intent(old.ID, 2, "p|email:a"))
	j.Complete(id, Result{State: StateOrdered, OrderID: 7})
	j.PutRows([]RowRecord{{Batch: old.ID, Row: 2, Cells: []string{"Jane", "a@x"}, Outcome: "ordered"}})
	time.Sleep(5 * time.Millisecond)
	cut := time.Now()
	recent, _ := j.BeginBatch("submit", "b.csv", "2", nil)
	j.PutRows([]RowRecord{{Batch: recent.ID, Row: 2, Cells: []string{"Bob"}, Outcome: "invalid"}})
	n, err := j.PruneRows(cut)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	count := func(b string) (c int) {
		j.Rows(b, func(RowRecord) error { c++; return nil })
		return
	}
	if count(old.ID) != 0 || count(recent.ID) != 1 {
		t.Errorf("rows left: old %d, recent %d", count(old.ID), count(recent.ID))
	}
	if e, _ := j.Lookup("p|email:a"); e == nil || e.OrderID != 7 {
		t.Errorf("the order was pruned: %+v", e)
	}
}
