package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// Revocation, as DigiCert documents it:
//
//   - PUT /order/certificate/{order_id}/revoke revokes every certificate
//     of an order, duplicates and reissues included
//     (https://dev.digicert.com/certcentral-apis/services-api/orders/revoke-order-certificates.html);
//   - PUT /certificate/{certificate_id}/revoke revokes one certificate and
//     leaves the order active ("The order is still active. You can still
//     reissue a certificate on that order",
//     https://dev.digicert.com/certcentral-apis/services-api/certificates/revoke-certificate.html).
//
// Both take revocation_reason (optional; one of revocationReasons, "only
// used in requests to revoke TLS/SSL certificates. Ignored in revocation
// requests for other certificate types"), a comment ("comment" in the
// parameter table, "comments" in every example: both are read) and
// skip_approval. Without skip_approval the answer is 201 with a request
// of type "revoke", status "pending", that an administrator approves or
// rejects with PUT /request/{id}/status; with it, 204 and the order is
// revoked at once. The sandbox's own choices where the pages are silent:
// only an issued order can be revoked, and a second revocation while one
// is pending or done is refused (400 revoke_not_allowed); clients read
// the order before sending again.

// revocationReasons are the allowed revocation_reason values
// (revoke-order-certificates page, "Allowed values").
var revocationReasons = []string{"unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation"}

var errRevokeNotAllowed = apiError{"revoke_not_allowed", "The order's current status does not allow a revocation request."}

// revocation is an order's revocation request.
type revocation struct {
	RequestID int64     `json:"request_id"`
	Date      time.Time `json:"date"`
	// Certificate: only the certificate was revoked (revoke-certificate);
	// the order stays active.
	Certificate      bool      `json:"certificate,omitempty"`
	Reason           string    `json:"reason,omitempty"`
	Comment          string    `json:"comment,omitempty"`
	SkipApproval     bool      `json:"skip_approval,omitempty"`
	DateApproved     time.Time `json:"date_approved,omitzero"`
	DateRejected     time.Time `json:"date_rejected,omitzero"`
	ProcessorComment string    `json:"processor_comment,omitempty"`
}

// approvedAt is when the revocation took effect; zero while it waits or
// after it was rejected.
func (v *revocation) approvedAt() time.Time {
	if v.SkipApproval {
		return v.Date
	}
	return v.DateApproved
}

// status is the revocation request's status.
func (v *revocation) status() string {
	switch {
	case !v.approvedAt().IsZero():
		return requestApproved
	case !v.DateRejected.IsZero():
		return requestRejected
	}
	return requestPending
}

// revoke is the order's latest revocation request, or nil.
func (r *record) revoke() *revocation {
	if len(r.Revokes) == 0 {
		return nil
	}
	return r.Revokes[len(r.Revokes)-1]
}

// revokedAt is when the order became revoked: zero when it is not, and
// when only its certificate was (the order stays active).
func (r *record) revokedAt() time.Time {
	for _, v := range r.Revokes {
		if at := v.approvedAt(); !at.IsZero() && !v.Certificate {
			return at
		}
	}
	return time.Time{}
}

// revokeRequest returns the record's revocation request id, or nil.
func (r *record) revokeRequest(id int64) *revocation {
	for _, v := range r.Revokes {
		if v.RequestID == id {
			return v
		}
	}
	return nil
}

// revokeOrder answers PUT /order/certificate/{order_id}/revoke.
func (s *Server) revokeOrder(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	id, _ := parseID(args[0])
	s.revoke(w, r, f, func() *record { return s.byID[id] }, false)
}

