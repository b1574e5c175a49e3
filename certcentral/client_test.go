package certcentral

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNewBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		wantURL string // "" means New must fail
	}{
		{"default", "", DefaultBaseURL},
		{"EU", EUBaseURL, EUBaseURL},
		{"https trailing slash", "https://example.com/services/v2/", "https://example.com/services/v2"},
		{"http 127.0.0.1", "http://127.0.0.1:8080/services/v2", "http://127.0.0.1:8080/services/v2"},
		{"http 127.x loopback", "http://127.3.4.5:9", "http://127.3.4.5:9"},
		{"http ::1", "http://[::1]:8080", "http://[::1]:8080"},
		{"http localhost", "http://localhost:8080", "http://localhost:8080"},
		{"http remote host", "http://www.digicert.com/services/v2", ""},
		{"http private address", "http://10.0.0.1/services/v2", ""},
		{"http host named like loopback", "http://127.0.0.1.example.com/", ""},
		{"other scheme", "ftp://www.digicert.com/services/v2", ""},
		{"relative", "www.digicert.com/services/v2", ""},
		{"user info", "https://user:pass@www.digicert.com/services/v2", ""},
		{"query", "https://www.digicert.com/services/v2?x=1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{BaseURL: tt.base, APIKey: testKey})
			if tt.wantURL == "" {
				if err == nil {
					t.Fatalf("New accepted base URL %q", tt.base)
				}
				noKey(t, err)
				return
			}
			if err != nil {
				t.Fatalf("New(%q): %v", tt.base, err)
			}
			if got := c.base.String(); got != tt.wantURL {
				t.Errorf("base URL = %s, want %s", got, tt.wantURL)
			}
		})
	}
}

func TestNewRequiresKey(t *testing.T) {
	for _, key := range []string{"", "  ", "abc\ndef"} {
		t.Run(strconv.Quote(key), func(t *testing.T) {
			if _, err := New(Config{APIKey: key}); err == nil {
				t.Errorf("New accepted API key %q", key)
			}
		})
	}
}

