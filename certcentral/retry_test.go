package certcentral

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// These tests run inside synctest bubbles: time is fake, so backoffs and
// pauses cost nothing and durations can be compared exactly.

// script answers attempts in order: the i-th attempt gets steps[i] (the
// last step repeats). It records every attempt.
type script struct {
	mu    sync.Mutex
	steps []func(*http.Request) (*http.Response, error)
	at    []time.Time
	paths []string
	body  [][]byte
}

func (s *script) RoundTrip(r *http.Request) (*http.Response, error) {
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
	}
	s.mu.Lock()
	i := len(s.at)
	s.at = append(s.at, time.Now())
	s.paths = append(s.paths, r.Method+" "+r.URL.Path)
	s.body = append(s.body, b)
	step := s.steps[min(i, len(s.steps)-1)]
	s.mu.Unlock()
	return step(r)
}

func (s *script) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.at)
}

func status(code int, body string, header ...string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) { return answer(r, code, body, header...), nil }
}

// refused fails like a dial to a closed port: nothing was written.
func refused(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}

func TestRateLimitedThenCreated(t *testing.T) {
	tests := []struct {
		name       string
		minGap     time.Duration // between the 429 and the retry
		maxGap     time.Duration
		retryAfter func(now time.Time) string
	}{
		{"backoff without Retry-After", time.Second, 2 * time.Second, nil},
		{"Retry-After seconds", 10 * time.Second, 10 * time.Second, func(time.Time) string { return "10" }},
		{"Retry-After date", 20 * time.Second, 20 * time.Second,
			func(now time.Time) string { return now.Add(20 * time.Second).UTC().Format(http.TimeFormat) }},
		{"Retry-After shorter than the backoff", time.Second, 2 * time.Second, func(time.Time) string { return "0" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				first429 := func(r *http.Request) (*http.Response, error) {
					var h []string
					if tt.retryAfter != nil {
						h = []string{"Retry-After", tt.retryAfter(time.Now())}
					}
					return answer(r, 429, apiError429, h...), nil
				}
				s := &script{steps: []func(*http.Request) (*http.Response, error){
					first429,
					status(201, `{"id":542772,"requests":[{"id":922432,"status":"pending"}]}`),
				}}
				lim := ratelimit.New(ratelimit.Default)
				c, _ := newClient(t, "", s, func(c *Config) { c.Limiter = lim })

				var resp *OrderResponse
				var err error
				done := make(chan struct{})
				go func() {
					resp, err = c.PlaceOrder(context.Background(), "client_premium", orderBody)
					close(done)
				}()
				synctest.Wait() // PlaceOrder got its 429 and is backing off

				paused := lim.PausedUntil().Sub(start)
				if paused < tt.minGap || paused > tt.maxGap {
					t.Errorf("limiter paused until +%v, want between +%v and +%v", paused, tt.minGap, tt.maxGap)
				}
				// Another worker sharing the limiter waits out the pause too.
				if _, gerr := c.GetOrder(context.Background(), 1); gerr != nil {
					t.Errorf("GetOrder: %v", gerr)
				}
				<-done
				if err != nil {
					t.Fatalf("PlaceOrder: %v", err)
				}
				if resp.ID != 542772 {
					t.Errorf("order id %d", resp.ID)
				}
				if len(s.at) != 3 {
					t.Fatalf("%d attempts (%v), want 3", len(s.at), s.paths)
				}
				for i, p := range s.paths {
					if p == "GET /services/v2/order/certificate/1" {
						if got := s.at[i].Sub(start); got < paused {
							t.Errorf("the other worker's GET went out at +%v, during the pause (until +%v)", got, paused)
						}
						continue
					}
					if !bytes.Equal(s.body[i], orderBody) {
						t.Errorf("attempt %d sent %q, want the same body", i, s.body[i])
					}
				}
				var posts []time.Time
				for i, p := range s.paths {
					if strings.HasPrefix(p, "POST ") {
						posts = append(posts, s.at[i])
					}
				}
				if len(posts) != 2 {
					t.Fatalf("%d POST attempts, want 2", len(posts))
				}
				if gap := posts[1].Sub(start); gap < tt.minGap || gap > tt.maxGap {
					t.Errorf("retried after %v, want between %v and %v", gap, tt.minGap, tt.maxGap)
				}
			})
		})
	}
}