// revokeCertificate answers PUT /certificate/{certificate_id}/revoke.
func (s *Server) revokeCertificate(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	id, _ := parseID(args[0])
	s.revoke(w, r, f, func() *record { return s.byCert[id] }, true)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, f fault, find func() *record, certOnly bool) {
	_, body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	c := &checker{body: body}
	reason, hasReason := c.str("revocation_reason", false)
	comment, _ := c.str("comments", false)
	if alt, ok := c.str("comment", false); ok && comment == "" {
		comment = alt
	}
	skip, _ := c.boolean("skip_approval")
	if c.bad != "" {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", c.bad})
		return
	}
	if hasReason && !slices.Contains(revocationReasons, reason) {
		c.invalid("revocation_reason")
	}
	s.mu.Lock()
	o := find()
	if o == nil {
		s.mu.Unlock()
		if certOnly {
			s.writeErrors(w, http.StatusNotFound, apiError{"not_found|certificate", "Certificate not found."})
		} else {
			s.writeErrors(w, http.StatusNotFound, errNoOrder)
		}
		return
	}
	if len(c.errs) > 0 {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, c.errs...)
		return
	}
	now := s.now()
	if st := o.view(now).Status; st != statusIssued || o.revoke() != nil && o.revoke().status() != requestRejected {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, errRevokeNotAllowed)
		return
	}
	v := &revocation{RequestID: s.nextReq, Date: now, Certificate: certOnly, Reason: reason, Comment: comment, SkipApproval: skip}
	o.Revokes = append(o.Revokes, v)
	s.nextReq++
	s.byReq[v.RequestID] = o
	var m map[string]any
	if !skip {
		m = s.revokeRequestJSON(o, v, now)
	}
	sn := s.changedLocked()
	s.mu.Unlock()
	if skip {
		// "204 (Skip approval step) // empty"
		s.finish(w, f, sn, func() { noContent(w) })
		return
	}
	s.finish(w, f, sn, func() { writeJSON(w, http.StatusCreated, m) })
}

// revokeRequestJSON is a revocation request as the revoke answer, request
// info and the request list show it.
func (s *Server) revokeRequestJSON(o *record, v *revocation, now time.Time) map[string]any {
	m := s.requestJSON(o, now)
	m["id"], m["type"], m["status"] = v.RequestID, "revoke", v.status()
	m["date"] = v.Date.UTC().Format(dateTimeLayout)
	delete(m, "date_processed")
	delete(m, "processor_comment")
	delete(m, "comments")
	if v.Comment != "" {
		m["comments"] = v.Comment
	}
	if t := v.approvedAt(); !t.IsZero() {
		m["date_processed"] = t.UTC().Format(dateTimeLayout)
	} else if !v.DateRejected.IsZero() {
		m["date_processed"] = v.DateRejected.UTC().Format(dateTimeLayout)
	}
	if v.ProcessorComment != "" {
		m["processor_comment"] = v.ProcessorComment
	}
	return m
}

// processRevokeLocked approves or rejects a revocation request for PUT
// /request/{id}/status; it is called holding mu and unlocks it.
func (s *Server) processRevokeLocked(w http.ResponseWriter, f fault, v *revocation, status, comment string, errs []apiError) {
	switch {
	case len(errs) > 0:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, errs...)
		return
	case v.status() != requestPending:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, errRequestStatusChange)
		return
	}
	now := s.now()
	if status == requestApproved {
		v.DateApproved = now
	} else {
		v.DateRejected = now
	}
	v.ProcessorComment = comment
	sn := s.changedLocked()
	s.mu.Unlock()
	s.finish(w, f, sn, func() { noContent(w) })
}

// revokeRequestOf is revokeRequest on a record that may be nil.
func (r *record) revokeRequestOf(id int64) *revocation {
	if r == nil {
		return nil
	}
	return r.revokeRequest(id)
}

// requestRef is one request of the account: an order's own request
// (new_request) or one of its revocation requests.
type requestRef struct {
	rec *record
	rev *revocation // nil: the order's new_request
}

func (q requestRef) typ() string {
	if q.rev != nil {
		return "revoke"
	}
	return "new_request"
}

func (q requestRef) status() string {
	if q.rev != nil {
		return q.rev.status()
	}
	return q.rec.requestStatus()
}

// requestsLocked lists every request, by order, each order's new_request
// before its revocation requests.
func (s *Server) requestsLocked() []requestRef {
	out := make([]requestRef, 0, len(s.recs))
	for _, o := range s.recs {
		out = append(out, requestRef{rec: o})
		for _, v := range o.Revokes {
			out = append(out, requestRef{rec: o, rev: v})
		}
	}
	return out
}

func (s *Server) requestRefJSON(q requestRef, now time.Time) map[string]any {
	if q.rev != nil {
		return s.revokeRequestJSON(q.rec, q.rev, now)
	}
	return s.requestJSON(q.rec, now)
}