func TestRequestsGoToTheBaseURL(t *testing.T) {
	tests := []struct {
		name, base, want string
	}{
		{"US", DefaultBaseURL, "https://www.digicert.com/services/v2/order/certificate/client_premium"},
		{"EU", EUBaseURL, "https://certcentral.digicert.eu/services/v2/order/certificate/client_premium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			c, _ := newClient(t, tt.base, roundTrip(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return answer(r, 201, `{"id":1}`), nil
			}))
			if _, err := c.PlaceOrder(context.Background(), "client_premium", orderBody); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("request went to %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	var rec recorder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(201)
			fmt.Fprint(w, `{"id":542772,"requests":[{"id":922432,"status":"pending"}]}`)
			return
		}
		fmt.Fprint(w, `{"id":542772,"status":"pending"}`)
	}))
	defer srv.Close()
	c, _ := newClient(t, srv.URL+"/services/v2", nil)
	resp, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != 542772 || len(resp.Requests) != 1 || resp.Requests[0].ID != 922432 || resp.Requests[0].Status != "pending" {
		t.Errorf("decoded answer %+v", resp)
	}
	if _, err := c.GetOrder(context.Background(), 542772); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	tests := []struct {
		name        string
		r           recorded
		method      string
		path        string
		contentType string
		body        []byte
	}{
		{"POST order", reqs[0], "POST", "/services/v2/order/certificate/client_premium", "application/json", orderBody},
		{"GET order", reqs[1], "GET", "/services/v2/order/certificate/542772", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			if r.method != tt.method || r.path != tt.path {
				t.Errorf("request %s %s, want %s %s", r.method, r.path, tt.method, tt.path)
			}
			if got := r.header.Get("X-DC-DEVKEY"); got != testKey {
				t.Errorf("X-DC-DEVKEY = %q, want the key", got)
			}
			if got := r.header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if got := r.header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
			if got := r.header.Get("User-Agent"); got != "certbatch-test/1.0" {
				t.Errorf("User-Agent = %q", got)
			}
			if !bytes.Equal(r.body, tt.body) && !(len(r.body) == 0 && tt.body == nil) {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
			// The key is in X-DC-DEVKEY and nowhere else.
			for name, vals := range r.header {
				for _, v := range vals {
					if name != "X-Dc-Devkey" && strings.Contains(v, testKey) {
						t.Errorf("the key appears in header %s", name)
					}
				}
			}
			if strings.Contains(r.path+r.query, testKey) || bytes.Contains(r.body, []byte(testKey)) {
				t.Error("the key appears in the URL or body")
			}
		})
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		header     []string
		want       string
		wantItems  int
		wantAuth   bool
		retryAfter time.Duration
	}{
		{"array", 400, apiError400, nil, "400 invalid_value:validity_years: validity_years contains an invalid value.", 1, false, 0},
		{"object", 400, `{"errors":{"code":"invalid_value:emails","message":"emails contains an invalid value."}}`, nil,
			"400 invalid_value:emails: emails contains an invalid value.", 1, false, 0},
		{"several items", 400, `{"errors":[{"code":"a:x","message":"first."},{"code":"b|y","message":"second."},{"code":"c"}]}`, nil,
			"400 a:x: first.; b|y: second.; c", 3, false, 0},
		{"non-JSON body", 404, `<html><body>Not here</body></html>`, nil, "404 Not Found", 0, false, 0},
		{"empty body", 409, ``, nil, "409 Conflict", 0, false, 0},
		{"JSON without errors", 400, `{"message":"nope"}`, nil, "400 Bad Request", 0, false, 0},
		{"empty errors array", 400, `{"errors":[]}`, nil, "400 Bad Request", 0, false, 0},
		{"401", 401, `{"errors":[{"code":"invalid_api_key","message":"Invalid API key."}]}`, nil, "401 invalid_api_key: Invalid API key.", 1, true, 0},
		{"403", 403, `{"errors":[{"code":"access_denied|missing_permission","message":"Permission denied."}]}`, nil,
			"403 access_denied|missing_permission: Permission denied.", 1, true, 0},
		// A server's message is its own text (https://dev.digicert.com/errors/):
		// a line break in it stays visible, so it cannot forge a line.
		{"line breaks in the message", 400, `{"errors":[{"code":"bad\nx","message":"first\nsubmit: 9 rows read, 9 ordered.\r\u2028"}]}`, nil,
			`400 bad\nx: first\nsubmit: 9 rows read, 9 ordered.\r\u{2028}`, 1, false, 0},
		{"Retry-After kept", 400, apiError400, []string{"Retry-After", "7"}, "400 invalid_value:validity_years: validity_years contains an invalid value.", 1, false, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int
			c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
				n++
				return answer(r, tt.status, tt.body, tt.header...), nil
			}))
			_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if got := apiErr.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "client_premium") {
				t.Errorf("error %q should name the operation and contain %q", err, tt.want)
			}
			if apiErr.StatusCode != tt.status || len(apiErr.Errors) != tt.wantItems || apiErr.RetryAfter != tt.retryAfter {
				t.Errorf("APIError %+v, want status %d, %d items, retry after %v", *apiErr, tt.status, tt.wantItems, tt.retryAfter)
			}
			if got := errors.Is(err, ErrAuth); got != tt.wantAuth {
				t.Errorf("errors.Is(err, ErrAuth) = %v, want %v", got, tt.wantAuth)
			}
			var unc *UncertainError
			if errors.As(err, &unc) || errors.Is(err, ErrRateLimited) {
				t.Errorf("a 4xx rejection is reported as %v", err)
			}
			if n != 1 {
				t.Errorf("%d attempts; a 4xx must not be retried", n)
			}
			noKey(t, err)
		})
	}
}

