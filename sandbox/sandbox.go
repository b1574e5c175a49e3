// Package sandbox is a local stand-in for the DigiCert CertCentral
// Services API v2, faithful to the two seed pages (client certificate and
// document signing orders). It serves, under /services/v2:
//
//   - POST /order/certificate/{product}: DigiCert's validation rules for
//     the client_certificate and document_signing product groups, every
//     problem of a body in one 400 answer;
//   - GET /order/certificate/{id}: order info;
//   - GET /order/certificate: the order list with the filters, sorting
//     and paging that reconciliation uses;
//
// with X-DC-DEVKEY checks, DigiCert's error shapes and the rolling
// rate-limit windows per API key. Fault injection (latency, 500 before or
// after creating an order, dropped connections, delayed issuance, the
// "errors as an object" variant) makes it a test bed for clients.
//
// It does not import certbatch's own validation: it is the referee that
// catches the tool's mistakes. Orders persist across restarts when
// [Config.DataFile] is set.
//
// Enter it with [Start] (in-process, on a free loopback port), with
// [ListenAndServe] (a long-running server), or with [New] and an
// httptest.Server around the returned [Server].
package sandbox

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// Window is a rolling rate-limit window: at most Limit requests in any
// span of Per.
type Window struct {
	Limit int
	Per   time.Duration
}

// DigiCertWindows are CertCentral's current limits per API key: 100
// requests per 5 seconds and 1000 per 3 minutes. Do not modify.
var DigiCertWindows = []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}

// DefaultMaxCustomDays is how far ahead a custom_expiration_date may lie
// when [Config.MaxCustomDays] is 0.
const DefaultMaxCustomDays = 825

// maxBody is the largest order body the sandbox reads.
const maxBody = 1 << 20

