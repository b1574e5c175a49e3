package sandbox

import (
	"slices"
	"time"
)

// Order statuses (today.md §2) the sandbox produces.
const (
	statusNeedsApproval = "needs_approval"
	statusPending       = "pending"
	statusWaitingPickup = "waiting_pickup"
	statusIssued        = "issued"
	statusRejected      = "rejected"
	statusCanceled      = "canceled"
	statusRevoked       = "revoked"
)

// Request statuses (today.md §2).
const (
	requestPending  = "pending"
	requestApproved = "approved"
	requestRejected = "rejected"
)

// record is an order as the sandbox stores it: what was received, the
// rules in force when it was placed, and the explicit events (approval,
// email validation, pickup, cancellation). Statuses are derived from it
// by the clock (timeline), so reading never changes a record and
// time-driven changes show in status-changes like the others.
type record struct {
	ID            int64     `json:"id"`
	RequestID     int64     `json:"request_id"`
	CertificateID int64     `json:"certificate_id,omitempty"` // set on approval
	Product       string    `json:"product"`                  // as ordered
	DateCreated   time.Time `json:"date_created"`
	CommonName    string    `json:"common_name"`
	Emails        []string  `json:"emails"`
	BodyText      string    `json:"body_text"`
	HasCSR        bool      `json:"has_csr,omitempty"`
	SkipApproval  bool      `json:"skip_approval,omitempty"`

	// Rules in force when the order was placed: a restart with another
	// Config does not rewrite history.
	IssueDelay   time.Duration `json:"issue_delay,omitempty"`
	EmailGate    bool          `json:"email_gate,omitempty"`   // waits for email validation
	NeedsPickup  bool          `json:"needs_pickup,omitempty"` // client order without a CSR
	PickupDelay  time.Duration `json:"pickup_delay,omitempty"`
	ManualPickup bool          `json:"manual_pickup,omitempty"`

	// Events.
	DateApproved     time.Time            `json:"date_approved,omitzero"`
	DateRejected     time.Time            `json:"date_rejected,omitzero"`
	ProcessorComment string               `json:"processor_comment,omitempty"`
	Token            string               `json:"email_token,omitempty"`
	Validated        map[string]time.Time `json:"validated,omitempty"` // email -> when
	DatePickedUp     time.Time            `json:"date_picked_up,omitzero"`
	DateCanceled     time.Time            `json:"date_canceled,omitzero"`
	Note             string               `json:"note,omitempty"`
	CertDER          []byte               `json:"certificate_der,omitempty"` // the leaf, once made

	// RenewalOf is the body's renewal_of_order_id (0: not a renewal);
	// Revokes are the order's revocation requests, oldest first
	// (revoke.go); RenewedBy the orders placed as its renewals (not
	// stored: rebuilt from RenewalOf).
	RenewalOf int64         `json:"renewal_of,omitempty"`
	Revokes   []*revocation `json:"revokes,omitempty"`
	RenewedBy []*record     `json:"-"`

	body map[string]any // BodyText, parsed; read-only
}

// approvedAt is when the request was approved; zero if it was not.
func (r *record) approvedAt() time.Time {
	if r.SkipApproval {
		return r.DateCreated
	}
	return r.DateApproved
}

// validatedAt is when the last email was validated; ok is false while
// one is still unvalidated.
func (r *record) validatedAt() (t time.Time, ok bool) {
	for _, e := range r.Emails {
		v, done := r.Validated[e]
		if !done {
			return time.Time{}, false
		}
		t = maxTime(t, v)
	}
	return t, true
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// issueAt is when validation ends (the order leaves pending); ok is
// false while that is not known.
func (r *record) issueAt() (time.Time, bool) {
	a := r.approvedAt()
	if a.IsZero() {
		return time.Time{}, false
	}
	if r.EmailGate {
		v, ok := r.validatedAt()
		if !ok {
			return time.Time{}, false
		}
		a = maxTime(a, v)
	}
	return a.Add(r.IssueDelay), true
}

// timeline is every status the order enters, in time order, including
// those still in the future: today.md §2's life of an order.
func (r *record) timeline() []StatusChange {
	var h []StatusChange
	add := func(st string, at time.Time) { h = append(h, StatusChange{st, at}) }
	if r.SkipApproval {
		add(statusPending, r.DateCreated)
	} else {
		add(statusNeedsApproval, r.DateCreated)
		switch {
		case !r.DateRejected.IsZero():
			add(statusRejected, r.DateRejected)
		case !r.DateApproved.IsZero():
			add(statusPending, r.DateApproved)
		}
	}
	if ready, ok := r.issueAt(); ok && r.DateRejected.IsZero() {
		switch {
		case !r.NeedsPickup || !r.ManualPickup && r.PickupDelay == 0:
			add(statusIssued, ready)
		default:
			add(statusWaitingPickup, ready)
			var pick time.Time
			if !r.ManualPickup {
				pick = ready.Add(r.PickupDelay)
			}
			if !r.DatePickedUp.IsZero() && (pick.IsZero() || r.DatePickedUp.Before(pick)) {
				pick = maxTime(r.DatePickedUp, ready)
			}
			if !pick.IsZero() {
				add(statusIssued, pick)
			}
		}
	}
	if !r.DateCanceled.IsZero() {
		h = slices.DeleteFunc(h, func(c StatusChange) bool { return c.At.After(r.DateCanceled) })
		add(statusCanceled, r.DateCanceled)
	}
	if at := r.revokedAt(); !at.IsZero() {
		h = append(h, StatusChange{statusRevoked, at})
	}
	return h
}

// statusAt is the order status at t: the last change not after t (the
// first status when t is before creation, as with a clock set back).
func statusAt(h []StatusChange, t time.Time) (string, time.Time) {
	cur := h[0]
	for _, c := range h[1:] {
		if c.At.After(t) {
			break
		}
		cur = c
	}
	return cur.Status, cur.At
}

// requestStatus is the status of the order's request.
func (r *record) requestStatus() string {
	switch {
	case !r.approvedAt().IsZero():
		return requestApproved
	case !r.DateRejected.IsZero(), !r.DateCanceled.IsZero():
		// A cancel without an approval: only orders canceled from
		// needs_approval before the sandbox refused that (a data file of
		// an earlier version); nobody can approve the request any more.
		return requestRejected
	}
	return requestPending
}

// view is the order as it stands at now.
func (r *record) view(now time.Time) Order {
	h := r.timeline()
	st, _ := statusAt(h, now)
	fam := familyOf(r.Product)
	v := Order{ID: r.ID, RequestID: r.RequestID, CertificateID: r.CertificateID, Product: r.Product, Family: fam,
		Status: st, RequestStatus: r.requestStatus(), DateCreated: r.DateCreated, DateApproved: r.approvedAt(),
		DateCanceled: r.DateCanceled, Note: r.Note, CommonName: r.CommonName, Emails: r.Emails, body: r.body}
	if t, ok := r.issueAt(); ok {
		v.IssueAt = t
	}
	for i, c := range h {
		if i > 0 && c.At.After(now) {
			break
		}
		v.History = append(v.History, c)
		if c.Status == statusIssued {
			v.DateIssued = c.At
		}
	}
	return v
}

// lastChange is when the order's status last changed at or before now.
func lastChange(h []StatusChange, now time.Time) time.Time {
	_, at := statusAt(h, now)
	return at
}