func TestGetAuthError(t *testing.T) {
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		return answer(r, 401, `{"errors":[{"code":"unauthorized","message":"bad key"}]}`), nil
	}))
	_, err := c.GetOrder(context.Background(), 5)
	if !errors.Is(err, ErrAuth) {
		t.Errorf("GetOrder 401: %v is not ErrAuth", err)
	}
	_, err = c.ListPage(context.Background(), 0)
	if !errors.Is(err, ErrAuth) {
		t.Errorf("ListPage 401: %v is not ErrAuth", err)
	}
}

func TestPlaceOrderUnreadableSuccess(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
	}{
		{"truncated JSON", `{"id":54277`, 201},
		{"HTML", `<html>ok</html>`, 201},
		{"no id", `{"requests":[]}`, 201},
		{"empty", ``, 200},
		{"redirect", ``, 302},
		{"unexpected 1xx-like status", ``, 199},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
				n++
				return answer(r, tt.status, tt.body, "Location", "https://elsewhere.example/"), nil
			}))
			resp, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
			var unc *UncertainError
			if !errors.As(err, &unc) {
				t.Fatalf("PlaceOrder = %+v, %v; want an *UncertainError", resp, err)
			}
			if n != 1 {
				t.Errorf("%d attempts, want 1 (never retried)", n)
			}
			if !strings.Contains(err.Error(), "may or may not exist") {
				t.Errorf("error %q does not say the outcome is unknown", err)
			}
		})
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var other recorder
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r)
		fmt.Fprint(w, `{"id":1}`)
	}))
	defer elsewhere.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c, _ := newClient(t, srv.URL, nil)
	_, err := c.PlaceOrder(context.Background(), "client_premium", orderBody)
	var unc *UncertainError
	if !errors.As(err, &unc) {
		t.Errorf("POST answered 307: %v, want an *UncertainError", err)
	}
	_, err = c.GetOrder(context.Background(), 1)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("GET answered 307: %v, want an *APIError 307", err)
	}
	if n := len(other.all()); n != 0 {
		t.Errorf("the redirect target got %d requests (and the key)", n)
	}
}

func TestGetOrder(t *testing.T) {
	const body = `{"id":542772,"status":"issued","date_created":"2025-03-04T05:06:07-07:00",
		"certificate":{"id":456789123,"common_name":"Kim Minji","emails":["minji@example.com"],"unknown":1},
		"product":{"name_id":"client_premium","name":"Premium"},"product_name_id":"client_premium",
		"requests":[{"id":922432,"status":"approved","type":"new_request"}],"extra":{"x":[1,2]}}`
	var gotPath string
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		gotPath = r.URL.Path
		return answer(r, 200, body), nil
	}))
	o, err := c.GetOrder(context.Background(), 542772)
	if err != nil {
		t.Fatal(err)
	}
	if gotPath != "/services/v2/order/certificate/542772" {
		t.Errorf("path %s", gotPath)
	}
	want := time.Date(2025, 3, 4, 12, 6, 7, 0, time.UTC)
	if o.ID != 542772 || o.Status != "issued" || !o.DateCreated.Equal(want) ||
		o.Certificate.ID != 456789123 || o.Certificate.CommonName != "Kim Minji" ||
		!slices.Equal(o.Certificate.Emails, []string{"minji@example.com"}) ||
		o.Product.NameID != "client_premium" || o.ProductNameID != "client_premium" ||
		len(o.Requests) != 1 || o.Requests[0] != (RequestRef{922432, "approved"}) {
		t.Errorf("decoded %+v", o)
	}
}

func TestGetOrderNotFound(t *testing.T) {
	n := 0
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		n++
		return answer(r, 404, `{"errors":[{"code":"not_found|order","message":"Order not found."}]}`), nil
	}))
	_, err := c.GetOrder(context.Background(), 9)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Errors[0].Code != "not_found|order" {
		t.Errorf("GetOrder 404: %v", err)
	}
	if n != 1 {
		t.Errorf("%d attempts; 404 must not be retried", n)
	}
}

