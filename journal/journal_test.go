package journal

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certbatch/certbatch/order"
)

// clock is a fake clock for a journal: it returns t and moves on by step.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var t0 = time.Date(2026, 11, 23, 7, 33, 10, 0, time.UTC)

func open(t testing.TB, path string) *Journal {
	t.Helper()
	j, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func tempJournal(t testing.TB) *Journal {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "j.db"))
}

func beginBatch(t testing.TB, j *Journal) Batch {
	t.Helper()
	b, err := j.BeginBatch("submit", "in.csv", "abc", []string{"Name", "Email"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func intent(b string, row int, id string) Intent {
	return Intent{Batch: b, Row: row, Identity: id, Product: "client_premium_sha2", ProductKey: "client_premium_sha2", Email: "p" + strconv.Itoa(row) + "@example.com", CommonName: "P " + strconv.Itoa(row), PayloadHash: "h" + strconv.Itoa(row)}
}

func addIntent(t testing.TB, j *Journal, in Intent) int64 {
	t.Helper()
	id, err := j.AddIntent(in)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func complete(t testing.TB, j *Journal, id int64, r Result) {
	t.Helper()
	if err := j.Complete(id, r); err != nil {
		t.Fatal(err)
	}
}

func TestEntriesSurviveReopen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: t0, step: time.Second}
	j.now = c.now
	b := beginBatch(t, j)
	inA, inB := intent(b.ID, 2, "p|email:a@x"), intent(b.ID, 3, "p|email:b@x")
	idA, idB := addIntent(t, j, inA), addIntent(t, j, inB)
	answer := Result{State: StateOrdered, Answer: order.Answer{OrderID: 100001, RequestID: 500001, CertificateID: 900001, RequestStatus: "approved", OrderStatus: "issued"}}
	complete(t, j, idA, answer)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j = open(t, p)
	t.Run("completed", func(t *testing.T) {
		e, err := j.Lookup(inA.Identity)
		if err != nil || e == nil {
			t.Fatalf("Lookup = %+v, %v", e, err)
		}
		want := Entry{ID: idA, Intent: inA, IntentAt: t0.Add(time.Second), CompletedAt: t0.Add(3 * time.Second), Result: answer}
		if !entryEqual(*e, want) {
			t.Errorf("got  %+v\nwant %+v", *e, want)
		}
	})
	t.Run("intent without answer", func(t *testing.T) {
		e, err := j.Lookup(inB.Identity)
		if err != nil || e == nil {
			t.Fatalf("Lookup = %+v, %v", e, err)
		}
		want := Entry{ID: idB, Intent: inB, IntentAt: t0.Add(2 * time.Second), Result: Result{State: StateIntent}}
		if !entryEqual(*e, want) {
			t.Errorf("got  %+v\nwant %+v", *e, want)
		}
		un, err := j.Unresolved()
		if err != nil || len(un) != 1 || !entryEqual(un[0], want) {
			t.Errorf("Unresolved = %+v, %v; want only entry %d", un, err, idB)
		}
	})
	t.Run("unknown identity", func(t *testing.T) {
		if e, err := j.Lookup("p|email:nobody@x"); e != nil || err != nil {
			t.Errorf("Lookup = %+v, %v; want nil, nil", e, err)
		}
	})
	t.Run("batch", func(t *testing.T) {
		got, err := j.Batch(b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != b.ID || !got.StartedAt.Equal(t0) || got.Status != BatchRunning || !slices.Equal(got.Header, []string{"Name", "Email"}) ||
			got.Input != "in.csv" || got.InputSHA256 != "abc" || got.Command != "submit" || !got.FinishedAt.IsZero() {
			t.Errorf("Batch = %+v", got)
		}
	})
	t.Run("file modes", func(t *testing.T) {
		for _, f := range []string{p, p + ".lock", p + "-wal"} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, want 0600", filepath.Base(f), st.Mode().Perm())
			}
		}
	})
}

func entryEqual(a, b Entry) bool {
	ta, tb := [2]time.Time{a.IntentAt, a.CompletedAt}, [2]time.Time{b.IntentAt, b.CompletedAt}
	a.IntentAt, a.CompletedAt, b.IntentAt, b.CompletedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && ta[0].Equal(tb[0]) && ta[1].Equal(tb[1])
}

func TestLookupPrecedence(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		for _, c := range []struct {
			name   string
			states []State // attempts for one identity, oldest first
			want   int     // index of the deciding attempt, -1: nil
		}{
			{"nothing", nil, -1},
			{"rejected and failed never block", []State{StateRejected, StateFailed}, -1},
			{"intent", []State{StateIntent}, 0},
			{"uncertain after failed", []State{StateFailed, StateUncertain}, 1},
			{"newest waiting wins", []State{StateUncertain, StateIntent}, 1},
			{"ordered wins over newer attempts", []State{StateOrdered, StateFailed, StateRejected, StateUncertain, StateIntent}, 0},
			{"newest ordered", []State{StateRejected, StateOrdered, StateOrdered, StateFailed}, 2},
		} {
			t.Run(c.name, func(t *testing.T) {
				j := tempJournal(t)
				b := beginBatch(t, j)
				var ids []int64
				for i, s := range c.states {
					id := addIntent(t, j, intent(b.ID, i+2, "x"))
					addIntent(t, j, intent(b.ID, i+2, "other")) // another identity never counts
					if s != StateIntent {
						complete(t, j, id, Result{State: s, Answer: order.Answer{OrderID: id}})
					}
					ids = append(ids, id)
				}
				e, err := j.Lookup("x")
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case c.want < 0 && e != nil:
					t.Errorf("Lookup = entry %d (%s), want nil", e.ID, e.State)
				case c.want >= 0 && (e == nil || e.ID != ids[c.want] || e.State != c.states[c.want]):
					t.Errorf("Lookup = %+v, want entry %d (%s)", e, ids[c.want], c.states[c.want])
				}
			})
		}
	})
}

