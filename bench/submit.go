package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/sandbox"
)

// The submission run: DigiCert's two windows scaled so a run takes about
// 20 s, with the sandbox's windows 10% above the client's, as DigiCert's
// published limits are above certbatch's default.
const (
	clientLimit = "100/4s,1500/60s" // 25 requests/s sustained
	clientRate  = 25.0
	latency     = 50 * time.Millisecond
)

var serverWindows = []sandbox.Window{{Limit: 110, Per: 4 * time.Second}, {Limit: 1650, Per: 60 * time.Second}}

// burst is the short window's limit: the run starts with one burst.
const burst = 100

type submitRun struct {
	rate     float64 // sustained orders/s after the first window
	elapsed  time.Duration
	orders   int
	limited  int
	maxInWin []int
}

func submitOnce(bin, dir, cfg string, rows int, state string) (submitRun, error) {
	in := filepath.Join(dir, fmt.Sprintf("submit-%d.csv", time.Now().UnixNano()))
	if err := writeCSV(in, rows); err != nil {
		return submitRun{}, err
	}
	base, sb, stop, err := sandbox.Start(sandbox.Config{APIKey: "bench-key", Latency: latency, Windows: serverWindows, RecordArrivals: true})
	if err != nil {
		return submitRun{}, err
	}
	defer stop()
	cmd := exec.Command(bin, "submit", in, "--config", cfg, "--state", state, "--base-url", base, "--yes", "--quiet",
		"--rate-limit", clientLimit, "--concurrency", "8", "-o", filepath.Join(dir, "submit.results.csv"))
	cmd.Env = append(os.Environ(), "DIGICERT_API_KEY=bench-key")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return submitRun{}, fmt.Errorf("submit: %v\n%s", err, stderr.String())
	}
	r := submitRun{elapsed: time.Since(start)}
	st := sb.Stats()
	r.orders, r.limited, r.maxInWin = st.OrdersCreated, st.RateLimited, st.MaxInWindow
	at := sb.Arrivals()
	if len(at) > 1 {
		// Sustained rate: a run is a train of bursts, one short window's
		// worth each. With k full bursts and one request more, that last
		// request opens burst k+1, so (requests-1) over the time from the
		// first request to the last is exactly the rate the limiter keeps
		// up, without the free first burst flattering it.
		r.rate = float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds()
	}
	return r, nil
}

func submitBench(bin, dir, cfg string, small bool, _ *int) ([]figure, error) {
	rows := 5*burst + 1 // about 20 s at 25/s
	if small {
		rows = 2*burst + 1
	}
	on, err := submitOnce(bin, dir, cfg, rows, filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	// The comparison journal lives in RAM (/dev/shm where there is one):
	// the same SQLite work without waiting for the disk. certbatch
	// refuses a journal that is not a file (:memory:) for submit.
	ram := dir
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		ram = "/dev/shm"
	}
	off, err := submitOnce(bin, dir, cfg, rows, filepath.Join(ram, fmt.Sprintf("certbatch-bench-%d.db", os.Getpid())))
	defer os.Remove(filepath.Join(ram, fmt.Sprintf("certbatch-bench-%d.db", os.Getpid())))
	if err != nil {
		return nil, err
	}
	perOrder, err := journalCost(dir)
	if err != nil {
		return nil, err
	}
	defaultGap := time.Duration(float64(time.Second) / ratelimit.New(ratelimit.Default).Rate())
	ratio := on.rate / clientRate
	overhead := 1 - on.rate/off.rate
	figs := []figure{
		{name: fmt.Sprintf("submit %d orders, 50 ms latency, --rate-limit %s, journal on: sustained orders/s", rows, clientLimit),
			certbatch: fmt.Sprintf("%.2f/s (%d orders in %s)", on.rate, on.orders, secs(on.elapsed)), floor: fmt.Sprintf("%.0f/s configured", clientRate),
			ratio: fmt.Sprintf("%.1f%%", ratio*100), target: ">= 97% of the configured rate", pass: ratio >= 0.97},
		{name: "submit: 429 answers (sandbox windows 10% above the client's)", certbatch: fmt.Sprint(on.limited + off.limited), floor: "0",
			ratio: "-", target: "0", pass: on.limited+off.limited == 0, note: fmt.Sprintf("most requests in one window: %v", on.maxInWin)},
		{name: "submit: journal overhead (SQLite WAL, full sync, on disk vs. in RAM)", certbatch: fmt.Sprintf("%.2f/s", on.rate),
			floor: fmt.Sprintf("%.2f/s", off.rate), ratio: fmt.Sprintf("%+.1f%%", overhead*100), target: "< 5%", pass: overhead < 0.05},
		{name: "journal cost per order at the default rate limit (" + limits(ratelimit.Default) + ")",
			certbatch: fmt.Sprintf("%.2f ms per order (intent + answer, each fsynced)", float64(perOrder.Microseconds())/1000),
			floor:     fmt.Sprintf("%.0f ms between orders", float64(defaultGap.Milliseconds())), ratio: fmt.Sprintf("%.2f%%", 100*perOrder.Seconds()/defaultGap.Seconds()),
			target: "< 5%", pass: perOrder.Seconds()/defaultGap.Seconds() < 0.05},
	}
	return figs, nil
}

func limits(ws []ratelimit.Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}

// journalCost is the mean time of recording one order's intent and its
// answer, each a durable (fsynced) SQLite commit, as submit does.
func journalCost(dir string) (time.Duration, error) {
	j, err := journal.Open(filepath.Join(dir, "cost.db"), journal.Options{})
	if err != nil {
		return 0, err
	}
	defer j.Close()
	b, err := j.BeginBatch("bench", "x", "x", nil)
	if err != nil {
		return 0, err
	}
	const n = 300
	start := time.Now()
	for i := 0; i < n; i++ {
		id, err := j.AddIntent(journal.Intent{Batch: b.ID, Row: i + 2, Identity: fmt.Sprintf("p|email:%d", i), Product: "p", Email: "e"})
		if err != nil {
			return 0, err
		}
		if err := j.Complete(id, journal.Result{State: journal.StateOrdered, Answer: order.Answer{OrderID: int64(i + 1)}}); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / n, nil
}
