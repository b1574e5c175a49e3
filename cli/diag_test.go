package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/sandbox"
)

// jsonLines parses every line of stderr as one JSON object with a time,
// a level and a message, and returns the messages; a line that is not
// JSON fails the test.
func jsonLines(t *testing.T, what, stderr string) []string {
	t.Helper()
	var msgs []string
	for i, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if line == "" && stderr == "" {
			break
		}
		var rec struct {
			Time  string `json:"time"`
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Time == "" || rec.Level == "" {
			t.Errorf("%s: stderr line %d is not a JSON log record (%v): %q", what, i+1, err, line)
			continue
		}
		msgs = append(msgs, rec.Msg)
	}
	return msgs
}

func hasMsg(msgs []string, part string) bool {
	for _, m := range msgs {
		if strings.Contains(m, part) {
			return true
		}
	}
	return false
}

// With --log-format json every line on stderr is JSON: the plan, the
// account check, the new-journal notice, problems, the prompt on a
// terminal, the final error and its hints, and errors found while the
// command line is parsed. The progress display on a terminal becomes
// log records too.
func TestJSONLogsMakeEveryStderrLineJSON(t *testing.T) {
	e := newEnv(t, 3, sandbox.Config{})
	rows := staff(3, 1)
	rows[2][2] = "not-an-email"
	writeCSV(t, e.input, rows)
	sio := func(stdin string, tty bool) (IO, *bytes.Buffer, *bytes.Buffer) {
		var out, errb bytes.Buffer
		return IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(k string) string { return e.vars[k] },
			InTTY: tty, ErrTTY: tty}, &out, &errb
	}
	submit := []string{"submit", e.input, "--config", e.config, "--state", e.state, "--base-url", e.base,
		"-o", filepath.Join(e.dir, "results.csv"), "--settle", "0s", "--log-format", "json"}

	// A terminal: the plan and the prompt, then the answer.
	io, _, errb := sio("yes\n", true)
	code := Main(context.Background(), submit, io)
	msgs := jsonLines(t, "submit on a terminal", errb.String())
	if code != ExitRowsBad {
		t.Errorf("submit: exit %d, want %d", code, ExitRowsBad)
	}
	for _, want := range []string{"new journal", "will place up to 2 orders", "Place these orders? Type yes to continue:", "not-an-email"} {
		if !hasMsg(msgs, want) {
			t.Errorf("submit: no JSON line says %q; lines:\n%s", want, strings.Join(msgs, "\n"))
		}
	}

	// Unattended: nothing left to order, the plan says so.
	io, _, errb = sio("", false)
	Main(context.Background(), append(submit, "--yes"), io)
	jsonLines(t, "submit --yes", errb.String())

	// validate, an error with its hint, and a command line that fails
	// to parse.
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"validate", []string{"validate", e.input, "--config", e.config, "-o", filepath.Join(e.dir, "v.csv"), "--log-format", "json"}, ""},
		{"missing input", []string{"validate", filepath.Join(e.dir, "nope.csv"), "--config", e.config, "--log-format", "json"}, "certbatch: error:"},
		{"unknown flag", []string{"validate", e.input, "--log-format=json", "--bogus"}, "run 'certbatch --help'"},
	} {
		io, _, errb := sio("", false)
		Main(context.Background(), c.args, io)
		msgs := jsonLines(t, c.name, errb.String())
		if c.want != "" && !hasMsg(msgs, c.want) {
			t.Errorf("%s: no JSON line says %q; stderr:\n%s", c.name, c.want, errb.String())
		}
	}
}

// The messages that say a run is stopping (written by the signal
// handler while the command runs) are JSON lines too.
func TestStopMessagesAreJSONLines(t *testing.T) {
	var b bytes.Buffer
	d := newDiagWriter(&b)
	d.setJSON(true)
	stops := make(chan stopReason, 3)
	stops <- "hangup"
	stops <- "terminated"
	stops <- "terminated"
	close(stops)
	canceled := false
	hurry := make(chan struct{})
	handleStops(func() l10n.Printer { return l10n.Printer{} }, stops, d, func() { canceled = true }, hurry)
	msgs := jsonLines(t, "stop messages", b.String())
	if len(msgs) != 3 || !canceled || !strings.Contains(msgs[0], "hangup") {
		t.Errorf("canceled %v, messages %q", canceled, msgs)
	}
	select {
	case <-hurry:
	default:
		t.Error("a second stop did not stop the wait for answers")
	}
}
