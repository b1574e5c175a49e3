// Package sandbox is a local stand-in for the DigiCert CertCentral
// Services API v2, faithful to the two seed pages (client certificate and
// document signing orders): the order endpoint with DigiCert's
// validation rules and error shapes, order info, the order list with the
// filters reconciliation uses, X-DC-DEVKEY checks, and the two rolling
// rate-limit windows per API key. Fault injection (latency, 5xx before
// or after creating an order, dropped connections, delayed issuance, the
// "errors as an object" variant) makes it a test bed for clients.
//
// It does not import certbatch's own validation: it is the referee that
// catches the tool's mistakes. Orders persist across restarts when
// [Config.DataFile] is set.
package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// Window is a rolling rate-limit window: at most Limit requests per Per.
type Window struct {
	Limit int
	Per   time.Duration
}

// DigiCertWindows are CertCentral's current limits per API key.
var DigiCertWindows = []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}

// Config configures a Server.
type Config struct {
	APIKey               string        // required
	Windows              []Window      // nil: DigiCertWindows; empty non-nil: no limit
	Latency              time.Duration // added to every answer
	FailEvery            int           // every Nth order answers 500 and creates nothing
	FailAfterCreateEvery int           // every Nth order is created, then answered 500
	DropEvery            int           // every Nth order is created, then the connection is dropped
	IssueDelay           time.Duration // skip_approval orders stay pending this long
	DataFile             string        // orders persist here when set
	MaxCustomDays        int           // custom_expiration_date limit; 0 means 825
	ErrorsAsObject       bool          // send "errors" as an object
	RecordArrivals       bool          // keep every authenticated request's arrival time (see Arrivals)
	Now                  func() time.Time
}

// Order is an order the sandbox holds.
type Order struct {
	ID            int64           `json:"id"`
	RequestID     int64           `json:"request_id"`
	CertificateID int64           `json:"certificate_id,omitempty"`
	Product       string          `json:"product"`
	Status        string          `json:"status"`
	RequestStatus string          `json:"request_status"`
	DateCreated   time.Time       `json:"date_created"`
	IssueAt       time.Time       `json:"issue_at,omitzero"`
	CommonName    string          `json:"common_name"`
	Emails        []string        `json:"emails"`
	Body          json.RawMessage `json:"body"`
}

// Stats are counters for tests and benchmarks.
type Stats struct {
	Requests      int // every request
	OrderPOSTs    int // order POSTs past auth and rate limit
	OrdersCreated int
	RateLimited   int   // 429 answers
	Failed5xx     int   // 500 answers
	Dropped       int   // connections dropped after creating
	MaxInWindow   []int // per window: the most requests admitted in any window
}

// Server is the sandbox. It is an http.Handler and safe for concurrent use.
type Server struct {
	cfg     Config
	windows []Window
	now     func() time.Time

	mu       sync.Mutex
	orders   []*Order
	byID     map[int64]*Order
	nextID   int64
	nextReq  int64
	nextCert int64
	admitted [][]time.Time // per window: admissions still inside it
	arrivals []time.Time
	stats    Stats
}

type persisted struct {
	NextID, NextReq, NextCert int64
	Orders                    []*Order
}

// New returns a sandbox, loading orders from cfg.DataFile if it exists.
func New(cfg Config) (*Server, error) {
	if cfg.APIKey == "" {
		return nil, errors.New("sandbox: no API key configured")
	}
	s := &Server{cfg: cfg, now: cfg.Now, byID: map[int64]*Order{}, nextID: 100001, nextReq: 500001, nextCert: 900001}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.MaxCustomDays == 0 {
		s.cfg.MaxCustomDays = 825
	}
	s.windows = cfg.Windows
	if cfg.Windows == nil {
		s.windows = DigiCertWindows
	}
	s.admitted = make([][]time.Time, len(s.windows))
	s.stats.MaxInWindow = make([]int, len(s.windows))
	if cfg.DataFile != "" {
		b, err := os.ReadFile(cfg.DataFile)
		switch {
		case err == nil:
			var p persisted
			if err := json.Unmarshal(b, &p); err != nil {
				return nil, fmt.Errorf("sandbox: read %s: %w", cfg.DataFile, err)
			}
			s.orders, s.nextID, s.nextReq, s.nextCert = p.Orders, p.NextID, p.NextReq, p.NextCert
			for _, o := range s.orders {
				s.byID[o.ID] = o
			}
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	return s, nil
}

// saveLocked writes the orders to the data file. Callers hold mu.
func (s *Server) saveLocked() error {
	if s.cfg.DataFile == "" {
		return nil
	}
	b, err := json.Marshal(persisted{NextID: s.nextID, NextReq: s.nextReq, NextCert: s.nextCert, Orders: s.orders})
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(s.cfg.DataFile, b)
}

// Orders returns a snapshot of every order, by ID.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, len(s.orders))
	for i, o := range s.orders {
		s.advanceLocked(o)
		out[i] = *o
	}
	return out
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.MaxInWindow = append([]int(nil), s.stats.MaxInWindow...)
	return st
}

// Arrivals returns the arrival time of every authenticated request,
// including those answered 429, when Config.RecordArrivals is set.
func (s *Server) Arrivals() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.arrivals...)
}

