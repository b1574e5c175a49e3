package pipeline

import (
	"cmp"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Progress receives progress of a run. Implementations must be safe for
// use from one goroutine at a time; the run's writer goroutine owns it.
type Progress interface {
	Start(total int64)      // total rows, or -1 when unknown
	Add(n int)              // n more rows done
	Paused(until time.Time) // the API asked us to slow down (429); zero time clears it
	Finish()
}

// NopProgress shows nothing (--quiet).
type NopProgress struct{}

// Start implements Progress.
func (NopProgress) Start(int64) {}

// Add implements Progress.
func (NopProgress) Add(int) {}

// Paused implements Progress.
func (NopProgress) Paused(time.Time) {}

// Finish implements Progress.
func (NopProgress) Finish() {}

// BarProgress draws a progress bar on a terminal: rows done/total, rows
// per second, ETA, and a note while paused by a 429.
type BarProgress struct {
	W     io.Writer
	Label string
	Unit  string // what a row is counted as: "rows" (default) or "orders"
	bar   *progressbar.ProgressBar
	// Lang is the language of the pause notice (zero: English).
	Lang l10n.Printer
}

// Start implements Progress.
func (b *BarProgress) Start(total int64) {
	b.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(b.W),
		progressbar.OptionSetDescription(b.Label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(cmp.Or(b.Unit, "rows")),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
}

// Add implements Progress.
func (b *BarProgress) Add(n int) { b.bar.Add(n) }

// Paused implements Progress.
func (b *BarProgress) Paused(until time.Time) {
	if until.IsZero() {
		b.bar.Describe(b.Label)
		return
	}
	b.bar.Describe(b.Lang.Sprintf("%s (paused by the API's rate limit until %s)", b.Label, until.Format("15:04:05")))
}

// Finish implements Progress.
func (b *BarProgress) Finish() { b.bar.Finish() }

// LogProgress writes a log line at most every Every (for cron logs, where
// a bar would fill the file with carriage returns).
type LogProgress struct {
	Log   *slog.Logger
	Every time.Duration
	Label string

	mu     sync.Mutex
	total  int64
	done   int64
	start  time.Time
	last   time.Time
	paused time.Time
}

// Start implements Progress.
func (l *LogProgress) Start(total int64) {
	l.total, l.start, l.last = total, time.Now(), time.Now()
	if l.Every == 0 {
		l.Every = 10 * time.Second
	}
}

// Add implements Progress.
func (l *LogProgress) Add(n int) {
	l.done += int64(n)
	if now := time.Now(); now.Sub(l.last) >= l.Every {
		l.last = now
		l.emit()
	}
}

func (l *LogProgress) emit() {
	el := time.Since(l.start).Seconds()
	args := []any{"done", l.done}
	if l.total >= 0 {
		args = append(args, "total", l.total)
	}
	if el > 0 {
		args = append(args, "rows_per_s", float64(int(float64(l.done)/el*10))/10)
	}
	l.Log.Info(l.Label, args...)
}

// Paused implements Progress.
func (l *LogProgress) Paused(until time.Time) {
	if !until.IsZero() && until.After(l.paused) {
		l.Log.Warn("rate limited by the API: all workers paused", "until", until.Format(time.RFC3339))
	}
	l.paused = until
}

// Finish implements Progress.
func (l *LogProgress) Finish() {}
