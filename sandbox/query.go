package sandbox

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// params is a query string read by hand from r.URL.RawQuery, so that
// how a name was spelled is known (today.md §3: whether percent-encoded
// brackets are decoded is not documented).
type params map[string]string

// readParams parses the query of r. known tells whether a (decoded)
// parameter name is documented for the endpoint. Unless
// Config.LenientFilters is set, an undocumented name, or a name with
// percent-encoded brackets (filters%5Bemail%5D), is answered 400
// invalid_value:<name>; ok is then false. A repeated name keeps its
// first value, like url.Values.Get.
func (s *Server) readParams(w http.ResponseWriter, r *http.Request, known func(name string) bool) (params, bool) {
	out := params{}
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		if part == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(rawName)
		value, err2 := url.QueryUnescape(rawValue)
		if err := errors.Join(err1, err2); err != nil {
			s.writeErrors(w, http.StatusBadRequest, invalidValue(rawName))
			return nil, false
		}
		encoded := strings.Contains(strings.ToUpper(rawName), "%5B") || strings.Contains(strings.ToUpper(rawName), "%5D")
		if !s.cfg.LenientFilters && (encoded || !known(name)) {
			s.writeErrors(w, http.StatusBadRequest, invalidValue(name))
			return nil, false
		}
		if _, seen := out[name]; !seen {
			out[name] = value
		}
	}
	return out, true
}

// filterName returns X for "filters[X]".
func filterName(name string) (string, bool) {
	inner, ok := strings.CutPrefix(name, "filters[")
	if !ok || !strings.HasSuffix(inner, "]") {
		return "", false
	}
	return strings.TrimSuffix(inner, "]"), true
}

// knownParams accepts the paging parameters and the listed filters.
func knownParams(filters ...string) func(string) bool {
	return func(name string) bool {
		switch name {
		case "offset", "limit", "sort":
			return true
		}
		f, ok := filterName(name)
		if !ok {
			return false
		}
		for _, x := range filters {
			if x == f {
				return true
			}
		}
		return false
	}
}

// parseFilterTime reads yyyy-MM-dd (day is true), yyyy-MM-dd+HH:mm:ss
// (UTC; the "+" arrives as a space when the client did not escape it)
// and, when lenient, RFC 3339.
func parseFilterTime(s string, lenient bool) (t time.Time, day bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02+15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, false, nil
		}
	}
	if !lenient {
		return time.Time{}, false, errors.New("not a documented date")
	}
	t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	return t, false, err
}

// dateFilter parses a date filter (filters[date_created],
// filters[valid_till]). The documented forms (today.md §3) are ">D",
// "<D", "A...B" (both ends included; a day end means the whole day) and
// D alone (that day, or that instant); lenient also takes ">=" and "<="
// and RFC 3339 times.
func dateFilter(v string, lenient bool) (func(time.Time) bool, error) {
	if a, b, ok := strings.Cut(v, "..."); ok {
		lo, _, err1 := parseFilterTime(a, lenient)
		hi, day, err2 := parseFilterTime(b, lenient)
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
		if len(op) == 2 && !lenient {
			return nil, errors.New("undocumented comparison " + op)
		}
		d, day, err := parseFilterTime(rest, lenient)
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
	d, day, err := parseFilterTime(v, lenient)
	if err != nil {
		return nil, err
	}
	if day {
		return func(t time.Time) bool { return !t.Before(d) && t.Before(d.AddDate(0, 0, 1)) }, nil
	}
	return func(t time.Time) bool { return t.Equal(d) }, nil
}

// intParam reads an integer query parameter (min is its smallest
// allowed value); absent gives def.
func intParam(q params, name string, def, min int) (int, bool) {
	v, ok := q[name]
	if !ok || v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= min
}

// paging reads limit (1 to 1000, default 1000) and offset, and, when
// lenient, page. It answers a bad value itself.
func (s *Server) paging(w http.ResponseWriter, q params) (limit, offset int, ok bool) {
	bad := func(name string) (int, int, bool) {
		s.writeErrors(w, http.StatusBadRequest, invalidValue(name))
		return 0, 0, false
	}
	if limit, ok = intParam(q, "limit", 1000, 1); !ok {
		return bad("limit")
	}
	limit = min(limit, 1000)
	if offset, ok = intParam(q, "offset", 0, 0); !ok {
		return bad("offset")
	}
	if _, given := q["offset"]; !given {
		page, ok := intParam(q, "page", 1, 1)
		if !ok {
			return bad("page")
		}
		offset = (page - 1) * limit
	}
	return limit, offset, true
}

// sortKeys are the sort keys: date_created (today.md §3) and order_id
// (used by a production client, digest §5.4); id only when lenient.
var sortKeys = map[string]func(a, b *Order) int{
	"date_created": func(a, b *Order) int { return a.DateCreated.Compare(b.DateCreated) },
	"order_id":     func(a, b *Order) int { return cmp.Compare(a.ID, b.ID) },
	"id":           func(a, b *Order) int { return cmp.Compare(a.ID, b.ID) },
}

// orderLess builds the comparison for a sort parameter: comma-separated
// keys, "-" for descending; ties go by ascending ID. An unknown key is an
// error unless lenient, which ignores it.
func orderLess(spec string, lenient bool) (func(a, b *Order) int, error) {
	var keys []func(a, b *Order) int
	for _, k := range strings.Split(spec, ",") {
		k = strings.TrimSpace(k)
		if k == "" && spec == "" {
			continue
		}
		name := strings.TrimPrefix(k, "-")
		f, ok := sortKeys[name]
		if !ok || name == "id" && !lenient {
			if lenient {
				continue
			}
			return nil, errors.New("unknown sort key " + strconv.Quote(k))
		}
		if strings.HasPrefix(k, "-") {
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
	}, nil
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

// searchMatch is filters[search]: a "%" prefix means "contains",
// otherwise the match is exact; both case-sensitive (digest §5.4).
func searchMatch(q string, values ...string) bool {
	sub, contains := strings.CutPrefix(q, "%")
	for _, v := range values {
		if contains && strings.Contains(v, sub) || !contains && v == q {
			return true
		}
	}
	return false
}