// advanceLocked issues a delayed order whose time has come.
func (s *Server) advanceLocked(o *Order) {
	if o.Status == "pending" && !o.IssueAt.IsZero() && !s.now().Before(o.IssueAt) {
		o.Status, o.RequestStatus = "issued", "approved"
		o.CertificateID = s.nextCert
		s.nextCert++
		o.IssueAt = time.Time{}
		s.saveLocked()
	}
}

// admitLocked applies the rolling windows; false means 429.
func (s *Server) admitLocked(now time.Time) bool {
	for i, w := range s.windows {
		q := s.admitted[i]
		k := 0
		for k < len(q) && !q[k].After(now.Add(-w.Per)) {
			k++
		}
		s.admitted[i] = q[k:]
		if len(s.admitted[i]) >= w.Limit {
			return false
		}
	}
	for i := range s.windows {
		s.admitted[i] = append(s.admitted[i], now)
		s.stats.MaxInWindow[i] = max(s.stats.MaxInWindow[i], len(s.admitted[i]))
	}
	return true
}

// apiError is one item of an error answer.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	if s.cfg.ErrorsAsObject && len(errs) > 0 {
		s.writeJSON(w, status, map[string]any{"errors": errs[0]})
		return
	}
	s.writeJSON(w, status, map[string]any{"errors": errs})
}

