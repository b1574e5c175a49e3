package certcentral

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/textsafe"
	"github.com/certbatch/certbatch/order"
)

// OrderResponse is the answer to a placed order. Every field but ID is
// optional: CertificateID arrives only when the order was issued at once.
type OrderResponse struct {
	ID            int64        `json:"id"`
	Requests      []RequestRef `json:"requests"`
	CertificateID int64        `json:"certificate_id"`
	// CertificateChain is the issued certificate and its chain, when the
	// order was issued at once (certcentral-today.md §2).
	CertificateChain []ChainCert `json:"certificate_chain,omitempty"`
	Organization     *struct {
		ID int64 `json:"id"`
	} `json:"organization,omitempty"`
}

// Answer is what the POST answer says about the order: its ID, its
// first request's ID and status, and the certificate ID DigiCert
// returns once the request is approved. It says nothing of the order's
// status: a certificate ID is not issuance (certcentral-today.md §2),
// and only GET /order/certificate/{id} tells the status.
func (r *OrderResponse) Answer() order.Answer {
	a := order.Answer{OrderID: r.ID, CertificateID: r.CertificateID}
	if len(r.Requests) > 0 {
		a.RequestID, a.RequestStatus = r.Requests[0].ID, r.Requests[0].Status
	}
	return a
}

// RequestRef is one request of an order, e.g. {"id": 922432, "status": "pending"}.
type RequestRef struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

// Order is an order as GET /order/certificate/{id} and the order list
// return it: the fields certbatch reads. Every field but ID may be
// absent and is then zero.
type Order struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	// DateCreated is when the order was placed. It is zero when the
	// answer has no date_created, or one that does not name its time
	// zone (CertCentral uses Mountain Time in places, so such a value
	// could be off by hours; zero makes reconciliation include the
	// order rather than wrongly rule it out). DateCreatedRaw keeps the
	// text as sent.
	DateCreated    time.Time    `json:"date_created"`
	DateCreatedRaw string       `json:"-"`
	Certificate    OrderCert    `json:"certificate"`
	Product        OrderProduct `json:"product"`
	ProductNameID  string       `json:"product_name_id"`
	Requests       []RequestRef `json:"requests"`
	// IsRenewed and RenewedOrderID say whether the order was renewed and
	// by which order (order info; the list shows is_renewed only).
	// When DigiCert sets them (once a renewal is placed, or once it is
	// issued) is not documented: certbatch never takes false for "not
	// renewed" (see pipeline's renewal plan).
	IsRenewed      bool  `json:"is_renewed"`
	RenewedOrderID int64 `json:"renewed_order_id"`
	// RenewalOfOrderID is the order this one renews (order info echoes
	// the body's renewal_of_order_id when present).
	RenewalOfOrderID int64 `json:"renewal_of_order_id"`
	// Organization is the order's organization (list items and order
	// info carry it); its ID is 0 when the answer does not say.
	Organization  IDRef  `json:"organization"`
	Container     IDRef  `json:"container"`
	ValidityYears int    `json:"validity_years"`
	PaymentMethod string `json:"payment_method"`
}

// IDRef is an {"id": N} object of an answer, with its name when the
// answer gives one (an organization's).
type IDRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// NameID returns the order's product ID: product.name_id, else
// product_name_id.
func (o *Order) NameID() string {
	if o.Product.NameID != "" {
		return o.Product.NameID
	}
	return o.ProductNameID
}

// Emails returns the addresses order info names the order for:
// certificate.emails, "Returned only for S/MIME certificate orders"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html).
// Empty means the answer does not tell whose order it is: every other
// product (Authentication Plus, document signing), and list items.
// Nothing undocumented is read (a document-signing subject's email is
// not on the page).
func (o *Order) Emails() []string { return o.Certificate.Emails }

// Answer is the order as order info reports it: IDs, its first
// request's status, and the order status.
func (o *Order) Answer() order.Answer {
	a := order.Answer{OrderID: o.ID, CertificateID: o.Certificate.ID, OrderStatus: o.Status}
	if len(o.Requests) > 0 {
		a.RequestID, a.RequestStatus = o.Requests[0].ID, o.Requests[0].Status
	}
	return a
}

// OrderCert is the certificate part of an order.
type OrderCert struct {
	ID         int64    `json:"id"`
	CommonName string   `json:"common_name"`
	Emails     []string `json:"emails"`
	// ValidTill is the certificate's expiry date, yyyy-MM-dd, once
	// issued (order info and the order list).
	ValidTill string `json:"valid_till"`
	// The rest is what order info echoes of the body, used to derive a
	// renewal's body.
	OrganizationUnits   []string    `json:"organization_units"`
	CommonNameIndicator string      `json:"common_name_indicator"`
	Individual          *Individual `json:"individual"`
	SignatureHash       string      `json:"signature_hash"`
}

// Individual is an S/MIME certificate's holder (certificate.individual).
type Individual struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Pseudonym string `json:"pseudonym,omitempty"`
}

// ValidTillDate returns the certificate's expiry date; ok is false when
// the answer has none or one that is not yyyy-MM-dd.
func (c *OrderCert) ValidTillDate() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(c.ValidTill))
	return t, err == nil
}

// OrderProduct is the product part of an order.
type OrderProduct struct {
	NameID string `json:"name_id"`
}

