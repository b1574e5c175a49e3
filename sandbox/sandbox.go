// Package sandbox is a local stand-in for the DigiCert CertCentral
// Services API v2 that imitates today's service strictly: what the real
// service would refuse, it refuses. It follows the seed pages (client
// certificate and document signing orders) where today's service has not
// changed them, and /work/shared/reference/certcentral-today.md
// ("today.md" below) where it has. It serves, under /services/v2:
//
//   - POST /order/certificate/{product}: DigiCert's validation rules for
//     the client_certificate and document_signing product groups, with
//     the S/MIME profile fields (today.md §1), for Secure Email
//     (secure_email_*, rules_secure_email.go) and today's document
//     signing (ds_*, rules_ds.go), every problem of a body in one 400
//     answer; only products enabled for the account (today.md §1);
//   - GET /order/certificate/{id}: order info, the only place an order's
//     status is told (today.md §2);
//   - GET /order/certificate: the order list with the documented filters,
//     sorting and paging (today.md §3), refusing undocumented forms;
//   - GET /order/certificate/status-changes?minutes=N|seconds=N: the orders
//     whose status changed in a window of up to 7 days (today.md §2);
//   - PUT /order/certificate/{id}/status: cancel an order (today.md §5);
//   - GET /order/certificate/{id}/email-validation and
//     PUT /email-validation/{token}?email=...: S/MIME email validation;
//   - GET /request, GET /request/{id}, PUT /request/{id}/status: approval;
//   - GET /certificate/{certificate_id}/download/format/{format} and
//     GET /certificate/download/order/{order_id}/format/{format}: real
//     X.509 certificates from a sandbox CA (pem_all, pem_noroot,
//     pem_nointermediate, p7b);
//   - GET /product, GET /organization/{id}, GET /container/{id},
//     GET /user/me: the account (today.md §5);
//
// with X-DC-DEVKEY checks (403 for a missing or wrong key, today.md §4),
// an optional view-only key, DigiCert's error shapes and the rolling
// rate-limit windows per API key. Fault injection (latency, 500 before or
// after a change, dropped connections, delayed issuance, the "errors as
// an object" variant) makes it a test bed for clients.
//
// An order's life (today.md §2): placed without skip_approval it is
// needs_approval until its request is approved; approved (or placed with
// skip_approval) it gets a certificate ID and is pending while DigiCert
// validates: [Config.EmailValidation] holds S/MIME orders until their
// emails are validated, [Config.IssueDelay] adds time; a client order
// without a CSR is then waiting_pickup until the recipient picks it up
// ([Config.PickupDelay], [Config.ManualPickup], [Server.Pickup]); then it
// is issued. Statuses are derived from recorded events by the clock, so
// reads never change anything.
//
// It does not import certbatch's own validation: it is the referee that
// catches the tool's mistakes. Everything persists across restarts when
// [Config.DataFile] is set.
//
// Enter it with [Start] (in-process, on a free loopback port), with
// [ListenAndServe] (a long-running server), or with [New] and an
// httptest.Server around the returned [Server].
package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// Window is a rolling rate-limit window: at most Limit requests in any
// span of Per.
type Window struct {
	Limit int
	Per   time.Duration
}

// DigiCertWindows are CertCentral's current limits per API key: 100
// requests per 5 seconds and 1000 per 3 minutes (today.md §4). Do not
// modify.
var DigiCertWindows = []Window{{100, 5 * time.Second}, {1000, 3 * time.Minute}}

// DefaultMaxCustomDays is how far ahead a custom_expiration_date may lie
// when [Config.MaxCustomDays] is 0, for products other than the S/MIME
// ones (client_authentication_plus, document signing: no page states
// their maximum).
const DefaultMaxCustomDays = 825