func TestRateLimitedForever(t *testing.T) {
	tests := []struct {
		name    string
		call    func(*Client) error
		retries int
		want    int // attempts
	}{
		{"PlaceOrder", func(c *Client) error {
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			return err
		}, 3, 4},
		{"PlaceOrder default retries", func(c *Client) error {
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			return err
		}, 0, DefaultMaxRateLimitRetries + 1},
		{"PlaceOrder no retries", func(c *Client) error {
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			return err
		}, -1, 1},
		{"GetOrder", func(c *Client) error {
			_, err := c.GetOrder(context.Background(), 1)
			return err
		}, 2, 3},
		{"ListPage", func(c *Client) error {
			_, err := c.ListPage(context.Background(), 0)
			return err
		}, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: []func(*http.Request) (*http.Response, error){status(429, apiError429)}}
				c, logs := newClient(t, "", s, func(c *Config) { c.MaxRateLimitRetries = tt.retries })
				err := tt.call(c)
				if !errors.Is(err, ErrRateLimited) {
					t.Fatalf("error %v is not ErrRateLimited", err)
				}
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Errors[0].Code != "request_limit_exceeded" {
					t.Errorf("error %v does not carry the last 429", err)
				}
				var unc *UncertainError
				if errors.As(err, &unc) {
					t.Errorf("a 429 is reported as uncertain: %v", err)
				}
				if got := s.attempts(); got != tt.want {
					t.Errorf("%d attempts, want %d", got, tt.want)
				}
				if tt.want > 1 && !strings.Contains(logs.String(), "rate limited") {
					t.Errorf("no warning logged about the 429s:\n%s", logs)
				}
				noKey(t, err)
			})
		})
	}
}

func TestRateLimitedBackoffCancelled(t *testing.T) {
	tests := []struct {
		name string
		ctx  func() (context.Context, []CallOption, context.CancelFunc)
		want error
	}{
		{"request context times out", func() (context.Context, []CallOption, context.CancelFunc) {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			return ctx, nil, cancel
		}, context.DeadlineExceeded},
		{"wait context cancelled", func() (context.Context, []CallOption, context.CancelFunc) {
			wait, cancel := context.WithCancel(context.Background())
			time.AfterFunc(500*time.Millisecond, cancel)
			return context.Background(), []CallOption{StopWaiting(wait)}, cancel
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: []func(*http.Request) (*http.Response, error){status(429, apiError429, "Retry-After", "30")}}
				c, _ := newClient(t, "", s)
				ctx, opts, cancel := tt.ctx()
				defer cancel()
				start := time.Now()
				_, err := c.PlaceOrder(ctx, "client_premium", orderBody, opts...)
				if !errors.Is(err, ErrRateLimited) || !errors.Is(err, tt.want) {
					t.Errorf("error %v, want ErrRateLimited and %v", err, tt.want)
				}
				if got := time.Since(start); got != 500*time.Millisecond {
					t.Errorf("returned after %v, want 500ms (promptly when the context ended)", got)
				}
				if n := s.attempts(); n != 1 {
					t.Errorf("%d attempts, want 1", n)
				}
			})
		})
	}
}

func TestNotSentIsRetried(t *testing.T) {
	tests := []struct {
		name     string
		steps    []func(*http.Request) (*http.Response, error)
		wantErr  bool
		attempts int
	}{
		{"refused then created", []func(*http.Request) (*http.Response, error){refused, refused, status(201, `{"id":9}`)}, false, 3},
		{"refused every time", []func(*http.Request) (*http.Response, error){refused}, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: tt.steps}
				c, _ := newClient(t, "", s)
				resp, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
				if got := s.attempts(); got != tt.attempts {
					t.Errorf("%d attempts, want %d", got, tt.attempts)
				}
				if !tt.wantErr {
					if err != nil || resp.ID != 9 {
						t.Errorf("PlaceOrder = %+v, %v", resp, err)
					}
					return
				}
				var unc *UncertainError
				var apiErr *APIError
				if err == nil || errors.As(err, &unc) || errors.As(err, &apiErr) || errors.Is(err, ErrRateLimited) {
					t.Errorf("error %v (%T), want a plain not-sent error", err, err)
				}
				if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "not sent") {
					t.Errorf("error %q should say not sent and wrap the cause", err)
				}
				for i, b := range s.body {
					if !bytes.Equal(b, orderBody) {
						t.Errorf("attempt %d body %q", i, b)
					}
				}
			})
		})
	}
}

