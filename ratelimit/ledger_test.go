package ratelimit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestWaitFor(t *testing.T) {
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	done := func(start, end time.Duration) Admission { return Admission{Start: at(start), End: at(end)} }
	flying := func(start time.Duration) Admission { return Admission{Start: at(start)} }
	w2 := []Window{{2, time.Second}}
	tests := []struct {
		name    string
		windows []Window
		held    []Admission
		paused  time.Duration // from t0; 0: none
		want    time.Duration
	}{
		{"empty", w2, nil, 0, 0},
		{"room for one more", w2, []Admission{done(0, 0)}, 0, 0},
		{"full: the oldest frees its place Per after it ended", w2, []Admission{done(-500*time.Millisecond, -400*time.Millisecond), done(-100*time.Millisecond, 0)}, 0, 600 * time.Millisecond},
		{"ended Per ago: no longer counts", w2, []Admission{done(-2*time.Second, -time.Second), done(0, 0)}, 0, 0},
		{"in flight: frees no sooner than Per from now", w2, []Admission{flying(-3 * time.Second), flying(-time.Second)}, 0, time.Second},
		{"never finished: counts as ending Lease after its start", w2, []Admission{flying(-Lease - 300*time.Millisecond), done(0, 0)}, 0, 700 * time.Millisecond},
		{"lease and Per both over", w2, []Admission{flying(-Lease - 2*time.Second), done(0, 0)}, 0, 0},
		{"pause", w2, nil, 3 * time.Second, 3 * time.Second},
		{"pause longer than the window's wait", w2, []Admission{done(0, 0), done(0, 0)}, 3 * time.Second, 3 * time.Second},
		{"the longer window binds", []Window{{2, time.Second}, {3, time.Minute}},
			[]Admission{done(-50*time.Second, -50*time.Second), done(-10*time.Second, -10*time.Second), done(-5*time.Second, -5*time.Second)}, 0, 10 * time.Second},
		{"several over the limit: wait for enough of them", []Window{{1, time.Second}},
			[]Admission{done(0, -900*time.Millisecond), done(0, -500*time.Millisecond), done(0, -100*time.Millisecond)}, 0, 900 * time.Millisecond},
		{"times in the future (clock set back) count as now, not as long as the clock moved", w2, []Admission{done(time.Hour, time.Hour), done(time.Hour, 2*time.Hour)}, 0, time.Second},
		{"in flight since the future", w2, []Admission{flying(time.Hour), flying(time.Hour)}, 0, time.Second},
		{"invalid windows are ignored", []Window{{0, time.Second}, {1, 0}}, []Admission{done(0, 0)}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paused time.Time
			if tt.paused > 0 {
				paused = at(tt.paused)
			}
			if got := WaitFor(t0, tt.windows, tt.held, paused); got != tt.want {
				t.Errorf("WaitFor = %v, want %v", got, tt.want)
			}
		})
	}
}

// openLedger opens the ledger of key in dir; each call is a new open
// file description, so two of them lock each other out like two
// processes.
func openLedger(t *testing.T, dir string) *FileLedger {
	t.Helper()
	l, err := OpenFileLedger(LedgerPath(dir, "KEY-secret-1234"), FileLedgerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// Two processes (two limiters, each with its own open ledger file) draw
// from one window: a second process starting right after the first one
// used the window does not get a fresh one.
func TestSharedLimitersDrawFromOneWindow(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		windows := []Window{{10, time.Second}, {25, 10 * time.Second}}
		a := NewShared(windows, openLedger(t, dir))
		b := NewShared(windows, openLedger(t, dir))
		start := time.Now()
		var at []time.Time
		for i := range 30 {
			l := a
			if i >= 12 { // b starts after a used 12
				l = b
			}
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			at = append(at, time.Now())
		}
		checkWindows(t, at, windows)
		// 10 at 0s, 10 at 1s, 5 at 2s fill 25/10s; 5 more at 10s.
		if got := at[len(at)-1].Sub(start); got != 10*time.Second {
			t.Errorf("last admission at +%v, want +10s", got)
		}
	})
}

