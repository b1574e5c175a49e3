package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Renewals. A renewal is a new order whose body names the order it renews
// in renewal_of_order_id: "If the order is a renewal, enter the ID of the
// previous order" (the client certificate seed page's body table,
// https://dev.digicert.com/services-api/orders/order-client-certificate/).
// The document signing page lists no such field, so the sandbox ignores
// it there, as it ignores every field a page does not list. Order info
// shows is_renewal on the renewal and is_renewed / renewed_order_id on
// the order renewed
// (https://dev.digicert.com/zh-tw/services-api/orders/order-info/), and
// the order list shows is_renewed and filters on it
// (https://dev.digicert.com/ja/services-api/orders/list-orders/).
//
// When DigiCert turns is_renewed on (once the renewal is placed, or once
// it is issued) is not documented. The sandbox turns it on only once a
// renewal is issued: the later of the two, so a client that relied on
// is_renewed alone to avoid renewing twice would place a second renewal
// here and be caught. An order renewed twice is allowed (nothing
// documents a refusal); renewed_order_id is then the newest issued one.
// A renewal_of_order_id that names no order of the account is refused
// with 400 invalid_value:renewal_of_order_id (the sandbox's assumption).

// renewalOf reads and checks the renewal_of_order_id of a client order
// body; 0 when there is none.
func (s *Server) renewalOf(p *product, body map[string]any) (int64, *apiError) {
	if p.fam != clientFamily {
		return 0, nil
	}
	id, ok := asInt(lookup(body, "renewal_of_order_id"))
	if !ok {
		return 0, nil
	}
	s.mu.Lock()
	orig := s.byID[id]
	s.mu.Unlock()
	if orig == nil {
		e := invalidValue("renewal_of_order_id")
		return 0, &e
	}
	return id, nil
}

// renewedBy is the newest renewal of the order that is issued at now, or
// nil (see above for why only issued renewals count).
func (r *record) renewedBy(now time.Time) *record {
	var newest *record
	for _, n := range r.RenewedBy {
		if n.view(now).Status == statusIssued && (newest == nil || n.ID > newest.ID) {
			newest = n
		}
	}
	return newest
}

// renewalFields adds is_renewed and renewed_order_id to an order answer.
func (s *Server) renewalFields(m map[string]any, id int64, now time.Time) {
	m["is_renewed"] = false
	if r := s.byID[id]; r != nil {
		if n := r.renewedBy(now); n != nil {
			m["is_renewed"], m["renewed_order_id"] = true, n.ID
		}
	}
}

// Expiring orders report: GET /report/order/expiring counts the issued
// orders of the account whose certificate expires in each window, from
// "the day you submit the request": 90 (60 to 90 days, both included),
// 60 (30 included to 60 excluded), 30 (now excluded to 30 excluded) and
// -7 (expired in the last 7 days, both ends included); container_id
// narrows it to a container, and include_expiring_certs=true renames
// order_count to count
// (https://dev.digicert.com/en/certcentral-apis/services-api/reports/expiring-orders-and-certificates.html).
func (s *Server) expiringReport(w http.ResponseWriter, r *http.Request, _ []string, _ fault) {
	q, ok := s.readParams(w, r, func(n string) bool { return n == "container_id" || n == "include_expiring_certs" })
	if !ok {
		return
	}
	countKey := "order_count"
	switch q["include_expiring_certs"] {
	case "", "false":
	case "true":
		countKey = "count"
	default:
		s.writeErrors(w, http.StatusBadRequest, invalidValue("include_expiring_certs"))
		return
	}
	container := q["container_id"]
	if _, ok := parseID(container); container != "" && !ok {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("container_id"))
		return
	}
	s.mu.Lock()
	now := s.now()
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	counts := map[int]int{90: 0, 60: 0, 30: 0, -7: 0}
	for _, rec := range s.recs {
		v := rec.view(now)
		if v.Status != statusIssued || container != "" && jsonText(lookup(v.body, "container.id")) != container {
			continue
		}
		d := int(validTill(v).Sub(today).Hours() / 24)
		switch {
		case d >= 60 && d <= 90:
			counts[90]++
		case d >= 30 && d < 60:
			counts[60]++
		case d > 0 && d < 30:
			counts[30]++
		case d >= -7 && d <= 0:
			counts[-7]++
		}
	}
	s.mu.Unlock()
	var out []map[string]any
	for _, d := range []int{90, 60, 30, -7} {
		out = append(out, map[string]any{"days_expiring": d, countKey: counts[d]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"expiring_orders": out})
}