// queryPlan returns SQLite's plan for q, its steps joined by "; ".
func queryPlan(t *testing.T, j *Journal, q string, args ...any) string {
	t.Helper()
	rows, err := j.db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

// Lookup must use the index, not scan the table.
func TestLookupUsesIndex(t *testing.T) {
	j := tempJournal(t)
	p := queryPlan(t, j, lookupQuery, "x")
	if !strings.Contains(p, "USING INDEX orders_identity") || strings.Contains(p, "SCAN orders") {
		t.Errorf("query plan %q does not use orders_identity", p)
	}
}

// FindPerson runs for every row of every batch: the emails and the key
// must each use their index, never a scan of the product's orders.
func TestFindPersonUsesIndexes(t *testing.T) {
	j := tempJournal(t)
	p := queryPlan(t, j, findPersonQuery(sqliteDialect), "client_premium", `["ann@example.com","ann@example.org"]`, "00124")
	for _, want := range []string{"SEARCH person_emails USING COVERING INDEX sqlite_autoindex_person_emails_1 (product_key=? AND email=?)",
		"SEARCH o USING INTEGER PRIMARY KEY (rowid=?)", "USING INDEX orders_person_key (product_key=? AND person_key=?)"} {
		if !strings.Contains(p, want) {
			t.Errorf("query plan %q does not use %s", p, want)
		}
	}
	if strings.Contains(p, "SCAN orders") {
		t.Errorf("query plan %q scans the orders table", p)
	}
}

func TestComplete(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		b := beginBatch(t, j)
		t.Run("unknown entry", func(t *testing.T) {
			if err := j.Complete(9999, Result{State: StateFailed}); !errors.Is(err, ErrNotFound) {
				t.Errorf("Complete = %v, want ErrNotFound", err)
			}
		})
		t.Run("invalid state", func(t *testing.T) {
			id := addIntent(t, j, intent(b.ID, 2, "inv"))
			for _, s := range []State{StateIntent, "", "done"} {
				if err := j.Complete(id, Result{State: s}); err == nil {
					t.Errorf("Complete with state %q accepted", s)
				}
			}
			if e, _ := j.Lookup("inv"); e == nil || e.State != StateIntent {
				t.Errorf("entry changed: %+v", e)
			}
		})
		t.Run("an answer is never overwritten", func(t *testing.T) {
			for _, first := range []State{StateOrdered, StateRejected, StateFailed} {
				id := addIntent(t, j, intent(b.ID, 3, "once-"+string(first)))
				complete(t, j, id, Result{State: first, Answer: order.Answer{OrderID: 7}})
				if err := j.Complete(id, Result{State: StateFailed}); err == nil || !strings.Contains(err.Error(), "already "+string(first)) {
					t.Errorf("%s: second Complete = %v", first, err)
				}
				h, err := j.History(HistoryFilter{Batch: b.ID})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range h {
					if e.Identity == "once-"+string(first) && e.State != first {
						t.Errorf("%s entry became %s", first, e.State)
					}
				}
			}
		})
		t.Run("uncertain, then recovered", func(t *testing.T) {
			id := addIntent(t, j, intent(b.ID, 4, "rec"))
			complete(t, j, id, Result{State: StateUncertain, Answer: order.Answer{Error: "timeout"}})
			complete(t, j, id, Result{State: StateUncertain, Answer: order.Answer{Error: "several orders match: 1, 2"}})
			if un, _ := j.Unresolved(); len(un) != 2 || un[1].ID != id || un[1].Error != "several orders match: 1, 2" {
				t.Fatalf("Unresolved = %+v", un)
			}
			complete(t, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: 42}, Recovered: true})
			e, err := j.Lookup("rec")
			if err != nil || e == nil || e.State != StateOrdered || !e.Recovered || e.OrderID != 42 || e.Error != "" {
				t.Errorf("Lookup = %+v, %v", e, err)
			}
		})
		t.Run("intent for an unknown batch", func(t *testing.T) {
			if _, err := j.AddIntent(intent("no-such-batch", 2, "nb")); err == nil {
				t.Error("AddIntent accepted an unknown batch")
			}
			if _, err := j.AddIntent(intent(b.ID, 2, "")); err == nil {
				t.Error("AddIntent accepted an empty identity")
			}
		})
	})
}

