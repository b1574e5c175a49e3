package sandbox

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// orderFilters are the documented list-orders filters (digest §5.4,
// today.md §3).
var orderFilters = []string{"id", "certificate_id", "serial_number", "status", "valid_till", "date_created", "is_renewed",
	"disable_renewal_notifications", "origin", "organization_id", "product_name_id", "user_id", "container_id",
	"metadata_id", "common_name", "domain_name", "email", "search"}

// sandboxUserID is the one user of the sandbox account; every order is
// its own.
const sandboxUserID = 7001

// orderFilter builds the test for one filter; ok is false for a bad
// value. The list-orders page
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html)
// documents filters[common_name] as "Limits results to orders with the
// given common_name value" (exact), and filters[search] as matching "the
// email or common_name property" (exact, or "contains" with a %
// prefix, %25 in a URL); filters[email] is listed without a word. Choices
// where the documentation is silent (today.md §3), so a client must not
// rely on them:
//   - email is exact and case-sensitive, and matches the emails of S/MIME
//     orders only: the emails order info documents (see
//     [Server.orderInfo]); not an Authentication Plus order's, not a
//     document-signing order's subject.email;
//   - product_name_id matches the current ID only (client_premium finds
//     an order placed as client_premium_sha2; the old ID finds nothing);
//   - search is exact, or "contains" with a "%" prefix, on the common
//     name and, for S/MIME orders, the emails; case-sensitive; common_name
//     is case-sensitive too.
func (s *Server) orderFilter(name, v string) (func(o *Order) bool, bool) {
	lenient := s.cfg.LenientFilters
	is := func(field func(o *Order) string) (func(o *Order) bool, bool) {
		return func(o *Order) bool { return field(o) == v }, true
	}
	flag := func(f func(o *Order) bool) (func(o *Order) bool, bool) {
		switch v {
		case "1":
			return f, true
		case "0":
			return func(o *Order) bool { return !f(o) }, true
		}
		return nil, false
	}
	switch name {
	case "id":
		return is(func(o *Order) string { return strconv.FormatInt(o.ID, 10) })
	case "certificate_id":
		return is(func(o *Order) string { return strconv.FormatInt(o.CertificateID, 10) })
	case "serial_number":
		return func(o *Order) bool { return !o.DateIssued.IsZero() && strings.EqualFold(serialHex(o.CertificateID), v) }, true
	case "status":
		return is(func(o *Order) string { return o.Status })
	case "date_created", "valid_till":
		f, err := dateFilter(v, lenient)
		if err != nil {
			return nil, false
		}
		if name == "date_created" {
			return func(o *Order) bool { return f(o.DateCreated) }, true
		}
		return func(o *Order) bool { return !o.DateIssued.IsZero() && f(validTill(*o)) }, true
	case "is_renewed":
		return flag(func(o *Order) bool { r := s.byID[o.ID]; return r != nil && r.renewedBy(s.now()) != nil })
	case "disable_renewal_notifications":
		return flag(func(o *Order) bool { b, _ := lookup(o.body, "disable_renewal_notifications").(bool); return b })
	case "origin":
		return func(*Order) bool { return v == "certcentral" }, v == "certcentral" || v == "migrated"
	case "organization_id":
		return is(func(o *Order) string { return jsonText(lookup(o.body, "organization.id")) })
	case "container_id":
		return is(func(o *Order) string { return jsonText(lookup(o.body, "container.id")) })
	case "product_name_id":
		return is(func(o *Order) string { return currentID(o.Product) })
	case "user_id":
		return is(func(*Order) string { return strconv.Itoa(sandboxUserID) })
	case "metadata_id":
		return func(o *Order) bool { return slices.Contains(metadataIDs(o.body), v) }, true
	case "common_name", "domain_name":
		return is(func(o *Order) string { return o.CommonName })
	case "email":
		return func(o *Order) bool { return smimeProduct(o.Product) && slices.Contains(o.Emails, v) }, true
	case "search":
		return func(o *Order) bool {
			var emails []string
			if smimeProduct(o.Product) {
				emails = o.Emails
			}
			return searchMatch(v, append([]string{o.CommonName}, emails...)...)
		}, true
	}
	// Lenient: an unknown filter is ignored.
	return func(*Order) bool { return true }, true
}

