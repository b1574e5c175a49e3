package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Codes for a status change the current status does not allow. DigiCert
// documents no code for these: its errors page
// (https://dev.digicert.com/en/certcentral-apis/services-api/errors.html)
// lists none, and the update-order-status and update-request-status
// pages name the allowed statuses but no error. These are the sandbox's
// choice, in DigiCert's style, and the safe shape: a 400 that changes
// nothing, so a client must find out by reading the order or request
// (as certbatch does) rather than trust a code.
var (
	errOrderStatusChange   = apiError{"order_status_change_not_allowed", "The order's current status does not allow this change."}
	errRequestStatusChange = apiError{"request_status_change_not_allowed", "The request has already been processed."}
	errNoRequest           = apiError{"not_found|request", "Request not found."}
)

// cancelable are the statuses an order can be canceled from: "To cancel
// a pending order, the order status must be pending or waiting_pickup"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html).
// An order in needs_approval is not one: it is stopped by rejecting its
// request (PUT /request/{id}/status, updateRequestStatus).
var cancelable = []string{statusPending, statusWaitingPickup}

// updateOrderStatus answers PUT /order/certificate/{id}/status with
// {"status":"canceled","note":"..."}: 204 (today.md §5, digest §5.2;
// the update-order-status page above). The status is read
// case-insensitively (a production client sends "CANCELED", digest §7);
// note is required ("required for order cancelations" on that page).
func (s *Server) updateOrderStatus(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	_, body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	c := &checker{body: body}
	st, hasStatus := c.str("status", true)
	note, _ := c.str("note", true)
	c.boolean("send_emails")
	if c.bad != "" {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", c.bad})
		return
	}
	if hasStatus && !strings.EqualFold(st, statusCanceled) {
		c.invalid("status")
	}
	id, _ := parseID(args[0])
	s.mu.Lock()
	o := s.byID[id]
	if o == nil {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusNotFound, errNoOrder)
		return
	}
	if len(c.errs) > 0 {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, c.errs...)
		return
	}
	now := s.now()
	if cur := o.view(now).Status; !slices.Contains(cancelable, cur) {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, errOrderStatusChange)
		return
	}
	o.DateCanceled, o.Note = now, note
	sn := s.changedLocked()
	s.mu.Unlock()
	s.finish(w, f, sn, func() { noContent(w) })
}

// processedAt is when the request was approved or rejected.
func (r *record) processedAt() time.Time {
	switch {
	case !r.approvedAt().IsZero():
		return r.approvedAt()
	case !r.DateRejected.IsZero():
		return r.DateRejected
	}
	return r.DateCanceled
}

// requestJSON is a request as request info and the request list show it
// (digest §5.3).
func (s *Server) requestJSON(o *record, now time.Time) map[string]any {
	v := o.view(now)
	cert := map[string]any{"common_name": v.CommonName, "signature_hash": lookup(v.body, "certificate.signature_hash")}
	if namesEmails(v.Family) {
		cert["emails"] = v.Emails
	}
	ord := map[string]any{"id": v.ID, "certificate": cert, "product": productJSON(v), "status": v.Status}
	if org := s.orgJSON(v.body); org != nil {
		ord["organization"] = org
	}
	if c := s.containerJSON(v.body); c != nil {
		ord["container"] = c
	}
	m := map[string]any{"id": o.RequestID, "date": o.DateCreated.UTC().Format(dateTimeLayout), "type": "new_request",
		"status": o.requestStatus(), "order": ord,
		"requester": map[string]any{"id": sandboxUserID, "first_name": "Sandbox", "last_name": "Admin", "email": "sandbox.admin@example.com"}}
	if t := o.processedAt(); !t.IsZero() {
		m["date_processed"] = t.UTC().Format(dateTimeLayout)
	}
	if c := lookup(v.body, "comments"); c != nil {
		m["comments"] = c
	}
	if o.ProcessorComment != "" {
		m["processor_comment"] = o.ProcessorComment
	}
	return m
}