func TestConcurrentWriters(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		b := beginBatch(t, j)
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					id, err := j.AddIntent(intent(b.ID, w*each+i, fmt.Sprintf("c|%d-%d", w, i)))
					if err == nil {
						err = j.Complete(id, Result{State: StateOrdered, Answer: order.Answer{OrderID: id}})
					}
					if err == nil {
						err = j.PutRows(b.ID, []order.Result{{Row: w*each + i, Outcome: order.Ordered}})
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		h, err := j.History(HistoryFilter{Batch: b.ID})
		if err != nil || len(h) != workers*each {
			t.Fatalf("History: %d entries, %v; want %d", len(h), err, workers*each)
		}
		n := 0
		j.Rows(b.ID, func(order.Result) error { n++; return nil })
		if n != workers*each {
			t.Errorf("%d rows, want %d", n, workers*each)
		}
	})
}

func TestLocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("second writer in this process", func(t *testing.T) {
		_, err := Open(p, Options{})
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
			t.Errorf("Open = %v; want ErrLocked naming %s and pid %d", err, p, os.Getpid())
		}
	})
	t.Run("second writer in another process", func(t *testing.T) {
		out := helper(t, "open", p)
		if !strings.Contains(out, "locked: true") || !strings.Contains(out, "pid "+strconv.Itoa(os.Getpid())) {
			t.Errorf("child said %q", out)
		}
	})
	t.Run("reader while a writer holds the lock", func(t *testing.T) {
		b := beginBatch(t, j)
		r, err := Open(p, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got, err := r.Batch(b.ID); err != nil || got.ID != b.ID {
			t.Errorf("reader Batch = %+v, %v", got, err)
		}
		if _, err := r.BeginBatch("x", "y", "z", nil); !errors.Is(err, ErrReadOnly) {
			t.Errorf("reader BeginBatch = %v, want ErrReadOnly", err)
		}
		if err := r.PutRows(b.ID, []order.Result{{Row: 2}}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("reader PutRows = %v, want ErrReadOnly", err)
		}
	})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	t.Run("writer after close", func(t *testing.T) {
		j2, err := Open(p, Options{})
		if err != nil {
			t.Fatalf("Open after Close = %v", err)
		}
		j2.Close()
		if out := helper(t, "open", p); !strings.Contains(out, "locked: false") {
			t.Errorf("child after Close said %q", out)
		}
	})
	t.Run("reader of a missing journal", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		if _, err := Open(missing, Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open = %v, want fs.ErrNotExist", err)
		}
		if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("read-only Open created the file: %v", err)
		}
	})
}

// helper runs TestHelperProcess in a child process and returns its
// output.
func helper(t *testing.T, mode, path string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "JOURNAL_HELPER="+mode, "JOURNAL_PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	return string(out)
}

