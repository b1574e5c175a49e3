package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// diagWriter is certbatch's stderr: every line a command writes there
// (the plan, the account check, prompts, warnings, interruptions, the
// final error and its hints) goes through it. In text mode bytes pass
// through unchanged; with --log-format json each line becomes one JSON
// object of the same shape slog's JSON handler writes ({"time", "level",
// "msg"}), so a machine reading stderr parses every line. Lines are
// kept whole: a message is one format string, never assembled from
// fragments here. It is safe for concurrent use (the signal handler
// writes while a command runs).
type diagWriter struct {
	mu      sync.Mutex
	w       io.Writer
	json    bool
	partial []byte       // a line not yet ended by '\n'
	log     *slog.Logger // JSON mode: writes the objects to w
}

// newDiagWriter wraps w. A writer that is a diagWriter already is
// returned as it is.
func newDiagWriter(w io.Writer) *diagWriter {
	if d, ok := w.(*diagWriter); ok {
		return d
	}
	return &diagWriter{w: w}
}

// setJSON turns JSON mode on or off; a partial line is flushed first in
// the mode it was written in.
func (d *diagWriter) setJSON(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.json == on {
		return
	}
	d.flushLocked()
	d.json = on
	if on && d.log == nil {
		d.log = slog.New(slog.NewJSONHandler(directWriter{d}, nil))
	}
}

// isJSON reports whether lines are written as JSON.
func (d *diagWriter) isJSON() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.json
}

// raw returns a writer to the underlying stream for whole records
// (slog's handlers write one record per Write): it takes the lock, so a
// record never lands inside another line.
func (d *diagWriter) raw() io.Writer { return lockedWriter{d} }

// lockedWriter writes to a diagWriter's stream as it is, holding its lock.
type lockedWriter struct{ d *diagWriter }

func (l lockedWriter) Write(p []byte) (int, error) {
	l.d.mu.Lock()
	defer l.d.mu.Unlock()
	return l.d.w.Write(p)
}

// directWriter writes to a diagWriter's stream as it is; the caller
// holds the lock (emit).
type directWriter struct{ d *diagWriter }

func (w directWriter) Write(p []byte) (int, error) { return w.d.w.Write(p) }

// Write implements io.Writer.
func (d *diagWriter) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.json {
		return d.w.Write(p)
	}
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			d.partial = append(d.partial, p...)
			break
		}
		line := p[:i]
		if len(d.partial) > 0 {
			line = append(d.partial, line...)
			d.partial = d.partial[:0]
		}
		d.emit(string(line))
		p = p[i+1:]
	}
	return n, nil
}

// flush writes out a line not yet ended (a prompt waiting for an answer).
func (d *diagWriter) flush() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.flushLocked()
}

func (d *diagWriter) flushLocked() {
	if len(d.partial) == 0 {
		return
	}
	if d.json {
		d.emit(string(d.partial))
	} else {
		d.w.Write(d.partial)
	}
	d.partial = d.partial[:0]
}

// emit writes one line as a JSON object; d.mu is held.
func (d *diagWriter) emit(line string) {
	line = strings.TrimRight(line, "\r")
	d.log.Log(context.Background(), lineLevel(line), line)
}

// lineLevel is the level of a stderr line in JSON mode: errors and
// warnings by their prefix, everything else informational.
func lineLevel(line string) slog.Level {
	switch l := strings.ToLower(strings.TrimSpace(line)); {
	case strings.HasPrefix(l, "certbatch: error:"):
		return slog.LevelError
	case strings.HasPrefix(l, "warning"), strings.Contains(l, " warning:"):
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// flushLine writes out a prompt that waits for an answer on its line:
// with JSON logs it is one JSON object, written before the answer is read.
func flushLine(w io.Writer) {
	if d, ok := w.(*diagWriter); ok {
		d.flush()
	}
}

// jsonLogsAsked reports whether args ask for JSON logs (--log-format
// json or --log-format=json), so that even an error found while parsing
// the command line is written as JSON.
func jsonLogsAsked(args []string) bool {
	for i, a := range args {
		if a == "--" {
			return false
		}
		if a == "--log-format=json" || a == "--log-format" && i+1 < len(args) && args[i+1] == "json" {
			return true
		}
	}
	return false
}