// Concurrent requests of two processes, each taking time: the windows
// are never exceeded counting every request from its start until Per
// after its answer.
func TestSharedLimitersConcurrent(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		windows := []Window{{5, time.Second}}
		lims := []*Limiter{NewShared(windows, openLedger(t, dir)), NewShared(windows, openLedger(t, dir))}
		var (
			mu    sync.Mutex
			spans [][2]time.Time
			wg    sync.WaitGroup
		)
		for i := range 8 {
			l := lims[i%2]
			wg.Go(func() {
				for range 5 {
					done, err := l.Acquire(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					s := time.Now()
					time.Sleep(time.Duration(50+30*i) * time.Millisecond) // the request takes time
					e := time.Now()
					done()
					mu.Lock()
					spans = append(spans, [2]time.Time{s, e})
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(spans) != 40 {
			t.Fatalf("%d requests, want 40", len(spans))
		}
		// At any instant, at most Limit requests are in flight or ended
		// within Per: what a server counting arrivals could see.
		for _, x := range spans {
			active := 0
			for _, y := range spans {
				if !y[0].After(x[0]) && y[1].Add(time.Second).After(x[0]) {
					active++
				}
			}
			if active > 5 {
				t.Fatalf("%d requests active at %v; the window allows 5", active, x[0])
			}
		}
	})
}

// A 429 one process sees pauses every process of the key.
func TestPauseHoldsEveryProcess(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		a := NewShared(Published, openLedger(t, dir))
		b := NewShared(Published, openLedger(t, dir))
		start := time.Now()
		a.Pause(3 * time.Second)
		if err := b.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("the other process was admitted at +%v, want +3s (the end of the pause)", got)
		}
	})
}

// A process killed with a request in flight never finishes it: the
// admission counts until Lease after its start, then a window longer.
func TestKilledProcessCountsUntilItsLease(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		killed := openLedger(t, dir)
		if _, wait, err := killed.Admit(context.Background(), []Window{{1, time.Second}}); err != nil || wait != 0 {
			t.Fatalf("Admit = %v, %v", wait, err)
		}
		killed.Close() // the process dies, the admission stays in flight
		start := time.Now()
		if err := NewShared([]Window{{1, time.Second}}, openLedger(t, dir)).Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != Lease+time.Second {
			t.Errorf("admitted at +%v, want +%v (the lease, then the window)", got, Lease+time.Second)
		}
	})
}

func TestSharedAcquireStopsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		l := NewShared([]Window{{1, time.Hour}}, openLedger(t, dir))
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := l.Acquire(ctx); err != context.DeadlineExceeded {
			t.Fatalf("Acquire = %v, want the deadline", err)
		}
		// The one that gave up took nothing: the window still frees at +1h.
		other := NewShared([]Window{{2, time.Hour}}, openLedger(t, dir))
		if err := other.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLedgerFile(t *testing.T) {
	const key = "KEY-secret-1234"
	dir := t.TempDir()
	path := LedgerPath(dir, key)
	if strings.Contains(path, key) || filepath.Dir(path) != dir || LedgerPath(dir, key+"x") == path {
		t.Fatalf("LedgerPath = %s", path)
	}
	l := openLedger(t, dir)
	for range 3 {
		id, _, err := l.Admit(context.Background(), Default)
		if err != nil {
			t.Fatal(err)
		}
		l.Finish(context.Background(), id)
	}
	l.Pause(context.Background(), time.Second)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("ledger file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte(key)) || bytes.Contains(b, []byte("secret")) {
		t.Error("the key is in the ledger file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want the ledger alone", len(ents))
	}
}