// ServeHTTP routes requests under /services/v2.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Requests++ // counted on arrival, before the latency
	s.mu.Unlock()
	if s.cfg.Latency > 0 {
		t := time.NewTimer(s.cfg.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/services/v2")
	if !ok {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|route", "The requested route was not found."})
		return
	}
	if r.Header.Get("X-DC-DEVKEY") != s.cfg.APIKey {
		s.writeErrors(w, http.StatusUnauthorized, apiError{"access_denied|invalid_api_key", "The API key is missing or invalid."})
		return
	}
	s.mu.Lock()
	if s.cfg.RecordArrivals {
		s.arrivals = append(s.arrivals, s.now())
	}
	ok = s.admitLocked(s.now())
	if !ok {
		s.stats.RateLimited++
	}
	s.mu.Unlock()
	if !ok {
		s.writeErrors(w, http.StatusTooManyRequests, apiError{"request_limit_exceeded", "Service unavailable, please limit request volume"})
		return
	}
	rest, ok := strings.CutPrefix(path, "/order/certificate")
	switch {
	case !ok:
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|route", "The requested route was not found."})
	case rest == "" || rest == "/":
		if r.Method != http.MethodGet {
			s.writeErrors(w, http.StatusMethodNotAllowed, apiError{"method_not_allowed", "Method not allowed."})
			return
		}
		s.listOrders(w, r)
	case strings.Count(rest, "/") == 1:
		arg := rest[1:]
		switch r.Method {
		case http.MethodPost:
			s.placeOrder(w, r, arg)
		case http.MethodGet:
			s.getOrder(w, arg)
		default:
			s.writeErrors(w, http.StatusMethodNotAllowed, apiError{"method_not_allowed", "Method not allowed."})
		}
	default:
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|route", "The requested route was not found."})
	}
}

func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request, product string) {
	fam, ok := products[product]
	if !ok {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|product", "Product not found."})
		return
	}
	var body map[string]any
	raw, err := readBody(r)
	if err == nil {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		err = dec.Decode(&body)
	}
	if err != nil || body == nil {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", "The request body is not valid JSON."})
		return
	}
	o, errs, bad := validate(fam, body, s.now(), s.cfg.MaxCustomDays)
	if bad != "" {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", bad})
		return
	}
	if len(errs) > 0 {
		s.writeErrors(w, http.StatusBadRequest, errs...)
		return
	}
	s.mu.Lock()
	s.stats.OrderPOSTs++
	n := s.stats.OrderPOSTs
	if s.cfg.FailEvery > 0 && n%s.cfg.FailEvery == 0 {
		s.stats.Failed5xx++
		s.mu.Unlock()
		s.writeErrors(w, http.StatusInternalServerError, apiError{"internal_error", "An unexpected error occurred."})
		return
	}
	now := s.now()
	o.ID, o.RequestID, o.Product, o.DateCreated, o.Body = s.nextID, s.nextReq, product, now, raw
	s.nextID++
	s.nextReq++
	o.Status, o.RequestStatus = "pending", "pending"
	if skip, _ := body["skip_approval"].(bool); skip {
		if s.cfg.IssueDelay > 0 {
			o.IssueAt = now.Add(s.cfg.IssueDelay)
		} else {
			o.Status, o.RequestStatus = "issued", "approved"
			o.CertificateID = s.nextCert
			s.nextCert++
		}
	}
	s.orders = append(s.orders, o)
	s.byID[o.ID] = o
	s.stats.OrdersCreated++
	saveErr := s.saveLocked()
	failAfter := s.cfg.FailAfterCreateEvery > 0 && n%s.cfg.FailAfterCreateEvery == 0
	drop := s.cfg.DropEvery > 0 && n%s.cfg.DropEvery == 0
	if failAfter {
		s.stats.Failed5xx++
	}
	if drop {
		s.stats.Dropped++
	}
	resp := map[string]any{"id": o.ID, "requests": []map[string]any{{"id": o.RequestID, "status": o.RequestStatus}}}
	if o.CertificateID != 0 {
		resp["certificate_id"] = o.CertificateID
	}
	s.mu.Unlock()
	switch {
	case saveErr != nil:
		s.writeErrors(w, http.StatusInternalServerError, apiError{"internal_error", "The order could not be stored."})
	case drop:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case failAfter:
		s.writeErrors(w, http.StatusInternalServerError, apiError{"internal_error", "An unexpected error occurred."})
	default:
		s.writeJSON(w, http.StatusCreated, resp)
	}
}

func readBody(r *http.Request) ([]byte, error) {
	defer r.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if b.Len() > 4<<20 {
			return nil, errors.New("body too large")
		}
		if err != nil {
			if err.Error() == "EOF" {
				return []byte(b.String()), nil
			}
			return nil, err
		}
	}
}

func (s *Server) orderJSON(o *Order) map[string]any {
	s.advanceLocked(o)
	var body map[string]any
	json.Unmarshal(o.Body, &body)
	fam := products[o.Product]
	cert := map[string]any{"common_name": o.CommonName, "signature_hash": "sha256"}
	if o.CertificateID != 0 {
		cert["id"] = o.CertificateID
	}
	if len(o.Emails) > 0 && fam.name == "client_certificate" {
		cert["emails"] = o.Emails
	}
	if c, ok := body["certificate"].(map[string]any); ok {
		if ou, ok := c["organization_units"]; ok {
			cert["organization_units"] = ou
		}
	}
	m := map[string]any{
		"id":              o.ID,
		"status":          o.Status,
		"date_created":    o.DateCreated.UTC().Format("2006-01-02T15:04:05+00:00"),
		"certificate":     cert,
		"product":         map[string]any{"name_id": o.Product, "name": fam.names[o.Product], "type": fam.name},
		"product_name_id": o.Product,
		"requests":        []map[string]any{{"id": o.RequestID, "status": o.RequestStatus}},
	}
	for _, k := range []string{"organization", "container", "validity_years", "subject", "cs_provisioning_method", "ship_info", "payment_method", "custom_expiration_date"} {
		if v, ok := body[k]; ok {
			m[k] = v
		}
	}
	return m
}

func (s *Server) getOrder(w http.ResponseWriter, arg string) {
	id, err := strconv.ParseInt(arg, 10, 64)
	s.mu.Lock()
	o := s.byID[id]
	var m map[string]any
	if err == nil && o != nil {
		m = s.orderJSON(o)
	}
	s.mu.Unlock()
	if m == nil {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|order", "Order not found."})
		return
	}
	s.writeJSON(w, http.StatusOK, m)
}