func TestCorruptJournal(t *testing.T) {
	makeDB := func(stmts ...string) func(string) {
		return func(p string) {
			db, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, s := range stmts {
				if _, err := db.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	write := func(data []byte) func(string) {
		return func(p string) {
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	noise := make([]byte, 8192)
	for i := range noise {
		noise[i] = byte(i*7919 + i/13)
	}
	for _, c := range []struct {
		name     string
		make     func(string)
		readOnly bool
	}{
		{"random bytes", write(noise), false},
		{"text", write([]byte(strings.Repeat("not sqlite ", 1000))), false},
		{"foreign schema", makeDB("CREATE TABLE invoices(id INTEGER)"), false},
		{"foreign schema, read-only", makeDB("CREATE TABLE invoices(id INTEGER)"), true},
		{"tables of the same names, other columns", makeDB("CREATE TABLE batches(id TEXT)", "CREATE TABLE orders(id INTEGER)", "CREATE TABLE rows(x)", "PRAGMA user_version=1"), false},
		{"other application", makeDB("PRAGMA application_id=42"), false},
		{"newer schema", makeDB("CREATE TABLE batches(id TEXT)", "PRAGMA application_id="+strconv.Itoa(applicationID), "PRAGMA user_version="+strconv.Itoa(SchemaVersion+1)), false},
		{"empty file, read-only", write(nil), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.db")
			c.make(p)
			before, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(p, Options{ReadOnly: c.readOnly})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), p) {
				t.Errorf("Open = %v; want ErrCorrupt naming %s", err, p)
			}
			// A file that is not a journal is left exactly as it was.
			if after, err := os.ReadFile(p); err != nil || !bytes.Equal(before, after) {
				t.Errorf("Open changed the file (%v)", err)
			}
			// The lock is released after a failed open.
			os.Remove(p)
			open(t, p).Close()
		})
	}
}

// A journal damaged after it was written: reading it reports ErrCorrupt
// rather than wrong answers.
func TestDamagedJournal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	j := open(t, p)
	b := beginBatch(t, j)
	for i := range 5 { // the schema alone fills a dozen pages
		addIntent(t, j, intent(b.ID, i, fmt.Sprintf("p|email:%d@example.com", i)))
	}
	if _, err := j.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	j.Close()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 6*4096 {
		t.Fatalf("journal is only %d bytes", len(data))
	}
	for i := 4096; i < len(data); i++ { // keep page 1 (header, schema)
		data[i] = byte(i * 31)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	j2, err := Open(p, Options{})
	if err == nil {
		defer j2.Close()
		_, err = j2.History(HistoryFilter{})
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("reading a damaged journal: %v, want ErrCorrupt", err)
	}
}

func TestBatches(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		c := &clock{t: t0}
		j.now = c.now
		t.Run("ID format and collisions within one second", func(t *testing.T) {
			seen := map[string]bool{}
			re := regexp.MustCompile(`^20261123T073310Z-[0-9a-f]{4}$`)
			for range 400 { // same clock reading: the random suffix must differ
				b, err := j.BeginBatch("submit", "in.csv", "s", nil)
				if err != nil {
					t.Fatal(err)
				}
				if !re.MatchString(b.ID) || seen[b.ID] {
					t.Fatalf("batch ID %q (seen before: %v)", b.ID, seen[b.ID])
				}
				seen[b.ID] = true
			}
		})
		t.Run("oldest first across a second boundary", func(t *testing.T) {
			j := tempJournal(t)
			c := &clock{}
			j.now = c.now
			var want []string
			// 10.5 s, then 11.0 s exactly: "…11Z" sorts after "…10.5Z" only
			// with fixed-width times.
			for _, at := range []time.Duration{10500 * time.Millisecond, 11 * time.Second, 11*time.Second + time.Nanosecond} {
				c.set(t0.Add(at))
				b := beginBatch(t, j)
				want = append(want, b.ID)
			}
			bs, err := j.Batches()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range bs {
				got = append(got, b.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Batches = %v, want %v", got, want)
			}
		})
		t.Run("finish", func(t *testing.T) {
			b := beginBatch(t, j)
			c.set(t0.Add(time.Hour))
			if err := j.FinishBatch(b.ID, BatchInterrupted); err != nil {
				t.Fatal(err)
			}
			got, err := j.Batch(b.ID)
			if err != nil || got.Status != BatchInterrupted || !got.FinishedAt.Equal(t0.Add(time.Hour)) {
				t.Errorf("Batch = %+v, %v", got, err)
			}
			if err := j.FinishBatch(b.ID, "done"); err == nil {
				t.Error("FinishBatch accepted status \"done\"")
			}
		})
		t.Run("unknown", func(t *testing.T) {
			if _, err := j.Batch("nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Batch = %v, want ErrNotFound", err)
			}
			if err := j.FinishBatch("nope", BatchFinished); !errors.Is(err, ErrNotFound) {
				t.Errorf("FinishBatch = %v, want ErrNotFound", err)
			}
		})
	})
}