// metadataIDs are the custom_fields metadata IDs of a body.
func metadataIDs(b map[string]any) []string {
	var out []string
	arr, _ := lookup(b, "custom_fields").([]any)
	for _, it := range arr {
		if m, ok := it.(map[string]any); ok {
			out = append(out, jsonText(m["metadata_id"]))
		}
	}
	return out
}

// listOrders answers GET /order/certificate (today.md §3).
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request, _ []string, _ fault) {
	q, ok := s.readParams(w, r, knownParams(orderFilters...))
	if !ok {
		return
	}
	limit, offset, ok := s.paging(w, q)
	if !ok {
		return
	}
	var keep []func(*Order) bool
	for name, v := range q {
		f, isFilter := filterName(name)
		if !isFilter || v == "" {
			continue
		}
		test, ok := s.orderFilter(f, v)
		if !ok {
			s.writeErrors(w, http.StatusBadRequest, invalidValue(name))
			return
		}
		keep = append(keep, test)
	}
	less, err := orderLess(q["sort"], s.cfg.LenientFilters)
	if err != nil {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("sort"))
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var match []*Order
	for _, rec := range s.recs {
		v := rec.view(now)
		if all(keep, &v) {
			match = append(match, &v)
		}
	}
	slices.SortStableFunc(match, less)
	var items []map[string]any
	for i := offset; i < len(match) && i < offset+limit; i++ {
		items = append(items, s.listItem(*match[i], now))
	}
	writeJSON(w, http.StatusOK, pageAnswer("orders", items, len(match), limit, offset))
}

// pageAnswer is a list answer. An empty list has no list key at all,
// only the page (today.md §3).
func pageAnswer(key string, items []map[string]any, total, limit, offset int) map[string]any {
	m := map[string]any{"page": map[string]int{"total": total, "limit": limit, "offset": offset}}
	if len(items) > 0 {
		m[key] = items
	}
	return m
}

func all(keep []func(*Order) bool, o *Order) bool {
	for _, f := range keep {
		if !f(o) {
			return false
		}
	}
	return true
}

// maxStatusWindow is the longest status-changes window (digest §5.5).
const maxStatusWindow = 7 * 24 * time.Hour

// mdt is the time zone of filters[status_last_updated] (digest §5.5).
var mdt = time.FixedZone("MDT", -6*3600)

// DefaultStatusPageSize is how many orders a page of the status-change
// feed holds when [Config.StatusPageSize] is 0. The status-change list
// page says the endpoint "supports filters, sorting, and pagination" and
// sends the reader to the Services API's "Filters, sorting, and
// pagination parameters" (offset and limit), without a default page size
// that could be read: the sandbox uses the list's 1000 (the most public
// clients ask for, and the list endpoint's largest page here).
const DefaultStatusPageSize = 1000

