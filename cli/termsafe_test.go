package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certbatch/certbatch/sandbox"
)

func TestTermSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain 陳 Zoë\tand\nlines": "plain 陳 Zoë\tand\nlines",
		"\x1b[2J\x1b]0;owned\x07": `\u{001B}[2J\u{001B}]0;owned\u{0007}`,
		"evil\u202egpj.exe":       `evil\u{202E}gpj.exe`,
		"cr\rover":                `cr\u{000D}over`,
		"c1\u009bcontrol":         `c1\u{009B}control`,
	} {
		if got := termSafe(in); got != want {
			t.Errorf("termSafe(%q) = %q, want %q", in, got, want)
		}
	}
	var b bytes.Buffer
	safeWriter{&b}.Write([]byte("row 2: 400 \x1b[31mred\x1b[0m\n"))
	if strings.ContainsRune(b.String(), 0x1b) {
		t.Errorf("safeWriter passed an escape: %q", b.String())
	}
}

// A server's message never reaches the terminal raw.
func TestServerTextIsNotPrintedRaw(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	sb, _ := sandbox.New(sandbox.Config{APIKey: testKey, Windows: []sandbox.Window{}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			io.WriteString(w, `{"errors":[{"code":"invalid_value:x","message":"\u001b[2J\u001b]0;pwned\u0007 bad \u202egnp.exe"}]}`)
			return
		}
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()
	e.base = srv.URL + "/services/v2"
	r := e.submit()
	if r.code != ExitRowsBad {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s carries raw control characters: %q", name, out)
		}
	}
	if !strings.Contains(r.stdout, `\u{001B}[2J`) {
		t.Errorf("stdout does not show the escaped message: %q", r.stdout)
	}
}

// A line break in a server's message cannot forge lines: the summary
// would otherwise show a second "submit: ..." line, or a row problem
// that is not one, written by the server. Every line certbatch prints
// is its own; the server's break shows as \n.
func TestServerTextCannotForgeLines(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	sb, _ := sandbox.New(sandbox.Config{APIKey: testKey, Windows: []sandbox.Window{}})
	const forged = "submit: 2 rows read, 2 ordered; batch 20990101T000000Z-dead. Results: elsewhere.xlsx"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			io.WriteString(w, `{"errors":[{"code":"invalid_value:x","message":"bad\n`+forged+`\r\nrow 9: ordered\u2028x"}]}`)
			return
		}
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()
	e.base = srv.URL + "/services/v2"
	r := e.submit()
	if r.code != ExitRowsBad {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "submit: 2 rows read, 2 ordered") || strings.HasPrefix(line, "row 9") || strings.ContainsAny(line, "\r\u2028") {
				t.Errorf("%s: a line written by the server: %q", name, line)
			}
		}
	}
	if !strings.Contains(r.stdout, `bad\n`+forged) {
		t.Errorf("stdout does not show the message on its row's line:\n%s", r.stdout)
	}
	for row, x := range e.results() {
		if strings.ContainsAny(x.err, "\n\r") {
			t.Errorf("row %d: the results cell holds the server's line breaks: %q", row, x.err)
		}
	}
}

// A name in the file that holds terminal escapes or a line break is
// listed in the plan (its row is invalid) without either taking effect.
func TestPlanListingIsTerminalSafe(t *testing.T) {
	e := newEnv(t, 2, sandbox.Config{})
	rows := staff(2, 1)
	rows[1][1] = "Evil\x1b[2J\nsubmit: 2 rows read, 2 ordered"
	writeCSV(t, e.input, rows)
	r := e.submit("--quiet=false")
	if strings.ContainsRune(r.stderr, 0x1b) {
		t.Errorf("the plan printed a raw escape: %q", r.stderr)
	}
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "submit: 2 rows read") {
			t.Errorf("a line of the file's: %q", line)
		}
	}
	if !strings.Contains(r.stderr, `Evil\u{001B}[2J\nsubmit`) {
		t.Errorf("the name is not shown escaped on its row's line:\n%s", r.stderr)
	}
}