func TestRows(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		b1, b2 := beginBatch(t, j), beginBatch(t, j)
		rec := func(row int, outcome order.Outcome, cells ...string) order.Result {
			return order.Result{Row: row, Input: cells, Product: "p", Outcome: outcome, Name: "Name " + strconv.Itoa(row), Email: "E@x" + strconv.Itoa(row),
				Note: "n" + string(outcome), Answer: order.Answer{OrderID: int64(row * 10),
					RequestID: 7, RequestStatus: "approved", OrderStatus: "issued", CertificateID: 9, Error: "e" + string(outcome)}}
		}
		steps := []struct {
			batch string
			rows  []order.Result
		}{
			{b1.ID, []order.Result{rec(10, order.Ordered, "김민준", "a@x"), rec(2, order.Uncertain, "陳", "")}},
			{b2.ID, []order.Result{rec(3, order.Ordered, "other batch")}},
			{b1.ID, []order.Result{rec(2, order.Ordered, "陳", "b@x"), rec(9, order.Invalid)}}, // row 2 replaced
		}
		for _, s := range steps {
			if err := j.PutRows(s.batch, s.rows); err != nil {
				t.Fatal(err)
			}
		}
		want := []order.Result{steps[2].rows[0], steps[2].rows[1], steps[0].rows[0]}
		var got []order.Result
		if err := j.Rows(b1.ID, func(r order.Result) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Rows =\n%+v\nwant\n%+v", got, want)
		}
		t.Run("callback error stops", func(t *testing.T) {
			stop := errors.New("stop")
			n := 0
			err := j.Rows(b1.ID, func(order.Result) error { n++; return stop })
			if !errors.Is(err, stop) || n != 1 {
				t.Errorf("Rows = %v after %d calls; want stop after 1", err, n)
			}
		})
		t.Run("refused as a whole", func(t *testing.T) {
			bad := []order.Result{rec(50, order.Ordered), rec(51, order.Ordered)}
			if err := j.PutRows("no-such-batch", bad); err == nil {
				t.Fatal("PutRows accepted rows of an unknown batch")
			}
			n := 0
			j.Rows("no-such-batch", func(r order.Result) error {
				if r.Row == 50 || r.Row == 51 {
					n++
				}
				return nil
			})
			if n != 0 {
				t.Error("a failed PutRows kept some of its rows")
			}
		})
		t.Run("status refresh", func(t *testing.T) {
			id := addIntent(t, j, intent(b1.ID, 10, "p|key:E7"))
			complete(t, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: 100, CertificateID: 5, OrderStatus: "pending"}})
			j.PutRows(b1.ID, []order.Result{{Row: 10, Answer: order.Answer{OrderID: 100, OrderStatus: "pending", RequestStatus: "pending", CertificateID: 5}}})
			if err := j.UpdateStatus(order.Answer{OrderID: 100, OrderStatus: "issued"}); err != nil {
				t.Fatal(err)
			}
			if err := j.UpdateStatus(order.Answer{OrderID: 100, OrderStatus: "revoked"}); err != nil {
				t.Fatal(err)
			}
			e, _ := j.Lookup("p|key:E7")
			if e == nil || e.OrderStatus != "revoked" || e.CertificateID != 5 {
				t.Errorf("entry after UpdateStatus: %+v", e)
			}
			if err := j.UpdateStatus(order.Answer{OrderID: 100, OrderStatus: "issued", RequestStatus: "approved", CertificateID: 77}); err != nil {
				t.Fatal(err)
			}
			e, _ = j.Lookup("p|key:E7")
			var r order.Result
			j.Rows(b1.ID, func(x order.Result) error {
				if x.Row == 10 {
					r = x
				}
				return nil
			})
			if e == nil || e.CertificateID != 77 || e.RequestStatus != "approved" || r.OrderStatus != "issued" || r.CertificateID != 77 || r.RequestStatus != "approved" {
				t.Errorf("after UpdateStatus with a certificate: entry %+v, row %+v", e, r)
			}
		})
	})
}