// Config configures a [Server]. Only APIKey is required.
type Config struct {
	// APIKey is the one key the sandbox accepts in X-DC-DEVKEY. Requests
	// without it get 401 access_denied|invalid_api_key.
	APIKey string
	// Windows are the rolling rate-limit windows per API key. Nil means
	// DigiCertWindows; an empty non-nil slice disables limiting.
	Windows []Window
	// Latency is added to every answer (it does not hold any lock).
	Latency time.Duration
	// FailEvery makes every Nth order POST (counting those that passed
	// the key check and the rate limit) answer 500 without creating
	// anything.
	FailEvery int
	// FailAfterCreateEvery makes every Nth order POST with a valid body
	// create the order, then answer 500.
	FailAfterCreateEvery int
	// DropEvery makes every Nth order POST with a valid body create the
	// order, then close the connection without any answer. It wins over
	// FailAfterCreateEvery when both hit the same POST.
	DropEvery int
	// IssueDelay is how long a skip_approval order stays pending. Zero
	// issues it at once: the answer carries certificate_id and the
	// request status "approved".
	IssueDelay time.Duration
	// DataFile, when set, is a JSON file the orders are loaded from by
	// New and saved to (atomically) after every change.
	DataFile string
	// MaxCustomDays is how many days ahead custom_expiration_date may
	// lie; 0 means DefaultMaxCustomDays.
	MaxCustomDays int
	// ErrorsAsObject sends "errors" as one object instead of an array (a
	// variant seen in the wild) to test tolerant clients.
	ErrorsAsObject bool
	// RecordArrivals keeps the arrival time of every request with a valid
	// key, including those answered 429 (see [Server.Arrivals]).
	RecordArrivals bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Order is an order the sandbox holds, as [Server.Orders] shows it.
type Order struct {
	ID        int64 `json:"id"`
	RequestID int64 `json:"request_id"`
	// CertificateID is zero until the order is issued.
	CertificateID int64  `json:"certificate_id,omitempty"`
	Product       string `json:"product"`
	// Family is the product group: "client_certificate" or
	// "document_signing".
	Family string `json:"family,omitempty"`
	// Status is the order status: "pending" or "issued".
	Status string `json:"status"`
	// RequestStatus is the status of the order's request: "pending" or
	// "approved".
	RequestStatus string    `json:"request_status"`
	DateCreated   time.Time `json:"date_created"`
	// DateIssued is zero until the order is issued.
	DateIssued time.Time `json:"date_issued,omitzero"`
	// IssueAt is when a delayed skip_approval order is (or was) issued;
	// zero for orders issued at once or waiting for approval.
	IssueAt time.Time `json:"issue_at,omitzero"`
	// CommonName is certificate.common_name (client) or subject.name
	// (document signing).
	CommonName string `json:"common_name"`
	// Emails are certificate.emails (client) or subject.email (document
	// signing).
	Emails []string `json:"emails"`
	// Body is the exact body received.
	Body json.RawMessage `json:"body,omitempty"`

	body   map[string]any // Body, parsed; read-only once set
	certID int64          // the certificate ID reserved for a delayed order
}

// Stats are counters for tests and benchmarks.
type Stats struct {
	Requests      int // every request, counted on arrival
	OrderPOSTs    int // order POSTs that passed the key check and the rate limit
	OrdersCreated int
	RateLimited   int // 429 answers
	Failed5xx     int // 500 answers
	Dropped       int // connections dropped after creating an order
	// MaxInWindow holds, per rate-limit window, the most requests
	// admitted within any one span of the window's length.
	MaxInWindow []int
}

// Server is the sandbox: an http.Handler, safe for concurrent use.
type Server struct {
	cfg     Config
	windows []Window
	now     func() time.Time

	mu       sync.Mutex
	orders   []*Order // by ID
	byID     map[int64]*Order
	nextID   int64
	nextReq  int64
	nextCert int64
	admitted [][]time.Time // per window: admissions still inside it
	arrivals []time.Time
	stats    Stats
	version  uint64 // bumped on every change to the orders

	saveMu sync.Mutex
	saved  uint64 // the version last written to DataFile
}

// stored is the DataFile's content.
type stored struct {
	NextID   int64         `json:"NextID"`
	NextReq  int64         `json:"NextReq"`
	NextCert int64         `json:"NextCert"`
	Orders   []storedOrder `json:"Orders"`
}

// storedOrder keeps the body byte for byte (a json.RawMessage would be
// re-encoded) and the reserved certificate ID.
type storedOrder struct {
	Order
	BodyText string `json:"body_text,omitempty"`
	CertID   int64  `json:"reserved_certificate_id,omitempty"`
}

// New returns a sandbox, loading orders from cfg.DataFile if it exists.
// It fails when the configuration is unusable or the data file cannot be
// read.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.APIKey == "":
		return nil, errors.New("new sandbox: no API key configured")
	case cfg.FailEvery < 0 || cfg.FailAfterCreateEvery < 0 || cfg.DropEvery < 0:
		return nil, errors.New("new sandbox: fault counts must not be negative")
	case cfg.Latency < 0 || cfg.IssueDelay < 0:
		return nil, errors.New("new sandbox: durations must not be negative")
	case cfg.MaxCustomDays < 0:
		return nil, errors.New("new sandbox: MaxCustomDays must not be negative")
	}
	s := &Server{cfg: cfg, now: cfg.Now, byID: map[int64]*Order{}, nextID: 100001, nextReq: 500001, nextCert: 900001}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.MaxCustomDays == 0 {
		s.cfg.MaxCustomDays = DefaultMaxCustomDays
	}
	s.windows = cfg.Windows
	if cfg.Windows == nil {
		s.windows = DigiCertWindows
	}
	for i, w := range s.windows {
		if w.Limit <= 0 || w.Per <= 0 {
			return nil, fmt.Errorf("new sandbox: window %d (%d per %s): limit and length must be positive", i+1, w.Limit, w.Per)
		}
	}
	s.windows = append([]Window(nil), s.windows...)
	s.admitted = make([][]time.Time, len(s.windows))
	s.stats.MaxInWindow = make([]int, len(s.windows))
	if cfg.DataFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// load reads DataFile; a missing file is an empty sandbox.
