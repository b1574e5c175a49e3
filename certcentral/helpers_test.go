package certcentral

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/certbatch/certbatch/ratelimit"
)

// testKey is distinctive so a leak anywhere is easy to spot.
const testKey = "KEY-7f3c9a1e-SHOULD-NEVER-LEAK"

// orderBody is a plausible order request.
var orderBody = []byte(`{"certificate":{"common_name":"Kim Minji","emails":["minji@example.com"],"signature_hash":"sha256"},"organization":{"id":112233},"validity_years":1}`)

// syncBuffer is a bytes.Buffer safe for concurrent writes (log output).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newClient builds a client for base with the test key, a debug logger
// whose output is checked for the key when the test ends, and the
// given changes to the config.
func newClient(t *testing.T, base string, tr http.RoundTripper, change ...func(*Config)) (*Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := Config{
		BaseURL:   base,
		APIKey:    testKey,
		UserAgent: "certbatch-test/1.0",
		Transport: tr,
		Limiter:   ratelimit.New(nil),
		Logger:    slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range change {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), testKey) {
			t.Errorf("the API key appears in the log output:\n%s", logs.String())
		}
	})
	return c, logs
}

// noKey fails t if the key shows in err's message or in any common fmt
// rendering of it.
func noKey(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
		if s := fmt.Sprintf(verb, err); strings.Contains(s, testKey) || strings.Contains(s, fmt.Sprintf("%x", testKey)) {
			t.Errorf("the API key appears in the error formatted with %s: %s", verb, s)
		}
	}
}

// roundTrip is an in-memory http.RoundTripper (usable inside a
// synctest bubble, which forbids real network I/O).
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answer builds a response to r.
func answer(r *http.Request, status int, body string, header ...string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{
		StatusCode: status,
		Status:     fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header:     h,
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    r,
		ProtoMajor: 1, ProtoMinor: 1,
	}
}

// recorded is one request as a test server or transport saw it.
type recorded struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// recorder keeps requests in arrival order.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) add(r *http.Request) recorded {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	x := recorded{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: body}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, x)
	return x
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

const apiError400 = `{"errors":[{"code":"invalid_value:validity_years","message":"validity_years contains an invalid value."}]}`
const apiError429 = `{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`