// statusChanges answers GET /order/certificate/status-changes (today.md
// §2, digest §5.5): every order whose status changed in the window,
// time-driven changes included, with its status now. The order's
// creation counts as a change. With filters[status_last_updated] an
// order that changed again after the window is left out. Without any
// window: 400 missing_field:minutes (the sandbox's code: DigiCert's
// could not be confirmed).
//
// The feed is paged: "This endpoint supports filters, sorting, and
// pagination"
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/status-change-list.html).
// A page holds at most the server's page size ([Config.StatusPageSize]),
// whatever limit a client asks for; offset and limit are the Services
// API's paging parameters
// (https://dev.digicert.com/en/certcentral-apis/services-api.html). The
// answer has no page object (the page's response table lists only
// orders), so a client learns that the feed ended from a short page.
// Orders come newest order ID first, as in the page's example (265, 264,
// 263, ...).
func (s *Server) statusChanges(w http.ResponseWriter, r *http.Request, _ []string, _ fault) {
	q, ok := s.readParams(w, r, func(n string) bool {
		return n == "minutes" || n == "seconds" || n == "filters[status_last_updated]" || n == "offset" || n == "limit"
	})
	if !ok {
		return
	}
	limit, offset, ok := s.feedPaging(w, q)
	if !ok {
		return
	}
	tooLong := apiError{"time_frame_too_long", "The time frame may not exceed 7 days."}
	now := s.now()
	var from, to time.Time
	switch rng, hasRange := q["filters[status_last_updated]"]; {
	case hasRange:
		a, b, isRange := strings.Cut(rng, "...")
		lo, errA := parseMDT(a)
		hi, errB := parseMDT(b)
		if !isRange || errA != nil || errB != nil || hi.Before(lo) {
			s.writeErrors(w, http.StatusBadRequest, invalidValue("filters[status_last_updated]"))
			return
		}
		if hi.Sub(lo) > maxStatusWindow {
			s.writeErrors(w, http.StatusBadRequest, tooLong)
			return
		}
		from, to = lo, hi
	default:
		mins, okM := intParam(q, "minutes", 0, 0)
		secs, okS := intParam(q, "seconds", 0, 0)
		_, hasM := q["minutes"]
		_, hasS := q["seconds"]
		switch {
		case !okM:
			s.writeErrors(w, http.StatusBadRequest, invalidValue("minutes"))
			return
		case !okS:
			s.writeErrors(w, http.StatusBadRequest, invalidValue("seconds"))
			return
		case !hasM && !hasS:
			s.writeErrors(w, http.StatusBadRequest, apiError{"missing_field:minutes", "minutes, seconds or filters[status_last_updated] is required."})
			return
		case mins > 10080 || secs > 604800 || time.Duration(mins)*time.Minute+time.Duration(secs)*time.Second > maxStatusWindow:
			s.writeErrors(w, http.StatusBadRequest, tooLong)
			return
		}
		from, to = now.Add(-time.Duration(mins)*time.Minute-time.Duration(secs)*time.Second), now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []map[string]any
	for _, rec := range slices.Backward(s.recs) {
		h := rec.timeline()
		in, after := false, false
		for _, c := range h {
			if c.At.After(now) {
				break
			}
			in = in || !c.At.Before(from) && !c.At.After(to)
			after = after || c.At.After(to)
		}
		if !in || after && !to.Equal(now) {
			continue
		}
		it := map[string]any{"order_id": rec.ID, "status": rec.view(now).Status}
		if rec.CertificateID != 0 {
			it["certificate_id"] = rec.CertificateID
		}
		items = append(items, it)
	}
	items = items[min(offset, len(items)):]
	items = items[:min(limit, len(items))]
	// Like an empty list, no changes: no "orders" key (an assumption).
	m := map[string]any{}
	if len(items) > 0 {
		m["orders"] = items
	}
	writeJSON(w, http.StatusOK, m)
}

// feedPaging reads the status-change feed's offset (default 0) and limit
// (default and at most the page size; today.md §2); it answers a bad
// value itself.
func (s *Server) feedPaging(w http.ResponseWriter, q params) (limit, offset int, ok bool) {
	size := cmp.Or(s.cfg.StatusPageSize, DefaultStatusPageSize)
	if limit, ok = intParam(q, "limit", size, 1); !ok {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("limit"))
		return 0, 0, false
	}
	if offset, ok = intParam(q, "offset", 0, 0); !ok {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("offset"))
		return 0, 0, false
	}
	return min(limit, size), offset, true
}

// parseMDT reads yyyy-MM-dd or yyyy-MM-dd+HH:mm:ss in MDT.
func parseMDT(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02+15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, mdt); err == nil {
			return t, nil
		}
	}
	return time.ParseInLocation(time.DateOnly, v, mdt)
}
