package sandbox

import (
	"strings"
	"time"
)

// dateTimeLayout is how answers show times: the documented style, in UTC.
const dateTimeLayout = "2006-01-02T15:04:05+00:00"

// lookup returns the value at a dotted path of a parsed body.
func lookup(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[k]
	}
	return cur
}

// idObject returns {"id": <path's value>}, or nil when the body has none.
func idObject(m map[string]any, path string) map[string]any {
	if v := lookup(m, path); v != nil {
		return map[string]any{"id": v}
	}
	return nil
}

// years returns the validity in years the body asked for, if any.
func years(m map[string]any) (int64, bool) {
	for _, p := range []string{"validity_years", "order_validity.years"} {
		if y, ok := asInt(lookup(m, p)); ok {
			return y, true
		}
	}
	return 0, false
}

// validTill is the last day of an issued certificate: the custom
// expiration date, else validity_years after issuance.
func validTill(v Order) time.Time {
	if d, ok := lookup(v.body, "custom_expiration_date").(string); ok {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t
		}
	}
	y, _ := years(v.body)
	i := v.DateIssued.UTC().AddDate(int(y), 0, 0)
	return time.Date(i.Year(), i.Month(), i.Day(), 0, 0, 0, 0, time.UTC)
}

// productJSON names the product by its current ID (today.md §3: lists
// show client_premium for an order placed as client_premium_sha2; order
// info does the same, the sandbox's choice).
func productJSON(v Order) map[string]any {
	p := map[string]any{"name_id": currentID(v.Product), "type": v.Family}
	if pr := productByID(v.Product); pr != nil {
		p["name"] = pr.name
	}
	return p
}

func requestsJSON(v Order) []map[string]any {
	return []map[string]any{{"id": v.RequestID, "date": v.DateCreated.UTC().Format(dateTimeLayout), "type": "new_request", "status": v.RequestStatus}}
}

// certificateJSON is the certificate part shared by order info and the
// order list: the certificate ID once the request is approved, validity
// once issued. No emails: only order info adds them (today.md §3).
func (s *Server) certificateJSON(v Order, now time.Time) map[string]any {
	c := map[string]any{"common_name": v.CommonName, "signature_hash": lookup(v.body, "certificate.signature_hash")}
	if v.CertificateID != 0 {
		c["id"] = v.CertificateID
	}
	if !v.DateIssued.IsZero() {
		till := validTill(v)
		c["valid_till"] = till.Format(time.DateOnly)
		c["days_remaining"] = max(0, int(till.AddDate(0, 0, 1).Sub(now)/(24*time.Hour)))
		c["serial_number"] = serialHex(v.CertificateID)
	}
	return c
}

// orgJSON is {id, name} for the body's organization.
func (s *Server) orgJSON(b map[string]any) map[string]any {
	org := idObject(b, "organization.id")
	if org == nil {
		return nil
	}
	if id, ok := asInt(org["id"]); ok && s.orgs[id] != "" {
		org["name"] = s.orgs[id]
	}
	return org
}

// containerJSON is {id, name} for the body's container.
func (s *Server) containerJSON(b map[string]any) map[string]any {
	c := idObject(b, "container.id")
	if c == nil {
		return nil
	}
	if id, ok := asInt(c["id"]); ok && s.conts[id] != "" {
		c["name"] = s.conts[id]
	}
	return c
}

// orderInfo is the answer to GET /order/certificate/{id} (digest §5.1):
// the only place an order's status is told (today.md §2). Its
// certificate.emails are there only for S/MIME orders: the order-info
// page's response table says of certificate.emails "Returned only for
// S/MIME certificate orders"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html),
// and DigiCert's S/MIME client certificates are Premium, Email Security
// Plus, Digital Signature Plus and Class 1 S/MIME
// (https://docs.digicert.com/manage-certificates/client-certificates-guide/issue-personal-id-certificates-admin/):
// not Authentication Plus, not document signing ([smimeProduct]). No
// document-signing subject either: the page documents none.
func (s *Server) orderInfo(v Order, now time.Time) map[string]any {
	b := v.body
	cert := s.certificateJSON(v, now)
	cert["date_created"] = v.DateCreated.UTC().Format(dateTimeLayout)
	if smimeProduct(v.Product) {
		cert["emails"] = v.Emails
	}
	if org := idObject(b, "organization.id"); org != nil {
		cert["organization"] = org
	}
	for _, k := range []string{"organization_units", "csr", "common_name_indicator", "individual"} {
		if x := lookup(b, "certificate."+k); x != nil {
			cert[k] = x
		}
	}
	if d := lookup(b, "custom_expiration_date"); d != nil {
		cert["cert_validity"] = map[string]any{"custom_expiration_date": d}
	} else if y, ok := years(b); ok {
		cert["cert_validity"] = map[string]any{"years": y}
	}
	if v.Family == familyDocSign {
		pf := map[string]any{"id": -1, "name": "OTHER"}
		if id := lookup(b, "certificate.server_platform.id"); id != nil {
			pf = map[string]any{"id": id}
		}
		cert["server_platform"] = pf
	}
	if !v.DateIssued.IsZero() {
		cert["date_issued"] = v.DateIssued.UTC().Format(dateTimeLayout)
		cert["valid_from"] = v.DateIssued.UTC().Format(time.DateOnly)
	}
	m := map[string]any{
		"id":              v.ID,
		"status":          v.Status,
		"date_created":    v.DateCreated.UTC().Format(dateTimeLayout),
		"certificate":     cert,
		"product":         productJSON(v),
		"product_name_id": currentID(v.Product),
		"requests":        requestsJSON(v),
		"is_renewal":      lookup(b, "renewal_of_order_id") != nil,
		"payment_method":  "balance",
	}
	s.renewalFields(m, v.ID, now)
	if org := s.orgJSON(b); org != nil {
		m["organization"] = org
	}
	if c := s.containerJSON(b); c != nil {
		m["container"] = c
	}
	if y, ok := years(b); ok {
		m["validity_years"] = y
	}
	if !v.DateCanceled.IsZero() {
		m["date_canceled"] = v.DateCanceled.UTC().Format(dateTimeLayout)
		m["note"] = v.Note
	}
	for _, k := range []string{"custom_expiration_date", "payment_method", "comments", "custom_fields", "renewal_of_order_id",
		"auto_renew", "ship_info", "cs_provisioning_method", "use_org_as_common_name", "csa_agreed_to"} {
		if x := lookup(b, k); x != nil {
			m[k] = x
		}
	}
	if ids, ok := lookup(b, "user_id_assignments").([]any); ok {
		ua := make([]map[string]any, len(ids))
		for i, id := range ids {
			ua[i] = map[string]any{"id": id}
		}
		m["user_assignments"] = ua
	}
	return m
}

// listItem is one order of the list-orders answer (digest §5.4): no
// emails, no requests, the current product ID (today.md §3).
func (s *Server) listItem(v Order, now time.Time) map[string]any {
	m := map[string]any{
		"id":              v.ID,
		"certificate":     s.certificateJSON(v, now),
		"status":          v.Status,
		"date_created":    v.DateCreated.UTC().Format(dateTimeLayout),
		"product":         productJSON(v),
		"product_name_id": currentID(v.Product),
	}
	s.renewalFields(m, v.ID, now)
	delete(m, "renewed_order_id") // the list shows is_renewed only (list-orders page)
	if org := s.orgJSON(v.body); org != nil {
		m["organization"] = org
	}
	if c := s.containerJSON(v.body); c != nil {
		m["container"] = c
	}
	if y, ok := years(v.body); ok {
		m["validity_years"] = y
	}
	return m
}
