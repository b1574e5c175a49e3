package sandbox

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

// validTill is the last day of an issued certificate.
func validTill(v Order) time.Time {
	if d, ok := lookup(v.body, "custom_expiration_date").(string); ok {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t
		}
	}
	y, _ := years(v.body)
	return v.DateIssued.UTC().AddDate(int(y), 0, 0)
}

func productJSON(v Order) map[string]any {
	p := map[string]any{"name_id": v.Product, "type": v.Family}
	if f := products[v.Product]; f != nil {
		p["name"] = f.names[v.Product]
	}
	return p
}

func requestsJSON(v Order) []map[string]any {
	return []map[string]any{{"id": v.RequestID, "date": v.DateCreated.UTC().Format(dateTimeLayout), "type": "new_request", "status": v.RequestStatus}}
}

// certificateJSON is the certificate part shared by order info and the
// order list.
func certificateJSON(v Order) map[string]any {
	c := map[string]any{"common_name": v.CommonName, "signature_hash": lookup(v.body, "certificate.signature_hash")}
	if v.CertificateID != 0 {
		c["id"] = v.CertificateID
		c["valid_till"] = validTill(v).Format(time.DateOnly)
	}
	if v.Family == familyClient {
		c["emails"] = v.Emails
	}
	return c
}

// orderInfo is the answer to GET /order/certificate/{id} (digest §5.1).
func orderInfo(v Order, now time.Time) map[string]any {
	b := v.body
	cert := certificateJSON(v)
	cert["date_created"] = v.DateCreated.UTC().Format(dateTimeLayout)
	if org := idObject(b, "organization.id"); org != nil {
		cert["organization"] = org
	}
	for _, k := range []string{"organization_units", "csr"} {
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
	if v.CertificateID != 0 {
		till := validTill(v)
		cert["date_issued"] = v.DateIssued.UTC().Format(dateTimeLayout)
		cert["valid_from"] = v.DateIssued.UTC().Format(time.DateOnly)
		cert["days_remaining"] = max(0, int(till.Sub(now)/(24*time.Hour)))
	}
	m := map[string]any{
		"id":              v.ID,
		"status":          v.Status,
		"date_created":    v.DateCreated.UTC().Format(dateTimeLayout),
		"certificate":     cert,
		"product":         productJSON(v),
		"product_name_id": v.Product,
		"requests":        requestsJSON(v),
		"is_renewal":      lookup(b, "renewal_of_order_id") != nil,
		"is_renewed":      false,
		"payment_method":  "balance",
	}
	if org := idObject(b, "organization.id"); org != nil {
		m["organization"] = org
	}
	if c := idObject(b, "container.id"); c != nil {
		m["container"] = c
	}
	if y, ok := years(b); ok {
		m["validity_years"] = y
	}
	for _, k := range []string{"custom_expiration_date", "payment_method", "comments", "custom_fields", "renewal_of_order_id",
		"auto_renew", "subject", "ship_info", "cs_provisioning_method", "use_org_as_common_name", "csa_agreed_to"} {
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

// listItem is one order of the list-orders answer (digest §5.4).
func listItem(v Order) map[string]any {
	m := map[string]any{
		"id":              v.ID,
		"certificate":     certificateJSON(v),
		"status":          v.Status,
		"is_renewed":      false,
		"date_created":    v.DateCreated.UTC().Format(dateTimeLayout),
		"product":         productJSON(v),
		"product_name_id": v.Product,
		"requests":        requestsJSON(v),
	}
	if org := idObject(v.body, "organization.id"); org != nil {
		m["organization"] = org
	}
	if c := idObject(v.body, "container.id"); c != nil {
		m["container"] = c
	}
	if y, ok := years(v.body); ok {
		m["validity_years"] = y
	}
	return m
}

// parseFilterTime reads yyyy-MM-dd (day is true) or RFC 3339. A "+"
// that a client left unescaped in the query arrives as a space.
func parseFilterTime(s string) (t time.Time, day bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	return t, false, err
}

// dateFilter parses filters[date_created]: ">=D", ">D", "<=D", "<D",
// "A...B" (both ends included; a day end means the whole day) or D
// alone (that day, or that instant). D is yyyy-MM-dd (UTC) or RFC 3339.
func dateFilter(v string) (func(time.Time) bool, error) {
	if a, b, ok := strings.Cut(v, "..."); ok {
		lo, _, err1 := parseFilterTime(a)
		hi, day, err2 := parseFilterTime(b)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		if day {
			return func(t time.Time) bool { return !t.Before(lo) && t.Before(hi.AddDate(0, 0, 1)) }, nil
		}
		return func(t time.Time) bool { return !t.Before(lo) && !t.After(hi) }, nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		rest, ok := strings.CutPrefix(v, op)
		if !ok {
			continue
		}
		d, day, err := parseFilterTime(rest)
		if err != nil {
			return nil, err
		}
		if day && (op == ">" || op == "<=") { // after / up to the whole day
			d = d.AddDate(0, 0, 1)
			op = map[string]string{">": ">=", "<=": "<"}[op]
		}
		switch op {
		case ">=":
			return func(t time.Time) bool { return !t.Before(d) }, nil
		case ">":
			return func(t time.Time) bool { return t.After(d) }, nil
		case "<=":
			return func(t time.Time) bool { return !t.After(d) }, nil
		default:
			return func(t time.Time) bool { return t.Before(d) }, nil
		}
	}
	d, day, err := parseFilterTime(v)
	if err != nil {
		return nil, err
	}
	if day {
		return func(t time.Time) bool { return !t.Before(d) && t.Before(d.AddDate(0, 0, 1)) }, nil
	}
	return func(t time.Time) bool { return t.Equal(d) }, nil
}

// intParam reads a non-negative integer query parameter (min is its
// smallest allowed value); absent gives def.
func intParam(q url.Values, name string, def, min int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= min
}

// orderLess builds the comparison for a sort parameter: comma-separated
// keys (date_created, id, order_id), "-" for descending. Unknown keys
// are ignored; ties go by ascending ID.
func orderLess(spec string) func(a, b *Order) int {
	var keys []func(a, b *Order) int
	for _, k := range strings.Split(spec, ",") {
		k = strings.TrimSpace(k)
		desc := strings.HasPrefix(k, "-")
		var f func(a, b *Order) int
		switch strings.TrimPrefix(k, "-") {
		case "date_created":
			f = func(a, b *Order) int { return a.DateCreated.Compare(b.DateCreated) }
		case "id", "order_id":
			f = func(a, b *Order) int { return cmp.Compare(a.ID, b.ID) }
		default:
			continue
		}
		if desc {
			g := f
			f = func(a, b *Order) int { return -g(a, b) }
		}
		keys = append(keys, f)
	}
	return func(a, b *Order) int {
		for _, f := range keys {
			if c := f(a, b); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	}
}

// listOrders answers GET /order/certificate.
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bad := func(name string) {
		s.writeErrors(w, http.StatusBadRequest, apiError{"invalid_value:" + name, name + " contains an invalid value."})
	}
	limit, ok := intParam(q, "limit", 1000, 1)
	if !ok {
		bad("limit")
		return
	}
	limit = min(limit, 1000)
	offset, ok := intParam(q, "offset", 0, 0)
	if !ok {
		bad("offset")
		return
	}
	if q.Get("offset") == "" {
		page, ok := intParam(q, "page", 1, 1)
		if !ok {
			bad("page")
			return
		}
		offset = (page - 1) * limit
	}
	var keep []func(v *Order) bool
	if v := q.Get("filters[date_created]"); v != "" {
		f, err := dateFilter(v)
		if err != nil {
			bad("filters[date_created]")
			return
		}
		keep = append(keep, func(o *Order) bool { return f(o.DateCreated) })
	}
	if e := strings.TrimSpace(q.Get("filters[email]")); e != "" {
		keep = append(keep, func(o *Order) bool {
			return slices.ContainsFunc(o.Emails, func(x string) bool { return strings.EqualFold(x, e) })
		})
	}
	exact := func(name string, field func(o *Order) string) {
		if v := q.Get(name); v != "" {
			keep = append(keep, func(o *Order) bool { return field(o) == v })
		}
	}
	exact("filters[product_name_id]", func(o *Order) string { return o.Product })
	exact("filters[common_name]", func(o *Order) string { return o.CommonName })
	exact("filters[id]", func(o *Order) string { return strconv.FormatInt(o.ID, 10) })
	exact("filters[organization_id]", func(o *Order) string { return jsonText(lookup(o.body, "organization.id")) })
	exact("filters[container_id]", func(o *Order) string { return jsonText(lookup(o.body, "container.id")) })
	// Status and certificate ID depend on the clock: checked on views.
	status, certID := q.Get("filters[status]"), q.Get("filters[certificate_id]")
	less := orderLess(q.Get("sort"))

	s.mu.Lock()
	now := s.now()
	var views []Order
	for _, o := range s.orders {
		if !all(keep, o) {
			continue
		}
		v := view(o, now)
		if status != "" && v.Status != status || certID != "" && strconv.FormatInt(v.CertificateID, 10) != certID {
			continue
		}
		views = append(views, v)
	}
	s.mu.Unlock()

	match := make([]*Order, len(views))
	for i := range views {
		match[i] = &views[i]
	}
	slices.SortStableFunc(match, less)
	items := []map[string]any{}
	for i := offset; i < len(match) && i < offset+limit; i++ {
		items = append(items, listItem(*match[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": items, "page": map[string]int{"total": len(match), "limit": limit, "offset": offset}})
}

func all(keep []func(*Order) bool, o *Order) bool {
	for _, f := range keep {
		if !f(o) {
			return false
		}
	}
	return true
}

// jsonText is a decoded JSON scalar as the query string would spell it.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		if s, ok := x.(interface{ String() string }); ok {
			return s.String()
		}
		return ""
	}
}