// UnmarshalJSON decodes an order, reading date_created leniently (see
// [Order.DateCreated]).
func (o *Order) UnmarshalJSON(b []byte) error {
	type plain Order
	aux := struct {
		*plain
		DateCreated json.RawMessage `json:"date_created"`
	}{plain: (*plain)(o)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	o.DateCreated, o.DateCreatedRaw = time.Time{}, ""
	var s string
	if json.Unmarshal(aux.DateCreated, &s) == nil {
		o.DateCreatedRaw = s
		o.DateCreated = parseTime(s)
	}
	return nil
}

// parseTime reads the zoned time formats CertCentral uses, e.g.
// "2006-01-02T15:04:05-07:00", "2006-01-02T15:04:05+0000",
// "2006-01-02 15:04:05Z" and fractions of seconds. Anything else,
// including times without a zone, gives the zero time.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z0700",
		"2006-01-02T15:04:05.999999999 -0700",
		"2006-01-02 15:04:05.999999999 -0700",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ErrorItem is one entry of an error answer.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// APIError is an answer with an error status (4xx, 5xx, or a redirect
// the client does not follow) and its decoded errors.
type APIError struct {
	StatusCode int
	Errors     []ErrorItem
	// RetryAfter is the server's Retry-After header, 0 when absent.
	RetryAfter time.Duration
}

// Error formats the status and every code and message, e.g.
// "400 invalid_value:validity_years: validity_years contains an invalid
// value."; several items are joined with "; ". Without items it gives
// the HTTP status text, e.g. "502 Bad Gateway".
//
// It is one line: the code and message are the server's text
// (errors[].code and .message, https://dev.digicert.com/errors/), and a
// line break inside them is written as a visible \n (textsafe.OneLine),
// so an answer cannot forge lines in a summary, a log or a results cell.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", e.StatusCode)
	items := 0
	for _, it := range e.Errors {
		var s string
		it.Code, it.Message = textsafe.OneLine(it.Code), textsafe.OneLine(it.Message)
		switch {
		case it.Code != "" && it.Message != "":
			s = it.Code + ": " + it.Message
		case it.Code != "":
			s = it.Code
		case it.Message != "":
			s = it.Message
		default:
			continue
		}
		if items > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + s)
		items++
	}
	if items == 0 {
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		} else {
			b.WriteString(" unexpected status")
		}
	}
	return b.String()
}

// Is reports whether target is [ErrAuth] and the status is 401 or 403.
func (e *APIError) Is(target error) bool {
	return target == ErrAuth && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// ErrAuth matches 401 and 403 answers: the key is wrong or lacks
// permission. Use errors.Is(err, ErrAuth).
var ErrAuth = l10n.Errorf("authentication failed")

// ErrRateLimited is returned, wrapped together with the last 429's
// *APIError, when every allowed attempt was answered with 429, or the
// caller's context ended while the client was backing off after a 429.
// Nothing was created.
var ErrRateLimited = l10n.Errorf("rate limited by CertCentral")

// ErrUnavailable matches the errors of a call CertCentral could not
// answer usably: the connection was refused, the name did not resolve,
// an attempt timed out, or the answer was a 5xx, on every attempt the
// client made. Nothing can be concluded about the data: run the command
// again later (certbatch's exit code 4, in every command). Use
// errors.Is(err, ErrUnavailable).
var ErrUnavailable = l10n.Errorf("CertCentral could not be reached or answered with a server error")

// unavailable marks err as [ErrUnavailable], keeping its text.
type unavailable struct{ err error }

func (e *unavailable) Error() string        { return e.err.Error() }
func (e *unavailable) Unwrap() error        { return e.err }
func (e *unavailable) Is(target error) bool { return target == ErrUnavailable }

// UncertainError means the request was, or may have been, delivered and
// no trustworthy answer came back: a timeout or dropped connection after
// the request was written, a 5xx, or a success answer that could not be
// read. The order may or may not exist; find out by listing orders (reconciliation) before
// ordering again. It is never retried automatically.
type UncertainError struct {
	Op  l10n.Msg // e.g. "place order client_premium"
	Err error    // the cause; an *APIError for a 5xx answer
}

// Error says, in English, that the outcome is unknown and why.
func (e *UncertainError) Error() string { return e.Localize(l10n.Printer{}) }

// Localize says it in p's language (the operation and the cause too,
// where they are the catalog's).
func (e *UncertainError) Localize(p l10n.Printer) string {
	return p.Sprintf("%s: outcome unknown, the order may or may not exist: %s", e.Op, p.Error(e.Err))
}

// Unwrap returns the cause.
func (e *UncertainError) Unwrap() error { return e.Err }

// decodeError builds an APIError from an answer, tolerating "errors" as
// an array or a single object. A body that is not such JSON leaves
// Errors empty, so the message is the HTTP status text. key is removed
// from every message in case a server or proxy echoes request headers.
func decodeError(a *attempt, key string) *APIError {
	e := &APIError{StatusCode: a.status, RetryAfter: retryAfter(a.header, time.Now())}
	var wrap struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(a.body, &wrap) == nil && len(wrap.Errors) > 0 {
		var list []ErrorItem
		if json.Unmarshal(wrap.Errors, &list) != nil {
			var one ErrorItem
			if json.Unmarshal(wrap.Errors, &one) == nil {
				list = []ErrorItem{one}
			}
		}
		for _, it := range list {
			if it.Code != "" || it.Message != "" {
				e.Errors = append(e.Errors, ErrorItem{Code: redact(it.Code, key), Message: redact(it.Message, key)})
			}
		}
	}
	return e
}

// redact replaces key in s.
func redact(s, key string) string {
	if key == "" || !strings.Contains(s, key) {
		return s
	}
	return strings.ReplaceAll(s, key, "[redacted]")
}
