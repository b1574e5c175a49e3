package certcentral

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// OrderResponse is the answer to a placed order. Every field but ID is
// optional: CertificateID arrives only when the request is approved.
type OrderResponse struct {
	ID            int64        `json:"id"`
	Requests      []RequestRef `json:"requests"`
	CertificateID int64        `json:"certificate_id"`
	Organization  *struct {
		ID int64 `json:"id"`
	} `json:"organization,omitempty"`
}

// RequestRef is an order's request.
type RequestRef struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

// Order is an order as GET /order/certificate/{id} and the order list
// return it (the fields certbatch reads).
type Order struct {
	ID          int64     `json:"id"`
	Status      string    `json:"status"`
	DateCreated Time      `json:"date_created"`
	Certificate OrderCert `json:"certificate"`
	Product     struct {
		NameID string `json:"name_id"`
	} `json:"product"`
	ProductNameID string       `json:"product_name_id"`
	Requests      []RequestRef `json:"requests"`
}

// OrderCert is the certificate part of an order.
type OrderCert struct {
	ID         int64    `json:"id"`
	CommonName string   `json:"common_name"`
	Emails     []string `json:"emails"`
}

// Time parses the date formats CertCentral uses.
type Time struct{ time.Time }

// UnmarshalJSON accepts "2006-01-02T15:04:05-07:00", RFC 3339 with
// fractions, "2006-01-02 15:04:05" and "2006-01-02"; null or "" is zero.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil || s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("unknown date format %q", s)
}

// ErrorItem is one entry of an error answer.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// APIError is a non-2xx answer with its decoded errors.
type APIError struct {
	StatusCode int
	Errors     []ErrorItem
}

// Error formats every code and message, e.g. "400 invalid_value:validity_years:
// validity_years contains an invalid value.".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if len(e.Errors) == 0 {
		b.WriteString(" " + http.StatusText(e.StatusCode))
	}
	for i, it := range e.Errors {
		if i > 0 {
			b.WriteString(";")
		}
		switch {
		case it.Code != "" && it.Message != "":
			fmt.Fprintf(&b, " %s: %s", it.Code, it.Message)
		case it.Code != "":
			b.WriteString(" " + it.Code)
		default:
			b.WriteString(" " + it.Message)
		}
	}
	return b.String()
}

// Is makes 401 and 403 answers match ErrAuth.
func (e *APIError) Is(target error) bool {
	return target == ErrAuth && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// ErrAuth matches 401 and 403 answers: the key is wrong or lacks
// permission. It stops a run.
var ErrAuth = errors.New("authentication failed")

// ErrRateLimited means every attempt was answered with 429.
var ErrRateLimited = errors.New("rate limited by CertCentral")

// UncertainError means the request may have reached CertCentral and no
// trustworthy answer came back: the order may or may not exist.
type UncertainError struct {
	Op  string
	Err error
}

func (e *UncertainError) Error() string {
	return fmt.Sprintf("%s: no answer, the order may or may not exist: %v", e.Op, e.Err)
}

func (e *UncertainError) Unwrap() error { return e.Err }

// decodeError builds an APIError from an answer, tolerating "errors" as
// an array, a single object, or a body that is not JSON at all.
func decodeError(a attempt) *APIError {
	e := &APIError{StatusCode: a.status}
	var wrap struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(a.body, &wrap) == nil && len(wrap.Errors) > 0 {
		var list []ErrorItem
		if json.Unmarshal(wrap.Errors, &list) == nil {
			e.Errors = list
		} else {
			var one ErrorItem
			if json.Unmarshal(wrap.Errors, &one) == nil && (one.Code != "" || one.Message != "") {
				e.Errors = []ErrorItem{one}
			}
		}
	}
	if len(e.Errors) == 0 {
		if s := strings.TrimSpace(string(a.body)); s != "" && len(s) < 200 && !strings.HasPrefix(s, "<") {
			e.Errors = []ErrorItem{{Message: s}}
		}
	}
	return e
}