func (s *Server) load() error {
	b, err := os.ReadFile(s.cfg.DataFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load sandbox orders: %w", err)
	}
	var st stored
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("load sandbox orders: %s: %w", s.cfg.DataFile, err)
	}
	s.nextID, s.nextReq, s.nextCert = max(st.NextID, s.nextID), max(st.NextReq, s.nextReq), max(st.NextCert, s.nextCert)
	for i := range st.Orders {
		o := st.Orders[i].Order
		if st.Orders[i].BodyText != "" {
			o.Body = json.RawMessage(st.Orders[i].BodyText)
		}
		o.certID = st.Orders[i].CertID
		if o.ID == 0 || s.byID[o.ID] != nil {
			return fmt.Errorf("load sandbox orders: %s: order %d: missing or repeated ID", s.cfg.DataFile, i+1)
		}
		if o.Status == "pending" && !o.IssueAt.IsZero() && o.certID == 0 {
			o.certID = s.nextCert
			s.nextCert++
		}
		if p, ok := products[o.Product]; ok && o.Family == "" {
			o.Family = p.name
		}
		o.body = parseBody(o.Body)
		s.nextID = max(s.nextID, o.ID+1)
		s.nextReq = max(s.nextReq, o.RequestID+1)
		s.nextCert = max(s.nextCert, o.CertificateID+1, o.certID+1)
		s.orders = append(s.orders, &o)
		s.byID[o.ID] = &o
	}
	return nil
}

// parseBody decodes a stored body; a body that does not decode reads as
// empty (it was valid when received).
func parseBody(raw []byte) map[string]any {
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if d.Decode(&m) != nil || m == nil {
		return map[string]any{}
	}
	return m
}

// snapshot is the DataFile content at one version.
type snapshot struct {
	version uint64
	data    []byte
}

// changedLocked records a change to the orders and returns what to save,
// or nil without a DataFile. Callers hold mu and call save after
// unlocking, so disk writes never hold up other requests.
func (s *Server) changedLocked() *snapshot {
	s.version++
	if s.cfg.DataFile == "" {
		return nil
	}
	st := stored{NextID: s.nextID, NextReq: s.nextReq, NextCert: s.nextCert, Orders: make([]storedOrder, len(s.orders))}
	for i, o := range s.orders {
		so := storedOrder{Order: *o, BodyText: string(o.Body), CertID: o.certID}
		so.Body = nil
		st.Orders[i] = so
	}
	b, err := json.Marshal(st)
	if err != nil { // cannot happen: every field marshals
		b = nil
	}
	return &snapshot{version: s.version, data: b}
}

// save writes a snapshot unless a newer one is already on disk.
func (s *Server) save(sn *snapshot) error {
	if sn == nil {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if sn.version <= s.saved {
		return nil
	}
	if sn.data == nil {
		return errors.New("save sandbox orders: cannot encode")
	}
	if err := atomicfile.WriteFile(s.cfg.DataFile, sn.data); err != nil {
		return fmt.Errorf("save sandbox orders: %w", err)
	}
	s.saved = sn.version
	return nil
}

// view returns a copy of o as it stands at now: a delayed order whose
// time has come is issued. Reads never change the stored order, so
// certificate IDs follow creation order and reads need no saving. The
// copy shares Emails, Body and the parsed body with o; none of them
// changes after creation.
func view(o *Order, now time.Time) Order {
	v := *o
	if v.Status == "pending" && !v.IssueAt.IsZero() && !now.Before(v.IssueAt) {
		v.Status, v.RequestStatus = "issued", "approved"
		v.CertificateID, v.DateIssued = o.certID, o.IssueAt
	}
	return v
}

// Orders returns a snapshot of every order, by ID.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := make([]Order, len(s.orders))
	for i, o := range s.orders {
		v := view(o, now)
		v.Emails = slices.Clone(o.Emails)
		v.Body = slices.Clone(o.Body)
		out[i] = v
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

// Arrivals returns the arrival time of every request with a valid key,
// including those answered 429, when [Config.RecordArrivals] is set.
func (s *Server) Arrivals() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.arrivals...)
}