// dateFilter parses filters[date_created]: ">=D", ">D", "<=D", "<D",
// "A...B" or an exact day; D is yyyy-MM-dd or RFC 3339.
func dateFilter(v string) (func(time.Time) bool, error) {
	parse := func(s string) (time.Time, bool, error) {
		s = strings.TrimSpace(s)
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t, true, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		return t, false, err
	}
	if a, b, ok := strings.Cut(v, "..."); ok {
		lo, _, err1 := parse(a)
		hi, day, err2 := parse(b)
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad range")
		}
		if day {
			hi = hi.Add(24 * time.Hour)
		}
		return func(t time.Time) bool { return !t.Before(lo) && t.Before(hi) }, nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if rest, ok := strings.CutPrefix(v, op); ok {
			d, day, err := parse(rest)
			if err != nil {
				return nil, err
			}
			switch op {
			case ">=":
				return func(t time.Time) bool { return !t.Before(d) }, nil
			case ">":
				if day {
					d = d.Add(24 * time.Hour)
					return func(t time.Time) bool { return !t.Before(d) }, nil
				}
				return func(t time.Time) bool { return t.After(d) }, nil
			case "<=":
				if day {
					d = d.Add(24 * time.Hour)
					return func(t time.Time) bool { return t.Before(d) }, nil
				}
				return func(t time.Time) bool { return !t.After(d) }, nil
			default:
				return func(t time.Time) bool { return t.Before(d) }, nil
			}
		}
	}
	d, day, err := parse(v)
	if err != nil {
		return nil, err
	}
	if day {
		return func(t time.Time) bool { return !t.Before(d) && t.Before(d.Add(24*time.Hour)) }, nil
	}
	return func(t time.Time) bool { return t.Equal(d) }, nil
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 1000
	if v := q.Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			limit = min(n, 1000)
		}
	}
	offset := 0
	if v := q.Get("offset"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			offset = n
		}
	}
	if v := q.Get("page"); v != "" && q.Get("offset") == "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 {
			offset = (n - 1) * limit
		}
	}
	var dateOK func(time.Time) bool
	if v := q.Get("filters[date_created]"); v != "" {
		f, err := dateFilter(v)
		if err != nil {
			s.writeErrors(w, http.StatusBadRequest, apiError{"invalid_value:filters[date_created]", "filters[date_created] contains an invalid value."})
			return
		}
		dateOK = f
	}
	email := strings.ToLower(q.Get("filters[email]"))
	s.mu.Lock()
	var match []*Order
	for _, o := range s.orders {
		s.advanceLocked(o)
		if email != "" && !containsFold(o.Emails, email) {
			continue
		}
		if v := q.Get("filters[product_name_id]"); v != "" && v != o.Product {
			continue
		}
		if v := q.Get("filters[status]"); v != "" && v != o.Status {
			continue
		}
		if v := q.Get("filters[common_name]"); v != "" && v != o.CommonName {
			continue
		}
		if v := q.Get("filters[id]"); v != "" && v != strconv.FormatInt(o.ID, 10) {
			continue
		}
		if dateOK != nil && !dateOK(o.DateCreated) {
			continue
		}
		match = append(match, o)
	}
	switch q.Get("sort") {
	case "-date_created", "-id", "-order_id":
		sort.SliceStable(match, func(i, j int) bool { return match[i].ID > match[j].ID })
	default:
		sort.SliceStable(match, func(i, j int) bool { return match[i].ID < match[j].ID })
	}
	total := len(match)
	page := []map[string]any{}
	for i := offset; i < total && i < offset+limit; i++ {
		page = append(page, s.orderJSON(match[i]))
	}
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, map[string]any{"orders": page, "page": map[string]int{"total": total, "limit": limit, "offset": offset}})
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Start serves a sandbox on a free loopback port in this process. It
// returns the base URL (ending in /services/v2) and a stop function.
func Start(cfg Config) (string, *Server, func(), error) {
	s, err := New(cfg)
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		// Connections a client opened but never used count as busy for
		// 5 s in Shutdown; the caller is done, so close them at once.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}
	return "http://" + ln.Addr().String() + "/services/v2", s, stop, nil
}

// ListenAndServe serves a sandbox on addr until ctx ends. ready is called
// with the base URL once the port is open.
func ListenAndServe(ctx context.Context, addr string, cfg Config, ready func(baseURL string)) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready("http://" + ln.Addr().String() + "/services/v2")
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	}
}