func TestDateCreated(t *testing.T) {
	tests := []struct {
		name string
		json string // the date_created member, or "" to leave it out
		want time.Time
	}{
		{"offset with colon", `"2025-03-04T05:06:07-07:00"`, time.Date(2025, 3, 4, 12, 6, 7, 0, time.UTC)},
		{"utc +00:00", `"2018-10-16T20:05:28+00:00"`, time.Date(2018, 10, 16, 20, 5, 28, 0, time.UTC)},
		{"Z", `"2018-10-16T20:05:28Z"`, time.Date(2018, 10, 16, 20, 5, 28, 0, time.UTC)},
		{"fraction", `"2018-10-16T20:05:28.250+00:00"`, time.Date(2018, 10, 16, 20, 5, 28, 250e6, time.UTC)},
		{"offset without colon", `"2018-10-16T20:05:28+0900"`, time.Date(2018, 10, 16, 11, 5, 28, 0, time.UTC)},
		{"space separator", `"2018-10-16 20:05:28+00:00"`, time.Date(2018, 10, 16, 20, 5, 28, 0, time.UTC)},
		{"no zone is unknown", `"2018-10-16T20:05:28"`, time.Time{}},
		{"date only is unknown", `"2018-10-16"`, time.Time{}},
		{"garbage", `"yesterday"`, time.Time{}},
		{"null", `null`, time.Time{}},
		{"number", `12345`, time.Time{}},
		{"absent", ``, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"id":7,"status":"pending"}`
			if tt.json != "" {
				doc = `{"id":7,"status":"pending","date_created":` + tt.json + `}`
			}
			var o Order
			if err := json.Unmarshal([]byte(doc), &o); err != nil {
				t.Fatalf("decode %s: %v", doc, err)
			}
			if !o.DateCreated.Equal(tt.want) || o.ID != 7 || o.Status != "pending" {
				t.Errorf("DateCreated = %v (id %d, status %q), want %v", o.DateCreated, o.ID, o.Status, tt.want)
			}
		})
	}
}

func TestListPageAsksNewestFirstWithoutFilters(t *testing.T) {
	var rec recorder
	c, _ := newClient(t, "", roundTrip(func(r *http.Request) (*http.Response, error) {
		rec.add(r)
		if r.URL.Query().Get("offset") == "1000" {
			return answer(r, 200, `{"page":{"total":1001,"limit":1000,"offset":1000}}`), nil // no orders key
		}
		return answer(r, 200, `{"orders":[{"id":7,"status":"pending","date_created":"2025-01-02T03:04:05+00:00","product":{"name_id":"client_premium"}}],"page":{"total":1001}}`), nil
	}))
	p, err := c.ListPage(context.Background(), 0)
	if err != nil || len(p.Orders) != 1 || p.Total != 1001 || p.Orders[0].NameID() != "client_premium" {
		t.Fatalf("ListPage = %+v, %v", p, err)
	}
	p, err = c.ListPage(context.Background(), 1000)
	if err != nil || len(p.Orders) != 0 {
		t.Fatalf("page without orders key = %+v, %v", p, err)
	}
	for i, r := range rec.all() {
		q, _ := url.ParseQuery(r.query)
		if q.Get("sort") != "-date_created" || q.Get("limit") != "1000" || q.Get("offset") != strconv.Itoa(i*1000) {
			t.Errorf("request %d query %q", i, r.query)
		}
		if strings.Contains(r.query, "filters") {
			t.Errorf("request %d sends an undocumented filter: %q", i, r.query)
		}
		if r.path != "/services/v2/order/certificate" || r.method != "GET" {
			t.Errorf("request %d: %s %s", i, r.method, r.path)
		}
	}
}