// SMIMEMaxCustomDays is how far ahead an S/MIME order's
// custom_expiration_date may lie, whatever [Config.MaxCustomDays] says:
// this endpoint issues Premium, Digital Signature Plus, Email Security
// Plus and Class 1 S/MIME with the Multipurpose profile since 2025-07-10
// (https://dev.digicert.com/certcentral-apis/services-api/orders/order-client-certificate.html),
// whose maximum validity is 824 days
// (https://docs.digicert.com/nl/certcentral/order-and-manage-certificates/manage-certificate-orders/order-and-manage-your-client-certificates/reissue-your-client-certificate.html).
const SMIMEMaxCustomDays = 824

// maxBody is the largest request body the sandbox reads.
const maxBody = 1 << 20

// Config configures a [Server]. Only APIKey is required; the zero value
// of every other field is the strict, default behaviour.
type Config struct {
	// APIKey is the key the sandbox accepts in X-DC-DEVKEY with every
	// permission. Requests without a valid key get 403
	// access_denied|access_denied_invalid_key (today.md §4).
	APIKey string
	// ViewOnlyKey, when set, is a second key restricted to GET (DigiCert's
	// "View Only" API key role): its PUTs and POSTs get 403
	// access_denied|missing_permission. It has its own rate-limit windows.
	ViewOnlyKey string
	// Windows are the rolling rate-limit windows per API key. Nil means
	// DigiCertWindows; an empty non-nil slice disables limiting.
	Windows []Window
	// Latency is added to every answer (it does not hold any lock).
	Latency time.Duration
	// FailEvery, FailAfterCreateEvery and DropEvery are shorthands for
	// Faults[EndpointPlaceOrder] (FailAfterCreateEvery is its
	// FailAfterChangeEvery); they may not be combined with that entry.
	FailEvery            int
	FailAfterCreateEvery int
	DropEvery            int
	// Faults injects faults per mutating endpoint (see the Endpoint
	// constants); the EndpointAny entry counts every mutating request.
	Faults map[string]Faults
	// IssueDelay is how long an approved order stays pending (after its
	// emails are validated, with EmailValidation) before it is issued (or
	// waits for pickup). Zero issues it at once.
	IssueDelay time.Duration
	// EmailValidation holds S/MIME orders pending until every email is
	// validated ([Server.ValidateEmail] or PUT /email-validation/{token}).
	EmailValidation bool
	// EmailValidationLog, when set, gets one line per validation email
	// the sandbox "sends" (when an order's request is approved), with the
	// PUT that validates it: how a standalone sandbox's user finds the
	// tokens.
	EmailValidationLog io.Writer
	// PickupDelay is how long a client order placed without a CSR stays
	// waiting_pickup before the recipient picks it up; zero picks it up at
	// once, so the order goes straight to issued.
	PickupDelay time.Duration
	// ManualPickup keeps client orders without a CSR waiting_pickup until
	// [Server.Pickup]; PickupDelay is then ignored.
	ManualPickup bool
	// Products are the product name_ids enabled for the account (old IDs
	// such as client_premium_sha2 enable their current product); nil
	// enables every known product. Orders for others get 404
	// not_found|product.
	Products []string
	// Organizations are the account's organizations by ID; nil means
	// DefaultOrganizations. Orders naming another get 400
	// invalid_value:organization.id.
	Organizations map[int64]string
	// Containers are the account's containers (divisions) by ID; nil
	// means DefaultContainers. Orders naming another get 400
	// invalid_value:container.id.
	Containers map[int64]string
	// LenientFilters accepts undocumented list forms (>=, <=, RFC 3339
	// times, percent-encoded brackets, unknown filters and sort keys,
	// page=) instead of refusing them with 400 invalid_value:<param>.
	LenientFilters bool
	// DataFile, when set, is a JSON file the state is loaded from by New
	// and saved to (atomically) after every change.
	DataFile string
	// MaxCustomDays is how many days ahead custom_expiration_date may
	// lie; 0 means DefaultMaxCustomDays. S/MIME orders are held to
	// SMIMEMaxCustomDays as well.
	MaxCustomDays int
	// ErrorsAsObject sends "errors" as one object instead of an array (a
	// variant seen in the wild) to test tolerant clients.
	ErrorsAsObject bool
	// StatusPageSize is how many orders a page of the status-change feed
	// holds at most, whatever limit a client asks for; 0 means
	// DefaultStatusPageSize. A client that reads only the first page of a
	// longer feed misses changes.
	StatusPageSize int
	// RecordArrivals keeps the arrival time of every request with a valid
	// key, including those answered 429 (see [Server.Arrivals]).
	RecordArrivals bool
	// Holdings are issued orders the sandbox holds from the start (those
	// it does not hold yet), e.g. certificates that expire soon, to
	// rehearse renewals and leavers (renewal.go).
	Holdings []Holding
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultOrganizations are the organizations of the default account: the
// IDs of the seed examples and samples (the names are the sandbox's). Do
// not modify.
var DefaultOrganizations = map[int64]string{112233: "Example Corp", 334455: "Example Signing Ltd"}

// DefaultContainers are the containers of the default account: the IDs
// of the seed examples and samples. Do not modify.
var DefaultContainers = map[int64]string{445566: "Example Corp Division", 221122: "Example Signing Division"}

// StatusChange is one status an order entered, and when.
type StatusChange struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Order is an order as [Server.Orders] shows it, as of the clock's now.
type Order struct {
	ID        int64 `json:"id"`
	RequestID int64 `json:"request_id"`
	// CertificateID is zero until the order's request is approved.
	CertificateID int64 `json:"certificate_id,omitempty"`
	// Product is the product name_id as ordered (answers show the current
	// ID, today.md §3).
	Product string `json:"product"`
	// Family is the product group: "client_certificate" or
	// "document_signing".
	Family string `json:"family,omitempty"`
	// Status is the order status: needs_approval, pending,
	// waiting_pickup, issued, rejected or canceled.
	Status string `json:"status"`
	// RequestStatus is the status of the order's request: pending,
	// approved or rejected.
	RequestStatus string    `json:"request_status"`
	DateCreated   time.Time `json:"date_created"`
	// DateApproved is when the request was approved; zero before.
	DateApproved time.Time `json:"date_approved,omitzero"`
	// DateIssued is zero until the order is issued.
	DateIssued time.Time `json:"date_issued,omitzero"`
	// IssueAt is when the order is (or was) due to leave pending, once
	// that is known; zero while it waits for approval or validation.
	IssueAt time.Time `json:"issue_at,omitzero"`
	// DateCanceled and Note tell a cancellation.
	DateCanceled time.Time `json:"date_canceled,omitzero"`
	Note         string    `json:"note,omitempty"`
	// CommonName is the certificate's common name: certificate.common_name
	// (client), the first email (class1_smime), the organization's name or
	// subject.name (document signing, per use_org_as_common_name).
	CommonName string `json:"common_name"`
	// Emails are certificate.emails (client) or subject.email (document
	// signing), as received; order info shows them for S/MIME orders
	// only.
	Emails []string `json:"emails"`
	// History is every status the order entered up to now.
	History []StatusChange `json:"history,omitempty"`
	// Body is the exact body received.
	Body json.RawMessage `json:"body,omitempty"`

	body map[string]any // Body, parsed; read-only once set
}

// Stats are counters for tests and benchmarks.
type Stats struct {
	Requests      int // every request, counted on arrival
	OrderPOSTs    int // order POSTs that passed the key check and the rate limit
	Mutations     int // PUTs and POSTs that passed the key check, the rate limit and the permission check
	OrdersCreated int
	RateLimited   int // 429 answers
	Failed5xx     int // 500 answers
	Dropped       int // connections dropped after a change
	// MaxInWindow holds, per rate-limit window, the most requests
	// admitted within any one span of the window's length (for any key).
	MaxInWindow []int
}

// Server is the sandbox: an http.Handler, safe for concurrent use.
type Server struct {
	cfg      Config
	windows  []Window
	now      func() time.Time
	enabled  map[string]bool // current product IDs
	orgs     map[int64]string
	conts    map[int64]string
	faults   map[string]Faults
	ca       *authority
	routes   []route
	viewOnly bool // whether ViewOnlyKey is set

	mu       sync.Mutex
	recs     []*record // by ID
	byID     map[int64]*record
	byReq    map[int64]*record
	byCert   map[int64]*record
	byToken  map[string]*record
	nextID   int64
	nextReq  int64
	nextCert int64
	admitted map[string][][]time.Time // per key, per window: admissions still inside it
	counts   map[string]int           // mutating requests per endpoint
	arrivals []time.Time
	stats    Stats
	version  uint64 // bumped on every change to the state

	saveMu sync.Mutex
	saved  uint64 // the version last written to DataFile

	announceMu sync.Mutex // serializes EmailValidationLog writes
}

// New returns a sandbox, loading its state from cfg.DataFile if it
// exists. It fails when the configuration is unusable or the data file
// cannot be read.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.APIKey == "":
		return nil, errors.New("new sandbox: no API key configured")
	case cfg.ViewOnlyKey == cfg.APIKey:
		return nil, errors.New("new sandbox: the view-only key must differ from the API key")
	case cfg.FailEvery < 0 || cfg.FailAfterCreateEvery < 0 || cfg.DropEvery < 0:
		return nil, errors.New("new sandbox: fault counts must not be negative")
	case cfg.Latency < 0 || cfg.IssueDelay < 0 || cfg.PickupDelay < 0:
		return nil, errors.New("new sandbox: durations must not be negative")
	case cfg.MaxCustomDays < 0:
		return nil, errors.New("new sandbox: MaxCustomDays must not be negative")
	case cfg.StatusPageSize < 0:
		return nil, errors.New("new sandbox: StatusPageSize must not be negative")
	}
	s := &Server{cfg: cfg, now: cfg.Now, byID: map[int64]*record{}, byReq: map[int64]*record{}, byCert: map[int64]*record{},
		byToken: map[string]*record{}, nextID: 100001, nextReq: 500001, nextCert: 900001,
		admitted: map[string][][]time.Time{}, counts: map[string]int{}, viewOnly: cfg.ViewOnlyKey != ""}
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
	s.windows = slices.Clone(s.windows)
	s.stats.MaxInWindow = make([]int, len(s.windows))
	var err error
	if s.faults, err = faultTable(cfg); err != nil {
		return nil, err
	}
	if s.enabled, err = enabledProducts(cfg.Products); err != nil {
		return nil, err
	}
	s.orgs, s.conts = maps.Clone(cfg.Organizations), maps.Clone(cfg.Containers)
	if s.orgs == nil {
		s.orgs = maps.Clone(DefaultOrganizations)
	}
	if s.conts == nil {
		s.conts = maps.Clone(DefaultContainers)
	}
	s.routes = s.routeTable()
	if cfg.DataFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	if s.ca == nil {
		if s.ca, err = newAuthority(s.now()); err != nil {
			return nil, fmt.Errorf("new sandbox: %w", err)
		}
	}
	if err := s.addHoldings(); err != nil {
		return nil, err
	}
	return s, nil
}

// Orders returns a snapshot of every order as of now, by ID.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := make([]Order, len(s.recs))
	for i, r := range s.recs {
		v := r.view(now)
		v.Emails = slices.Clone(r.Emails)
		v.Body = json.RawMessage(r.BodyText)
		out[i] = v
	}
	return out
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.MaxInWindow = slices.Clone(s.stats.MaxInWindow)
	return st
}

// Arrivals returns the arrival time of every request with a valid key,
// including those answered 429, when [Config.RecordArrivals] is set.
func (s *Server) Arrivals() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.arrivals)
}