func TestLedgerFileRefusesWhatIsNotItsOwn(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	check := func(t *testing.T, path, want string) {
		t.Helper()
		_, err := OpenFileLedger(path, FileLedgerOptions{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("OpenFileLedger = %v, want an error saying %q", err, want)
		}
		if b, _ := os.ReadFile(victim); string(b) != "keep me" {
			t.Fatalf("the victim file was changed: %q", b)
		}
	}
	t.Run("planted symlink", func(t *testing.T) {
		p := filepath.Join(dir, "link.ledger")
		os.Symlink(victim, p)
		check(t, p, "symbolic link")
		os.Symlink(filepath.Join(dir, "nothing-there"), p+"2") // a dangling one is not followed to create a file
		check(t, p+"2", "symbolic link")
		if _, err := os.Lstat(filepath.Join(dir, "nothing-there")); err == nil {
			t.Error("the dangling symlink's target was created")
		}
	})
	t.Run("hard link", func(t *testing.T) {
		p := filepath.Join(dir, "hard.ledger")
		if err := os.Link(victim, p); err != nil {
			t.Skip(err)
		}
		check(t, p, "hard links")
	})
	t.Run("directory", func(t *testing.T) {
		p := filepath.Join(dir, "dir.ledger")
		os.Mkdir(p, 0o700)
		_, err := OpenFileLedger(p, FileLedgerOptions{})
		if err == nil {
			t.Fatal("a directory was opened as a ledger")
		}
	})
	t.Run("too open", func(t *testing.T) {
		p := filepath.Join(dir, "open.ledger")
		os.WriteFile(p, nil, 0o644)
		os.Chmod(p, 0o644)
		l, err := OpenFileLedger(p, FileLedgerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.Close()
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	})
}

// A file that is not a ledger (a crash of the machine mid-write) is
// replaced by an empty ledger paused for DigiCert's longest window; a
// process killed between the write and the truncation leaves a tail
// that is ignored.
func TestLedgerFileRecovers(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		l := openLedger(t, dir)
		path := l.Path()
		os.WriteFile(path, []byte("garbage that is no ledger at all......................"), 0o600)
		_, wait, err := l.Admit(context.Background(), Default)
		if err != nil || wait != DigiCertLongest {
			t.Fatalf("Admit on a corrupt file = %v, %v; want a wait of %v", wait, err, DigiCertLongest)
		}
		time.Sleep(wait)
		id, wait, err := l.Admit(context.Background(), Default)
		if err != nil || wait != 0 {
			t.Fatalf("Admit after the pause = %v, %v", wait, err)
		}
		// A stale tail after the content (a truncation that never came).
		b, _ := os.ReadFile(path)
		os.WriteFile(path, append(b, bytes.Repeat([]byte{0xAB}, 100)...), 0o600)
		if err := l.Finish(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		st, err := decodeLedger(must(os.ReadFile(path)))
		if err != nil || len(st.held) != 1 || st.held[0].End.IsZero() {
			t.Fatalf("after the tail: %+v %v", st, err)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A clock set back never stalls the budget for as long as it moved: a
// pause lasts its own length, admissions count for a window from now.
func TestLedgerClockSetBack(t *testing.T) {
	now := t0.Add(time.Hour)
	l, err := OpenFileLedger(LedgerPath(t.TempDir(), "k"), FileLedgerOptions{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	w := []Window{{1, time.Second}}
	id, _, _ := l.Admit(ctx, w)
	l.Finish(ctx, id)
	l.Pause(ctx, time.Minute)
	now = t0 // an hour back
	if _, wait, err := l.Admit(ctx, w); err != nil || wait != time.Minute {
		t.Fatalf("Admit after the clock went back = %v, %v; want the pause's minute", wait, err)
	}
	now = t0.Add(time.Minute)
	if _, wait, err := l.Admit(ctx, w); err != nil || wait != 0 {
		t.Fatalf("Admit after the pause = %v, %v", wait, err)
	}
}