func TestGetRetries(t *testing.T) {
	tests := []struct {
		name     string
		steps    []func(*http.Request) (*http.Response, error)
		wantErr  bool
		attempts int
	}{
		{"500 then 502 then ok", []func(*http.Request) (*http.Response, error){
			status(500, `{"errors":[{"code":"internal","message":"oops"}]}`), status(502, `<html>`), status(200, `{"id":5,"status":"issued"}`)}, false, 3},
		{"network error then ok", []func(*http.Request) (*http.Response, error){refused, status(200, `{"id":5,"status":"issued"}`)}, false, 2},
		{"429 then ok", []func(*http.Request) (*http.Response, error){status(429, apiError429), status(200, `{"id":5,"status":"issued"}`)}, false, 2},
		{"undecodable then ok", []func(*http.Request) (*http.Response, error){status(200, `{"id":`), status(200, `{"id":5,"status":"issued"}`)}, false, 2},
		{"503 forever", []func(*http.Request) (*http.Response, error){status(503, ``)}, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: tt.steps}
				c, _ := newClient(t, "", s)
				o, err := c.GetOrder(context.Background(), 5)
				if got := s.attempts(); got != tt.attempts {
					t.Errorf("%d attempts, want %d", got, tt.attempts)
				}
				if tt.wantErr {
					var apiErr *APIError
					if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !strings.Contains(err.Error(), "get order 5") {
						t.Errorf("error %v, want the 503 named by operation", err)
					}
					return
				}
				if err != nil || o.ID != 5 || o.Status != "issued" {
					t.Errorf("GetOrder = %+v, %v", o, err)
				}
			})
		})
	}
}

func TestEveryAttemptWaitsForTheLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){
			status(201, `{"id":1}`), refused, status(201, `{"id":2}`), status(200, `{"id":3}`),
		}}
		c, _ := newClient(t, "", s, func(c *Config) { c.Limiter = ratelimit.New([]ratelimit.Window{{Limit: 1, Per: 10 * time.Second}}) })
		start := time.Now()
		if _, err := c.PlaceOrder(context.Background(), "client_premium", orderBody); err != nil {
			t.Fatal(err)
		}
		if _, err := c.PlaceOrder(context.Background(), "client_premium", orderBody); err != nil { // refused, then retried
			t.Fatal(err)
		}
		if _, err := c.GetOrder(context.Background(), 3); err != nil {
			t.Fatal(err)
		}
		for i, at := range s.at {
			if want := time.Duration(i) * 10 * time.Second; at.Sub(start) != want {
				t.Errorf("attempt %d at +%v, want +%v", i, at.Sub(start), want)
			}
		}
	})
}

func TestWaitContextEndsBeforeSending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []func(*http.Request) (*http.Response, error){status(201, `{"id":1}`)}}
		lim := ratelimit.New([]ratelimit.Window{{Limit: 1, Per: time.Minute}})
		c, _ := newClient(t, "", s, func(c *Config) { c.Limiter = lim })
		if _, err := c.PlaceOrder(context.Background(), "client_premium", orderBody); err != nil {
			t.Fatal(err)
		}
		wait, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody, StopWaiting(wait))
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not sent") {
			t.Errorf("error %v, want a not-sent deadline error", err)
		}
		if time.Since(start) != time.Second || s.attempts() != 1 {
			t.Errorf("returned after %v with %d attempts; want 1s and only the first order", time.Since(start), s.attempts())
		}
	})
}
