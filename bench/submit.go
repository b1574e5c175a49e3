package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/certbatch/certbatch/sandbox"
)

// The submission run: DigiCert's two windows scaled so a run takes about
// 20 s, with the sandbox's windows 10% above the client's, as DigiCert's
// published limits are above certbatch's default.
const (
	clientLimit = "50/2s,1000/40s" // 25 requests/s sustained
	clientRate  = 25.0
	latency     = 50 * time.Millisecond
)

var serverWindows = []sandbox.Window{{Limit: 55, Per: 2 * time.Second}, {Limit: 1100, Per: 40 * time.Second}}

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
	if len(at) > 0 {
		// Sustained rate: after the first short window (whose burst would
		// flatter the figure) to the last request.
		from := at[0].Add(2 * time.Second)
		n := 0
		for _, t := range at {
			if t.After(from) {
				n++
			}
		}
		r.rate = float64(n) / at[len(at)-1].Sub(from).Seconds()
	}
	return r, nil
}

func submitBench(bin, dir, cfg string, small bool, _ *int) ([]figure, error) {
	rows := 540
	if small {
		rows = 60
	}
	on, err := submitOnce(bin, dir, cfg, rows, filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	off, err := submitOnce(bin, dir, cfg, rows, ":memory:")
	if err != nil {
		return nil, err
	}
	ratio := on.rate / clientRate
	overhead := 1 - on.rate/off.rate
	figs := []figure{
		{name: fmt.Sprintf("submit %d orders, 50 ms latency, --rate-limit %s, journal on: sustained orders/s", rows, clientLimit),
			certbatch: fmt.Sprintf("%.2f/s (%d orders in %s)", on.rate, on.orders, secs(on.elapsed)), floor: fmt.Sprintf("%.0f/s configured", clientRate),
			ratio: fmt.Sprintf("%.1f%%", ratio*100), target: ">= 97% of the configured rate", pass: ratio >= 0.97},
		{name: "submit: 429 answers (sandbox windows 10% above the client's)", certbatch: fmt.Sprint(on.limited + off.limited), floor: "0",
			ratio: "-", target: "0", pass: on.limited+off.limited == 0, note: fmt.Sprintf("most requests in one window: %v", on.maxInWin)},
		{name: "submit: journal overhead (SQLite WAL, full sync, vs. an in-memory journal)", certbatch: fmt.Sprintf("%.2f/s", on.rate),
			floor: fmt.Sprintf("%.2f/s", off.rate), ratio: fmt.Sprintf("%+.1f%%", overhead*100), target: "< 5%", pass: overhead < 0.05},
	}
	return figs, nil
}