// getRequest answers GET /request/{id}.
func (s *Server) getRequest(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	id, _ := parseID(args[0])
	s.mu.Lock()
	var m map[string]any
	if o := s.byReq[id]; o != nil {
		m = s.requestJSON(o, s.now())
		if v := o.revokeRequest(id); v != nil {
			m = s.revokeRequestJSON(o, v, s.now())
		}
	}
	s.mu.Unlock()
	if m == nil {
		s.writeErrors(w, http.StatusNotFound, errNoRequest)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// listRequests answers GET /request with the documented filters
// (digest §5.3): type, status, container_id, metadata_id, metadata_value
// and search (the common name, exact or "%" contains).
func (s *Server) listRequests(w http.ResponseWriter, r *http.Request, _ []string, _ fault) {
	q, ok := s.readParams(w, r, knownParams("type", "status", "container_id", "metadata_id", "metadata_value", "search"))
	if !ok {
		return
	}
	limit, offset, ok := s.paging(w, q)
	if !ok {
		return
	}
	if _, sorted := q["sort"]; sorted && q["sort"] != "" && !s.cfg.LenientFilters {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("sort"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var match []requestRef
	for _, rq := range s.requestsLocked() {
		o := rq.rec
		v := o.view(now)
		keep := true
		for name, want := range q {
			f, isFilter := filterName(name)
			if !isFilter || want == "" {
				continue
			}
			switch f {
			case "type":
				keep = keep && want == rq.typ()
			case "status":
				keep = keep && rq.status() == want
			case "container_id":
				keep = keep && jsonText(lookup(v.body, "container.id")) == want
			case "metadata_id":
				keep = keep && slices.Contains(metadataIDs(v.body), want)
			case "metadata_value":
				keep = keep && slices.Contains(metadataValues(v.body), want)
			case "search":
				keep = keep && searchMatch(want, v.CommonName)
			}
		}
		if keep {
			match = append(match, rq)
		}
	}
	var items []map[string]any
	for i := offset; i < len(match) && i < offset+limit; i++ {
		items = append(items, s.requestRefJSON(match[i], now))
	}
	writeJSON(w, http.StatusOK, pageAnswer("requests", items, len(match), limit, offset))
}

// metadataValues are the custom_fields values of a body.
func metadataValues(b map[string]any) []string {
	var out []string
	arr, _ := lookup(b, "custom_fields").([]any)
	for _, it := range arr {
		if m, ok := it.(map[string]any); ok {
			out = append(out, jsonText(m["value"]))
		}
	}
	return out
}

// updateRequestStatus answers PUT /request/{id}/status with
// {"status":"approved"|"rejected","processor_comment":"..."}: 204
// (digest §5.3;
// https://dev.digicert.com/zh-tw/services-api/requests/update-request-status/,
// where processor_comment is optional). Approval gives the order its
// certificate ID and starts validation; rejection rejects the order (how
// an order awaiting approval is stopped). Only a pending request can be
// processed.
func (s *Server) updateRequestStatus(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	_, body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	c := &checker{body: body}
	st, hasStatus := c.str("status", true)
	comment, _ := c.str("processor_comment", false)
	if c.bad != "" {
		s.writeErrors(w, http.StatusBadRequest, apiError{"bad_request_format", c.bad})
		return
	}
	if hasStatus {
		c.oneOf("status", st, false, requestApproved, requestRejected)
	}
	id, _ := parseID(args[0])
	s.mu.Lock()
	o := s.byReq[id]
	if v := o.revokeRequestOf(id); v != nil {
		s.processRevokeLocked(w, f, v, st, comment, c.errs) // unlocks mu
		return
	}
	switch {
	case o == nil:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusNotFound, errNoRequest)
		return
	case len(c.errs) > 0:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, c.errs...)
		return
	case o.requestStatus() != requestPending:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, errRequestStatusChange)
		return
	}
	now := s.now()
	if st == requestApproved {
		o.DateApproved, o.CertificateID = now, s.nextCert
		s.nextCert++
		s.byCert[o.CertificateID] = o
	} else {
		o.DateRejected = now
	}
	o.ProcessorComment = comment
	sn := s.changedLocked()
	mails := s.mailsLocked(o)
	s.mu.Unlock()
	s.announce(mails)
	s.finish(w, f, sn, func() { noContent(w) })
}

// emailValidation answers GET /order/certificate/{id}/email-validation
// (digest §4.1): each email "validated" or "unvalidated". Emails are
// "validated" when no validation applies to the order (no
// Config.EmailValidation, or not an S/MIME product).
func (s *Server) emailValidation(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	id, _ := parseID(args[0])
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.byID[id]
	if o == nil {
		s.writeErrors(w, http.StatusNotFound, errNoOrder)
		return
	}
	emails := []map[string]any{}
	for _, e := range o.Emails {
		it := map[string]any{"email": e, "status": "validated"}
		if _, done := o.Validated[e]; o.EmailGate && !done {
			it["status"] = "unvalidated"
		}
		// date_emailed: "Date the validation email was sent. Format:
		// YYYY-MM-DD" (https://dev.digicert.com/certcentral-apis/services-api/orders/email-validation-status.html).
		if a := o.approvedAt(); o.EmailGate && !a.IsZero() {
			it["date_emailed"] = a.UTC().Format(time.DateOnly)
		}
		emails = append(emails, it)
	}
	writeJSON(w, http.StatusOK, map[string]any{"delivery_options": []string{"browser"}, "emails": emails})
}

// validateEmailToken answers PUT /email-validation/{token}?email=...:
// 204 (digest §4.1, from a public client). The token is the order's
// ([Server.EmailValidationToken]); an unknown one is 404
// not_found|email_validation (the sandbox's code).
func (s *Server) validateEmailToken(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	email := r.URL.Query().Get("email")
	s.mu.Lock()
	o := s.byToken[args[0]]
	var problem *apiError
	switch {
	case o == nil:
		s.mu.Unlock()
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|email_validation", "Email validation not found."})
		return
	case email == "":
		problem = &apiError{"missing_field:email", "email is required."}
	case !slices.Contains(o.Emails, email):
		e := invalidValue("email")
		problem = &e
	default:
		if err := s.validateLocked(o, email); err != nil {
			problem = &errOrderStatusChange
		}
	}
	if problem != nil {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusBadRequest, *problem)
		return
	}
	sn := s.changedLocked()
	s.mu.Unlock()
	s.finish(w, f, sn, func() { noContent(w) })
}

// validateLocked validates emails of an order (all when none are named);
// the order must be pending with its request approved.
func (s *Server) validateLocked(o *record, emails ...string) error {
	now := s.now()
	if st := o.view(now).Status; st != statusPending || o.approvedAt().IsZero() || !o.EmailGate {
		return fmt.Errorf("order %d is %s, not pending email validation", o.ID, st)
	}
	if len(emails) == 0 {
		emails = o.Emails
	}
	if o.Validated == nil {
		o.Validated = map[string]time.Time{}
	}
	for _, e := range emails {
		if _, done := o.Validated[e]; !done {
			o.Validated[e] = now
		}
	}
	return nil
}