func TestHistory(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		c := &clock{}
		j.now = c.now
		c.set(t0)
		b1 := beginBatch(t, j)
		c.set(t0.Add(500 * time.Millisecond))
		jane := addIntent(t, j, Intent{Batch: b1.ID, Row: 2, Identity: "client|key:E7", Product: "client", Email: "Jane@Example.com", CommonName: "Jane"})
		complete(t, j, jane, Result{State: StateOrdered, Answer: order.Answer{OrderID: 42}})
		c.set(t0.Add(900 * time.Millisecond))
		key70 := addIntent(t, j, Intent{Batch: b1.ID, Row: 3, Identity: "client|key:E70", Product: "client", Email: "x@example.com"})
		complete(t, j, key70, Result{State: StateOrdered, Answer: order.Answer{OrderID: 43}})
		c.set(t0.Add(time.Second)) // a whole second: "…11Z" must sort after "…10.9Z"
		b2 := beginBatch(t, j)
		bob := addIntent(t, j, Intent{Batch: b2.ID, Row: 5, Identity: "client|email:bob@example.com", Product: "client", Email: "bob@example.com"})
		complete(t, j, bob, Result{State: StateRejected, Answer: order.Answer{Error: "400 bad"}})
		addIntent(t, j, Intent{Batch: b2.ID, Row: 6, Identity: "doc|email:jane@example.com", Product: "doc", Email: "jane@example.com"})

		for _, c := range []struct {
			name string
			f    HistoryFilter
			want string // rows, oldest first
		}{
			{"everything, oldest first", HistoryFilter{}, "2,3,5,6"},
			{"email, any case", HistoryFilter{Email: "JANE@example.COM"}, "2,6"},
			{"key, exact", HistoryFilter{Key: "E7"}, "2"},
			{"key prefix does not match", HistoryFilter{Key: "E"}, ""},
			{"email is not a key", HistoryFilter{Key: "bob@example.com"}, ""},
			{"batch", HistoryFilter{Batch: b2.ID}, "5,6"},
			{"since a whole second", HistoryFilter{Since: t0.Add(time.Second)}, "5,6"},
			{"since, inclusive", HistoryFilter{Since: t0.Add(900 * time.Millisecond)}, "3,5,6"},
			{"filters combine", HistoryFilter{Email: "jane@example.com", Batch: b1.ID}, "2"},
		} {
			t.Run(c.name, func(t *testing.T) {
				hs, err := j.History(c.f)
				if err != nil {
					t.Fatal(err)
				}
				var rows []string
				for _, h := range hs {
					rows = append(rows, strconv.Itoa(h.Row))
				}
				if got := strings.Join(rows, ","); got != c.want {
					t.Errorf("rows %q, want %q", got, c.want)
				}
			})
		}
		t.Run("fields", func(t *testing.T) {
			hs, err := j.History(HistoryFilter{Batch: b2.ID})
			if err != nil || len(hs) != 2 {
				t.Fatalf("History = %+v, %v", hs, err)
			}
			got := hs[0]
			want := Entry{ID: got.ID, Intent: Intent{Batch: b2.ID, Identity: "client|email:bob@example.com", Product: "client", ProductKey: "client",
				Email: "bob@example.com", Row: 5, PayloadHash: got.PayloadHash}, IntentAt: t0.Add(time.Second),
				Result: Result{State: StateRejected, Answer: order.Answer{Error: "400 bad"}}}
			if !got.IntentAt.Equal(want.IntentAt) {
				t.Errorf("IntentAt = %v, want %v", got.IntentAt, want.IntentAt)
			}
			got.IntentAt, got.CompletedAt = want.IntentAt, time.Time{}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if hs[1].State != StateIntent {
				t.Errorf("unanswered attempt has state %s", hs[1].State)
			}
		})
	})
}

func TestPruneRowsKeepsOrders(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		c := &clock{}
		j.now = c.now
		c.set(t0)
		old := beginBatch(t, j)
		id := addIntent(t, j, intent(old.ID, 2, "p|email:a"))
		complete(t, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: 7}})
		j.PutRows(old.ID, []order.Result{{Row: 2, Input: []string{"Jane", "a@x"}, Outcome: order.Ordered}, {Row: 3}})
		c.set(t0.Add(24 * time.Hour))
		recent := beginBatch(t, j)
		j.PutRows(recent.ID, []order.Result{{Row: 2, Input: []string{"Bob"}, Outcome: order.Invalid}})
		n, err := j.PruneRows(t0.Add(time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("PruneRows = %d, %v; want 2", n, err)
		}
		count := func(b string) (c int) {
			j.Rows(b, func(order.Result) error { c++; return nil })
			return
		}
		if count(old.ID) != 0 || count(recent.ID) != 1 {
			t.Errorf("rows left: old %d, recent %d; want 0, 1", count(old.ID), count(recent.ID))
		}
		if e, _ := j.Lookup("p|email:a"); e == nil || e.OrderID != 7 {
			t.Errorf("the order was pruned: %+v", e)
		}
	})
}

