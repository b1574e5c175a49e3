package certcentral

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/certbatch/certbatch/ratelimit"
)

// TestKeyNeverLeaks provokes every failure mode with a server that
// echoes the key back wherever it can, and checks that the key shows up
// in no error, no log record and no formatted value. (Every other test
// also checks its log output through newClient.)
func TestKeyNeverLeaks(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request, status int) {
		k := r.Header.Get("X-DC-DEVKEY")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", k)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"errors":[{"code":"bad|%s","message":"key %s is not valid"},{"code":"x","message":"%s"}]}`, k, k, k)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedAddr := l.Addr().String()
	l.Close()

	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: the client points at a closed port
		timeout time.Duration
	}{
		{"400 echo", func(w http.ResponseWriter, r *http.Request) { echo(w, r, 400) }, 0},
		{"401 echo", func(w http.ResponseWriter, r *http.Request) { echo(w, r, 401) }, 0},
		{"403 echo", func(w http.ResponseWriter, r *http.Request) { echo(w, r, 403) }, 0},
		{"404 echo", func(w http.ResponseWriter, r *http.Request) { echo(w, r, 404) }, 0},
		{"500 echo", func(w http.ResponseWriter, r *http.Request) { echo(w, r, 500) }, 0},
		{"non-JSON echo", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			fmt.Fprint(w, "bad key "+r.Header.Get("X-DC-DEVKEY"))
		}, 0},
		{"redirect to the key", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/"+r.Header.Get("X-DC-DEVKEY"), http.StatusFound)
		}, 0},
		{"dropped connection", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		}, 0},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			<-r.Context().Done()
		}, 100 * time.Millisecond},
		{"undecodable success", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(201)
			fmt.Fprint(w, `{"id":"`+r.Header.Get("X-DC-DEVKEY")+`"}`)
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, logs := newClient(t, srv.URL, nil, func(c *Config) { c.RequestTimeout = tt.timeout })
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			if err == nil {
				t.Fatal("PlaceOrder succeeded")
			}
			noKey(t, err)
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				for _, it := range apiErr.Errors {
					if strings.Contains(it.Code+it.Message, testKey) {
						t.Errorf("APIError item %+v carries the key", it)
					}
				}
			}
			if tt.name != "timeout" && tt.name != "dropped connection" {
				_, err = c.GetOrder(context.Background(), 1)
				if err == nil {
					t.Fatal("GetOrder succeeded")
				}
				noKey(t, err)
			}
			if !strings.Contains(logs.String(), "certcentral attempt") {
				t.Errorf("no debug record of the attempt was logged:\n%s", logs)
			}
		})
	}

	t.Run("refused", func(t *testing.T) {
		c, _ := newClient(t, "http://"+refusedAddr, nil)
		a := c.do(context.Background(), http.MethodGet, "/order/certificate/1", nil, nil)
		noKey(t, a.err)
	})
}

// TestTransportErrorsAreScrubbed covers a transport (e.g. a proxy) whose
// error text contains the key.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	tests := []struct {
		name string
		call func(*Client) error
	}{
		{"PlaceOrder", func(c *Client) error {
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			return err
		}},
		{"GetOrder", func(c *Client) error {
			_, err := c.GetOrder(context.Background(), 1)
			return err
		}},
		{"ListPage", func(c *Client) error {
			_, err := c.ListPage(context.Background(), 0)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
					return nil, errors.New("proxy rejected header X-DC-DEVKEY: " + r.Header.Get("X-DC-DEVKEY"))
				}))
				err := tt.call(c)
				if err == nil || !strings.Contains(err.Error(), "[redacted]") {
					t.Errorf("error %v, want a redacted transport error", err)
				}
				noKey(t, err)
			})
		})
	}
}

func TestFormattingHidesTheKey(t *testing.T) {
	cfg := Config{BaseURL: EUBaseURL, APIKey: testKey, UserAgent: "ua", Limiter: ratelimit.New(ratelimit.Default)}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		Cfg    Config
		Client *Client
	}
	values := []struct {
		name string
		v    any
	}{
		{"Config", cfg},
		{"*Config", &cfg},
		{"*Client", c},
		{"Client", *c},
		{"struct holding both", holder{cfg, c}},
		{"*struct holding both", &holder{cfg, c}},
		{"slice of Config", []Config{cfg}},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%T"} {
				s := fmt.Sprintf(verb, v.v)
				if strings.Contains(s, testKey) || strings.Contains(strings.ToLower(s), fmt.Sprintf("%x", testKey)) {
					t.Errorf("%s shows the key: %s", verb, s)
				}
			}
		})
	}
	if s := fmt.Sprint(cfg); !strings.Contains(s, EUBaseURL) || !strings.Contains(s, "[redacted]") {
		t.Errorf("Config prints as %q; want the base URL and a redacted key", s)
	}
	if s := fmt.Sprint(c); !strings.Contains(s, EUBaseURL) {
		t.Errorf("Client prints as %q; want its base URL", s)
	}
}

// A key (or any secret) in the base URL is refused without being echoed.
func TestBaseURLWithSecretsIsRefusedQuietly(t *testing.T) {
	const key = "KEY-in-the-url-5f1e"
	for _, base := range []string{
		"https://www.digicert.com/services/v2?key=" + key,
		"https://www.digicert.com/services/v2/" + key,
		"https://user:" + key + "@www.digicert.com/services/v2",
		"https://u:pw-" + key + "x@www.digicert.com/services/v2",
		"http://example.net/" + key + "x",
		"ht!tp://%zz" + key,
	} {
		_, err := New(Config{BaseURL: base, APIKey: key})
		if err == nil {
			t.Errorf("%q accepted", base)
			continue
		}
		if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), "pw-") {
			t.Errorf("%q: the error echoes the secret: %v", base, err)
		}
	}
}
