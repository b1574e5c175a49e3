package sandbox

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
)

// placeOrder answers POST /order/certificate/{product}. The answer
// carries the request's status and, once the request is approved
// (skip_approval), the certificate ID; certificate_chain only when the
// certificate is issued at once. It never claims an order status: only
// order info tells that (today.md §2).
func (s *Server) placeOrder(w http.ResponseWriter, r *http.Request, args []string, f fault) {
	raw, body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	resp, sn, status, errs := s.create(args[0], raw, body)
	if errs != nil {
		s.writeErrors(w, status, errs...)
		return
	}
	s.finish(w, f, sn, func() { writeJSON(w, http.StatusCreated, resp) })
}

// AddOrder places an order for product with body as POST
// /order/certificate/{product} would, under the same rules, without a
// request (it is not counted in [Stats.Requests]): tests and benchmarks
// use it to fill an account with many orders quickly. It returns the
// order's ID, or the problems DigiCert would have answered.
func (s *Server) AddOrder(product string, body []byte) (int64, error) {
	parsed, err := parseJSONObject(body)
	if err != nil {
		return 0, fmt.Errorf("add order: %w", err)
	}
	resp, sn, _, errs := s.create(product, body, parsed)
	if errs != nil {
		return 0, fmt.Errorf("add order: %v", errs)
	}
	id, _ := resp["id"].(int64)
	if err := s.save(sn); err != nil {
		return id, fmt.Errorf("add order: %w", err)
	}
	return id, nil
}

// create places an order: the answer and the state to save, or an HTTP
// status and the errors.
func (s *Server) create(id string, raw []byte, body map[string]any) (map[string]any, *snapshot, int, []apiError) {
	p := productByID(id)
	if p == nil || !s.enabled[p.id] {
		// A product the account has not enabled is as unknown as a wrong
		// identifier: 404 not_found|product (digest §2.2; today.md §1 says
		// only enabled products can be ordered, without naming the
		// error, so this is an assumption).
		return nil, nil, http.StatusNotFound, []apiError{{"not_found|product", "The product " + strconv.Quote(id) + " was not found."}}
	}
	o, problems, bad := validate(p, body, account{orgs: s.orgs, containers: s.conts, now: s.now(), maxDays: s.cfg.MaxCustomDays})
	if bad != "" {
		return nil, nil, http.StatusBadRequest, []apiError{{"bad_request_format", bad}}
	}
	var renewalOf int64
	if len(problems) == 0 {
		var bad *apiError
		if renewalOf, bad = s.renewalOf(p, body); bad != nil {
			problems = append(problems, *bad)
		}
	}
	if len(problems) > 0 {
		return nil, nil, http.StatusBadRequest, problems
	}
	o.RenewalOf = renewalOf
	o.SkipApproval, _ = body["skip_approval"].(bool)
	o.IssueDelay = s.cfg.IssueDelay
	o.EmailGate = s.cfg.EmailValidation && p.smime
	o.NeedsPickup = (p.fam == clientFamily || p.fam == secureEmailFamily) && !o.HasCSR
	o.PickupDelay, o.ManualPickup = s.cfg.PickupDelay, s.cfg.ManualPickup
	o.BodyText, o.body = string(raw), body
	if o.EmailGate {
		o.Token = rand.Text()
	}

	s.mu.Lock()
	now := s.now()
	o.ID, o.RequestID, o.Product, o.DateCreated = s.nextID, s.nextReq, id, now
	s.nextID++
	s.nextReq++
	if o.SkipApproval {
		o.CertificateID = s.nextCert
		s.nextCert++
	}
	s.addLocked(o)
	s.stats.OrdersCreated++
	resp := map[string]any{"id": o.ID, "requests": []map[string]any{{"id": o.RequestID, "status": o.requestStatus()}}}
	if o.CertificateID != 0 {
		resp["certificate_id"] = o.CertificateID
	}
	var chainErr error
	if v := o.view(now); v.Status == statusIssued {
		var chain []map[string]any
		if chain, chainErr = s.chainLocked(o, v); chainErr == nil {
			resp["certificate_chain"] = chain
		}
	}
	sn := s.changedLocked()
	mails := s.mailsLocked(o)
	s.mu.Unlock()
	s.announce(mails)
	if chainErr != nil { // cannot happen: the sandbox's own keys sign
		return nil, nil, http.StatusInternalServerError, []apiError{errInternal}
	}
	return resp, sn, 0, nil
}

// addLocked files a new or loaded record in every index.
func (s *Server) addLocked(o *record) {
	s.recs = append(s.recs, o)
	s.byID[o.ID] = o
	s.byReq[o.RequestID] = o
	for _, v := range o.Revokes {
		s.byReq[v.RequestID] = o
	}
	if orig := s.byID[o.RenewalOf]; o.RenewalOf != 0 && orig != nil {
		orig.RenewedBy = append(orig.RenewedBy, o)
	}
	if o.CertificateID != 0 {
		s.byCert[o.CertificateID] = o
	}
	if o.Token != "" {
		s.byToken[o.Token] = o
	}
}

// getOrder answers GET /order/certificate/{id}: order info (digest §5.1).
func (s *Server) getOrder(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	var info map[string]any
	if id, ok := parseID(args[0]); ok {
		s.mu.Lock()
		if o := s.byID[id]; o != nil {
			now := s.now()
			info = s.orderInfo(o.view(now), now)
		}
		s.mu.Unlock()
	}
	if info == nil {
		s.writeErrors(w, http.StatusNotFound, errNoOrder)
		return
	}
	writeJSON(w, http.StatusOK, info)
}