// An intent is durable when AddIntent returns: a process killed right
// after it leaves the intent behind.
func TestIntentSurvivesKill9(t *testing.T) {
	p := filepath.Join(t.TempDir(), "j.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "JOURNAL_HELPER=intent", "JOURNAL_PATH="+p)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	cmd.Process.Kill() // SIGKILL: no deferred Close, no clean shutdown
	cmd.Wait()
	if !strings.HasPrefix(line, "intent ") {
		t.Fatalf("child said %q", line)
	}
	j := open(t, p) // the dead child's lock is gone with it
	un, err := j.Unresolved()
	if err != nil || len(un) != 1 || fmt.Sprintf("intent %d %s\n", un[0].ID, un[0].Identity) != line || un[0].State != StateIntent {
		t.Fatalf("after kill -9: %+v, %v (child said %q)", un, err, line)
	}
}

// TestHelperProcess is run as a child process by the tests above.
func TestHelperProcess(t *testing.T) {
	p := os.Getenv("JOURNAL_PATH")
	switch os.Getenv("JOURNAL_HELPER") {
	case "":
		t.Skip("run by other tests")
	case "open":
		j, err := Open(p, Options{})
		fmt.Printf("locked: %v: %v\n", errors.Is(err, ErrLocked), err)
		if err == nil {
			j.Close()
		}
		os.Exit(0)
	case "intent":
		j, err := Open(p, Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		b, err := j.BeginBatch("submit", "x.csv", "s", nil)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		in := intent(b.ID, 2, "p|email:k@x")
		id, err := j.AddIntent(in)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Printf("intent %d %s\n", id, in.Identity)
		time.Sleep(time.Minute) // killed here; the parent never waits this out
		os.Exit(1)
	}
}

func TestMemoryJournal(t *testing.T) {
	j, err := Open(Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	b := beginBatch(t, j)
	id := addIntent(t, j, intent(b.ID, 2, "m"))
	if e, err := j.Lookup("m"); err != nil || e == nil || e.ID != id {
		t.Fatalf("in-memory journal lost its entry: %+v, %v", e, err)
	}
	j2, err := Open(Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if e, err := j2.Lookup("m"); err != nil || e != nil {
		t.Errorf("two in-memory journals share entries: %+v, %v", e, err)
	}
}

func BenchmarkAddIntentComplete(b *testing.B) {
	j := tempJournal(b)
	bt := beginBatch(b, j)
	i := 0
	for b.Loop() {
		id, err := j.AddIntent(intent(bt.ID, i, "id"+strconv.Itoa(i)))
		if err != nil {
			b.Fatal(err)
		}
		if err := j.Complete(id, Result{State: StateOrdered, Answer: order.Answer{OrderID: int64(i + 1)}}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}

func BenchmarkLookup(b *testing.B) {
	j := tempJournal(b)
	bt := beginBatch(b, j)
	for i := range 5000 {
		id := addIntent(b, j, intent(bt.ID, i, "id"+strconv.Itoa(i)))
		complete(b, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: int64(i + 1)}})
	}
	i := 0
	for b.Loop() {
		if e, err := j.Lookup("id" + strconv.Itoa(i%5000)); err != nil || e == nil {
			b.Fatal(e, err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

// BenchmarkFindPerson looks people up among 5,000 orders of one
// product, as every row of a batch does.
func BenchmarkFindPerson(b *testing.B) {
	j := tempJournal(b)
	bt := beginBatch(b, j)
	for i := range 5000 {
		in := intent(bt.ID, i, "id"+strconv.Itoa(i))
		in.PersonKey = "E" + strconv.Itoa(i)
		id := addIntent(b, j, in)
		complete(b, j, id, Result{State: StateOrdered, Answer: order.Answer{OrderID: int64(i + 1)}})
	}
	i := 0
	for b.Loop() {
		n := strconv.Itoa(i % 5000)
		m, err := j.FindPerson(Person{ProductKey: "client_premium_sha2", Email: "p" + n + "@example.com", Key: "E" + n})
		if err != nil || m.Entry == nil || m.Conflict != nil {
			b.Fatal(m, err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

func BenchmarkPutRows200(b *testing.B) {
	j := tempJournal(b)
	bt := beginBatch(b, j)
	rows := make([]order.Result, 200)
	base := 0
	for b.Loop() {
		for i := range rows {
			rows[i] = order.Result{Row: base + i, Input: []string{"Jane Doe", "jane@example.com", "Engineering", "E1234"},
				Product: "client_premium_sha2", Outcome: order.Ordered, Answer: order.Answer{OrderID: 100001, RequestID: 500001, RequestStatus: "approved", OrderStatus: "issued"}}
		}
		if err := j.PutRows(bt.ID, rows); err != nil {
			b.Fatal(err)
		}
		base += len(rows)
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
}

// A version 1 journal is upgraded in place: its orders keep stopping
// their people, now by email or by normalized key.
func TestUpgradeFromVersion1(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "schema-v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), "PRAGMA user_version=1", "PRAGMA application_id=" + strconv.Itoa(applicationID),
		`INSERT INTO batches VALUES('b1','2026-01-01T00:00:00.000000000Z',NULL,'submit','in.csv','x','[]','finished')`,
		`INSERT INTO orders(batch_id,row,identity,product,email,common_name,payload_sha256,state,intent_at,order_id) VALUES('b1',2,'client_premium_sha2|key:00124','client_premium','ann@example.com','Ann','h','ordered','2026-01-01T00:00:00.000000000Z',777)`,
		`INSERT INTO orders(batch_id,row,identity,product,email,common_name,payload_sha256,state,intent_at,order_id) VALUES('b1',3,'client_premium_sha2|email:bob@example.com','client_premium_sha2','bob@example.com','Bob','h','ordered','2026-01-01T00:00:00.000000000Z',778)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if _, err := Open(p, Options{ReadOnly: true}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "schema version 1") {
		t.Errorf("read-only open of a version 1 journal = %v, want the upgrade hint", err)
	}
	j := open(t, p)
	defer j.Close()
	for _, c := range []struct {
		p    Person
		want int64
	}{
		{Person{"client_premium_sha2", "ann@example.com", "", nil}, 777},
		{Person{"client_premium_sha2", "other@example.com", "124", nil}, 0}, // same key, other email: a conflict
		{Person{"client_premium_sha2", "bob@example.com", "E9", nil}, 778},  // key added later: the email still counts
	} {
		m, err := j.FindPerson(c.p)
		if err != nil {
			t.Fatal(err)
		}
		got := int64(0)
		if m.Entry != nil {
			got = m.Entry.OrderID
		}
		if got != c.want {
			t.Errorf("FindPerson(%+v) = order %d, want %d (conflict %v)", c.p, got, c.want, m.Conflict)
		}
		if c.want == 0 && (m.Conflict == nil || m.Conflict.OrderID != 777) {
			t.Errorf("FindPerson(%+v): conflict %+v, want order 777", c.p, m.Conflict)
		}
	}
	var v int
	j.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion {
		t.Errorf("user_version %d after the upgrade", v)
	}
}

func TestFindPerson(t *testing.T) {
	both(t, func(t *testing.T, tempJournal func(testing.TB) *Journal) {
		j := tempJournal(t)
		b := beginBatch(t, j)
		add := func(row int, email, key string, st State, status string) int64 {
			id := addIntent(t, j, Intent{Batch: b.ID, Row: row, Identity: "x", Product: "client_premium", ProductKey: "client_premium_sha2",
				Email: email, PersonKey: key})
			if st != StateIntent {
				complete(t, j, id, Result{State: st, Answer: order.Answer{OrderID: int64(row * 100), OrderStatus: status}})
			}
			return int64(row * 100)
		}
		add(2, "ann@example.com", "", StateOrdered, "issued")
		add(3, "bob@example.com", "e7", StateOrdered, "pending")
		add(4, "cy@example.com", "", StateOrdered, "canceled")
		add(5, "di@example.com", "", StateRejected, "")
		add(6, "ed@example.com", "", StateIntent, "")
		for _, c := range []struct {
			name     string
			p        Person
			entry    int64 // order ID of the deciding entry; -1: an unanswered attempt
			conflict int64
		}{
			{"same email", Person{"client_premium_sha2", "ann@example.com", "", nil}, 200, 0},
			{"same email, key given now", Person{"client_premium_sha2", "ann@example.com", "a1", nil}, 200, 0},
			{"same key and email", Person{"client_premium_sha2", "bob@example.com", "e7", nil}, 300, 0},
			{"same key, other email", Person{"client_premium_sha2", "robert@example.com", "e7", nil}, 0, 300},
			{"same email, other key", Person{"client_premium_sha2", "bob@example.com", "e8", nil}, 0, 300},
			{"other product", Person{"document_signing_org_1", "ann@example.com", "", nil}, 0, 0},
			{"canceled: may order again", Person{"client_premium_sha2", "cy@example.com", "", nil}, 0, 0},
			{"rejected attempt: nothing created", Person{"client_premium_sha2", "di@example.com", "", nil}, 0, 0},
			{"unanswered attempt decides", Person{"client_premium_sha2", "ed@example.com", "", nil}, -1, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				m, err := j.FindPerson(c.p)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case c.entry == 0 && m.Entry != nil, c.entry > 0 && (m.Entry == nil || m.Entry.OrderID != c.entry),
					c.entry == -1 && (m.Entry == nil || m.Entry.State != StateIntent):
					t.Errorf("entry %+v, want %d", m.Entry, c.entry)
				}
				if (c.conflict == 0) != (m.Conflict == nil) || m.Conflict != nil && m.Conflict.OrderID != c.conflict {
					t.Errorf("conflict %+v, want %d", m.Conflict, c.conflict)
				}
			})
		}
	})
}

// One journal under two names is one lock; a hard-linked journal is
// refused (SQLite's write-ahead log is kept per name), and so is a
// journal that is not a regular file.
func TestOneFileOneLock(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "j.db")
	j := open(t, p)
	defer j.Close()
	if !j.Created() {
		t.Error("a new journal does not say it was created")
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(link, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("Open through a symlink while held = %v, want ErrLocked", err)
	}
	hard := filepath.Join(dir, "hard.db")
	if err := os.Link(p, hard); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(hard, Options{}); err == nil || !strings.Contains(err.Error(), "hard links") {
		t.Errorf("Open of a hard-linked journal = %v, want refused", err)
	}
	j.Close()
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "2 names") {
		t.Errorf("Open of the original name with a second name = %v, want refused", err)
	}
	os.Remove(hard)
	j2, err := Open(link, Options{})
	if err != nil {
		t.Fatalf("Open through the symlink alone = %v", err)
	}
	if j2.Created() {
		t.Error("an existing journal reported as created")
	}
	if _, err := os.Stat(link + "-wal"); err == nil {
		t.Error("SQLite opened the symlink's name: its WAL is beside the link")
	}
	j2.Close()
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open of a directory = %v", err)
	}
}