// Holding is an issued order the sandbox starts with ([Config.Holdings]):
// a person who already has a certificate, so renewals and leavers can be
// rehearsed. Its validity ends ExpiresIn days from the sandbox's start.
type Holding struct {
	Email     string
	Product   string // "" means client_premium
	FirstName string // "" (both): from the email's local part (bo.kim: Bo, Kim)
	LastName  string // "" means "Holder" when the local part is one word
	// ExpiresIn is how many days from now the certificate expires; the
	// order was issued a year before that.
	ExpiresIn int
}

// addHoldings creates the configured holdings that the sandbox does not
// hold yet (the same product and email), so a restart with the same
// Config and DataFile adds nothing.
func (s *Server) addHoldings() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, h := range s.cfg.Holdings {
		prod := h.Product
		if prod == "" {
			prod = "client_premium"
		}
		p := productByID(prod)
		if p == nil || p.fam != clientFamily {
			return fmt.Errorf("new sandbox: holding %s: %q is not a client certificate product", h.Email, prod)
		}
		held := false
		for _, r := range s.recs {
			if currentID(r.Product) == currentID(prod) && len(r.Emails) > 0 && r.Emails[0] == h.Email {
				held = true
			}
		}
		if held {
			continue
		}
		first, last := h.FirstName, h.LastName
		if first == "" && last == "" {
			first, last = namesOf(localPart(h.Email))
		}
		if first == "" {
			first = localPart(h.Email)
		}
		if last == "" {
			last = "Holder"
		}
		till := now.UTC().AddDate(0, 0, h.ExpiresIn)
		issued := till.AddDate(-1, 0, 0)
		body := map[string]any{
			"certificate": map[string]any{"common_name": first + " " + last, "emails": []string{h.Email}, "signature_hash": "sha256",
				"common_name_indicator": "given_name_surname", "individual": map[string]any{"first_name": first, "last_name": last}},
			"organization":           map[string]any{"id": slices.Min(slices.Collect(maps.Keys(s.orgs)))},
			"custom_expiration_date": till.Format(time.DateOnly),
			"skip_approval":          true,
			"payment_method":         "balance",
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("new sandbox: holding %s: %w", h.Email, err)
		}
		o := &record{ID: s.nextID, RequestID: s.nextReq, CertificateID: s.nextCert, Product: prod, DateCreated: issued,
			CommonName: first + " " + last, Emails: []string{h.Email}, BodyText: string(raw), SkipApproval: true, HasCSR: true}
		o.body = parseBody(raw)
		s.nextID++
		s.nextReq++
		s.nextCert++
		s.addLocked(o)
	}
	if len(s.cfg.Holdings) > 0 {
		if err := s.save(s.changedLocked()); err != nil {
			return fmt.Errorf("new sandbox: %w", err)
		}
	}
	return nil
}

func localPart(email string) string {
	for i := range len(email) {
		if email[i] == '@' {
			return email[:i]
		}
	}
	return email
}

// namesOf reads a person's names from an address's local part, as
// companies write them: bo.kim, bo_kim or bo-kim is Bo Kim; a single
// word is a first name with no last name.
func namesOf(local string) (first, last string) {
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return parts[0], ""
	}
	return parts[0], strings.Join(parts[1:], " ")
}