// admitLocked applies the rolling windows; false means 429. A request
// counts in a window from its admission until Per later; rejected
// requests do not count. Only one key is valid, so the windows of that
// key are the only ones.
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

var (
	errRoute     = apiError{"not_found|route", "The requested route was not found."}
	errMethod    = apiError{"method_not_allowed", "The request method is not allowed on this route."}
	errInternal  = apiError{"internal_error", "An unexpected error occurred."}
	errBadFormat = apiError{"bad_request_format", "The request body is not valid JSON."}
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // cannot happen: answers are maps of plain values
		status, b = http.StatusInternalServerError, []byte(`{"errors":[{"code":"internal_error","message":"An unexpected error occurred."}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (s *Server) writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	if s.cfg.ErrorsAsObject && len(errs) > 0 {
		writeJSON(w, status, map[string]any{"errors": errs[0]})
		return
	}
	writeJSON(w, status, map[string]any{"errors": errs})
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	s.writeErrors(w, http.StatusMethodNotAllowed, errMethod)
}

// ServeHTTP routes requests under /services/v2 (the US and EU hosts use
// the same paths).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Requests++ // counted on arrival, before the latency
	s.mu.Unlock()
	if s.cfg.Latency > 0 {
		t := time.NewTimer(s.cfg.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client is gone: nobody to answer
			t.Stop()
			return
		}
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/services/v2/")
	if !ok {
		s.writeErrors(w, http.StatusNotFound, errRoute)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-DC-DEVKEY")), []byte(s.cfg.APIKey)) != 1 {
		s.writeErrors(w, http.StatusUnauthorized, apiError{"access_denied|invalid_api_key", "The API key is missing or invalid."})
		return
	}
	s.mu.Lock()
	now := s.now()
	if s.cfg.RecordArrivals {
		s.arrivals = append(s.arrivals, now)
	}
	ok = s.admitLocked(now)
	if !ok {
		s.stats.RateLimited++
	}
	s.mu.Unlock()
	if !ok {
		s.writeErrors(w, http.StatusTooManyRequests, apiError{"request_limit_exceeded", "Service unavailable, please limit request volume"})
		return
	}
	rest, ok := strings.CutPrefix(path, "order/certificate")
	switch {
	case !ok:
		s.writeErrors(w, http.StatusNotFound, errRoute)
	case rest == "" || rest == "/":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.methodNotAllowed(w, "GET")
			return
		}
		s.listOrders(w, r)
	case rest[0] == '/' && !strings.Contains(rest[1:], "/"):
		switch arg := rest[1:]; r.Method {
		case http.MethodPost:
			s.placeOrder(w, r, arg)
		case http.MethodGet, http.MethodHead:
			s.getOrder(w, arg)
		default:
			s.methodNotAllowed(w, "GET, POST")
		}
	default:
		s.writeErrors(w, http.StatusNotFound, errRoute)
	}
}

// readJSONObject reads a body that must be exactly one JSON object.
func readJSONObject(w http.ResponseWriter, r *http.Request) ([]byte, map[string]any, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		return nil, nil, err
	}
	if body == nil {
		return nil, nil, errors.New("body is null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("data after the JSON object")
	}
	return raw, body, nil
}

func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request, product string) {
	s.mu.Lock()
	s.stats.OrderPOSTs++
	n := s.stats.OrderPOSTs
	fail := s.cfg.FailEvery > 0 && n%s.cfg.FailEvery == 0
	if fail {
		s.stats.Failed5xx++
	}
	s.mu.Unlock()
	if fail {
		s.writeErrors(w, http.StatusInternalServerError, errInternal)
		return
	}
	fam, ok := products[product]
	if !ok {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|product", "The product " + strconv.Quote(product) + " was not found."})
		return
	}
	raw, body, err := readJSONObject(w, r)
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			s.writeErrors(w, http.StatusRequestEntityTooLarge, apiError{"request_too_large", "The request body is too large."})
			return
		}
		s.writeErrors(w, http.StatusBadRequest, errBadFormat)
		return
	}
	o, problems, bad := validate(fam, body, s.now(), s.cfg.MaxCustomDays)
	if bad != "" {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", bad})
		return
	}
	if len(problems) > 0 {
		s.writeErrors(w, http.StatusBadRequest, problems...)
		return
	}
	skip, _ := body["skip_approval"].(bool)

	s.mu.Lock()
	now := s.now()
	o.ID, o.RequestID, o.Product, o.DateCreated, o.Body, o.body = s.nextID, s.nextReq, product, now, raw, body
	s.nextID++
	s.nextReq++
	o.Status, o.RequestStatus = "pending", "pending"
	if skip {
		if s.cfg.IssueDelay > 0 {
			o.IssueAt, o.certID = now.Add(s.cfg.IssueDelay), s.nextCert
		} else {
			o.Status, o.RequestStatus = "issued", "approved"
			o.CertificateID, o.DateIssued = s.nextCert, now
		}
		s.nextCert++
	}
	s.orders = append(s.orders, o)
	s.byID[o.ID] = o
	s.stats.OrdersCreated++
	sn := s.changedLocked()
	drop := s.cfg.DropEvery > 0 && n%s.cfg.DropEvery == 0
	failAfter := !drop && s.cfg.FailAfterCreateEvery > 0 && n%s.cfg.FailAfterCreateEvery == 0
	resp := map[string]any{"id": o.ID, "requests": []map[string]any{{"id": o.RequestID, "status": o.RequestStatus}}}
	if o.CertificateID != 0 {
		resp["certificate_id"] = o.CertificateID
	}
	s.mu.Unlock()

	if err := s.save(sn); err != nil {
		s.mu.Lock()
		s.stats.Failed5xx++
		s.mu.Unlock()
		s.writeErrors(w, http.StatusInternalServerError, apiError{"internal_error", "The order was created but could not be stored."})
		return
	}
	switch {
	case drop:
		s.mu.Lock()
		s.stats.Dropped++
		s.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		// Not hijackable (HTTP/2): net/http resets the stream instead.
		panic(http.ErrAbortHandler)
	case failAfter:
		s.mu.Lock()
		s.stats.Failed5xx++
		s.mu.Unlock()
		s.writeErrors(w, http.StatusInternalServerError, errInternal)
	default:
		writeJSON(w, http.StatusCreated, resp)
	}
}

func (s *Server) getOrder(w http.ResponseWriter, arg string) {
	id, err := strconv.ParseInt(arg, 10, 64)
	var info map[string]any
	if err == nil {
		s.mu.Lock()
		if o := s.byID[id]; o != nil {
			now := s.now()
			info = orderInfo(view(o, now), now)
		}
		s.mu.Unlock()
	}
	if info == nil {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|order", "Order not found."})
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// Start serves a sandbox on a free loopback port in this process, for
// `submit --sandbox` and tests. It returns the base URL (ending in
// /services/v2), the server, and a stop function that closes it at once.
func Start(cfg Config) (baseURL string, s *Server, stop func(), err error) {
	s, err = New(cfg)
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, fmt.Errorf("start sandbox: listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln) // returns ErrServerClosed after stop
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			// Connections a client opened but never used count as busy
			// for 5 s in Shutdown; the caller is done, so close them.
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if srv.Shutdown(ctx) != nil {
				srv.Close()
			}
			<-done
		})
	}
	return baseURLOf(ln), s, stop, nil
}

// baseURLOf is the API root served on a listener.
func baseURLOf(ln net.Listener) string { return "http://" + ln.Addr().String() + "/services/v2" }

// ListenAndServe serves a sandbox on addr until ctx is done, then shuts
// down gracefully (requests in flight get up to 5 s to finish). ready,
// if not nil, is called with the base URL (like
// http://127.0.0.1:8080/services/v2) once the port is open. It returns
// nil after a shutdown, or the error that stopped it.
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
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(baseURLOf(ln))
	}
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox: serve on %s: %w", addr, err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			srv.Close()
		}
		<-errc
		return nil
	}
}
