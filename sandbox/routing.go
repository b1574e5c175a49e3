package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// apiError is one item of an error answer (digest §2.1).
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

var (
	errRoute      = apiError{"not_found|route", "The requested route was not found."}
	errMethod     = apiError{"method_not_allowed", "The request method is not allowed on this route."}
	errInternal   = apiError{"internal_error", "An unexpected error occurred."}
	errBadFormat  = apiError{"bad_request_format", "The request body is not valid JSON."}
	errInvalidKey = apiError{"access_denied|access_denied_invalid_key", "The API key is missing or invalid."}
	errViewOnly   = apiError{"access_denied|missing_permission", "The API key does not have permission for this action."}
	errRateLimit  = apiError{"request_limit_exceeded", "Service unavailable, please limit request volume"}
	errNoOrder    = apiError{"not_found|order", "Order not found."}
)

// invalidValue is DigiCert's error for a bad value (digest §2.2).
func invalidValue(name string) apiError {
	return apiError{"invalid_value:" + name, name + " contains an invalid value."}
}

// missingField is the sandbox's error for a missing value, in the same
// style (digest §2.2 could not confirm DigiCert's code).
func missingField(name string) apiError {
	return apiError{"missing_field:" + name, name + " is required."}
}

// handler serves one route; args are the wildcard segments of its
// pattern and f the faults drawn for a mutating request.
type handler func(w http.ResponseWriter, r *http.Request, args []string, f fault)

// route is one endpoint: a method (GET also serves HEAD), a path below
// /services/v2 split at "/" with "*" for a wildcard segment, and for
// mutating routes the endpoint name faults are counted under.
type route struct {
	method   string
	pattern  []string
	endpoint string
	handle   handler
}

// routeTable lists every endpoint; the first match wins, so literal
// segments come before wildcards.
func (s *Server) routeTable() []route {
	r := func(method, pattern, endpoint string, h handler) route {
		return route{method, strings.Split(pattern, "/"), endpoint, h}
	}
	return []route{
		r("GET", "order/certificate", "", s.listOrders),
		r("GET", "order/certificate/status-changes", "", s.statusChanges),
		r("GET", "order/certificate/*", "", s.getOrder),
		r("POST", "order/certificate/*", EndpointPlaceOrder, s.placeOrder),
		r("PUT", "order/certificate/*/status", EndpointOrderStatus, s.updateOrderStatus),
		r("GET", "order/certificate/*/email-validation", "", s.emailValidation),
		r("PUT", "email-validation/*", EndpointEmailValidation, s.validateEmailToken),
		r("GET", "request", "", s.listRequests),
		r("GET", "request/*", "", s.getRequest),
		r("PUT", "request/*/status", EndpointRequestStatus, s.updateRequestStatus),
		r("PUT", "order/certificate/*/revoke", EndpointRevoke, s.revokeOrder),
		r("PUT", "certificate/*/revoke", EndpointRevoke, s.revokeCertificate),
		r("GET", "report/order/expiring", "", s.expiringReport),
		r("GET", "certificate/*/download/format/*", "", s.downloadByCertificate),
		r("GET", "certificate/download/order/*/format/*", "", s.downloadByOrder),
		r("GET", "product", "", s.listProducts),
		r("GET", "organization/*", "", s.getOrganization),
		r("GET", "container/*", "", s.getContainer),
		r("GET", "user/me", "", s.userMe),
	}
}

// match returns the wildcard segments when path fits pattern.
func match(pattern, path []string) ([]string, bool) {
	if len(pattern) != len(path) {
		return nil, false
	}
	var args []string
	for i, p := range pattern {
		switch {
		case p == "*" && path[i] != "":
			args = append(args, path[i])
		case p != path[i]:
			return nil, false
		}
	}
	return args, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // cannot happen: answers are maps of plain values
		status, b = http.StatusInternalServerError, []byte(`{"errors":[{"code":"internal_error","message":"An unexpected error occurred."}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (s *Server) writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	if s.cfg.ErrorsAsObject && len(errs) > 0 {
		writeJSON(w, status, map[string]any{"errors": errs[0]})
		return
	}
	writeJSON(w, status, map[string]any{"errors": errs})
}

// keyOf tells which configured key a request carries: "full",
// "view_only" or "" (none or a wrong one).
func (s *Server) keyOf(r *http.Request) string {
	k := []byte(r.Header.Get("X-DC-DEVKEY"))
	switch {
	case subtle.ConstantTimeCompare(k, []byte(s.cfg.APIKey)) == 1:
		return "full"
	case s.viewOnly && subtle.ConstantTimeCompare(k, []byte(s.cfg.ViewOnlyKey)) == 1:
		return "view_only"
	}
	return ""
}

// ServeHTTP routes requests under /services/v2 (the US and EU hosts use
// the same paths).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Requests++ // counted on arrival, before the latency
	s.mu.Unlock()
	if s.cfg.Latency > 0 {
		t := time.NewTimer(s.cfg.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client is gone: nobody to answer
			t.Stop()
			return
		}
	}
	// Every answer carries the server's Date (RFC 9110 §6.6.1), from the
	// sandbox's clock: a client can tell how far its own clock is from
	// the server's.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	path, ok := strings.CutPrefix(r.URL.Path, "/services/v2/")
	if !ok {
		s.writeErrors(w, http.StatusNotFound, errRoute)
		return
	}
	// A missing or wrong key is 403 today (today.md §4).
	keyKind := s.keyOf(r)
	if keyKind == "" {
		s.writeErrors(w, http.StatusForbidden, errInvalidKey)
		return
	}
	s.mu.Lock()
	now := s.now()
	if s.cfg.RecordArrivals {
		s.arrivals = append(s.arrivals, now)
	}
	ok = s.admitLocked(keyKind, now)
	if !ok {
		s.stats.RateLimited++
	}
	s.mu.Unlock()
	if !ok {
		s.writeErrors(w, http.StatusTooManyRequests, errRateLimit)
		return
	}
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	var allow []string
	for _, rt := range s.routes {
		args, ok := match(rt.pattern, segs)
		if !ok {
			continue
		}
		if rt.method != method {
			if !slices.Contains(allow, rt.method) {
				allow = append(allow, rt.method)
			}
			continue
		}
		var f fault
		if rt.endpoint != "" {
			if keyKind == "view_only" {
				s.writeErrors(w, http.StatusForbidden, errViewOnly)
				return
			}
			if f = s.drawFault(rt.endpoint); f.fail {
				s.writeErrors(w, http.StatusInternalServerError, errInternal)
				return
			}
		} else if method == http.MethodGet && s.readFault(w) {
			return
		}
		rt.handle(w, r, args, f)
		return
	}
	if allow == nil {
		s.writeErrors(w, http.StatusNotFound, errRoute)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.writeErrors(w, http.StatusMethodNotAllowed, errMethod)
}

// admitLocked applies the rolling windows of one key; false means 429.
// A request counts in a window from its admission until Per later;
// rejected requests do not count.
func (s *Server) admitLocked(key string, now time.Time) bool {
	adm := s.admitted[key]
	if adm == nil {
		adm = make([][]time.Time, len(s.windows))
		s.admitted[key] = adm
	}
	for i, w := range s.windows {
		q := adm[i]
		k := 0
		for k < len(q) && !q[k].After(now.Add(-w.Per)) {
			k++
		}
		adm[i] = q[k:]
		if len(adm[i]) >= w.Limit {
			return false
		}
	}
	for i := range s.windows {
		adm[i] = append(adm[i], now)
		s.stats.MaxInWindow[i] = max(s.stats.MaxInWindow[i], len(adm[i]))
	}
	return true
}

// readJSONObject reads a body that must be exactly one JSON object.
func readJSONObject(w http.ResponseWriter, r *http.Request) ([]byte, map[string]any, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, nil, err
	}
	body, err := parseJSONObject(raw)
	return raw, body, err
}

// parseJSONObject reads a body that must be exactly one JSON object.
func parseJSONObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		return nil, err
	}
	if body == nil {
		return nil, errors.New("body is null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return body, nil
}

// readBody reads a JSON object body and answers the format errors
// itself; ok is false when it did.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (raw []byte, body map[string]any, ok bool) {
	raw, body, err := readJSONObject(w, r)
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			s.writeErrors(w, http.StatusRequestEntityTooLarge, apiError{"request_too_large", "The request body is too large."})
			return nil, nil, false
		}
		s.writeErrors(w, http.StatusBadRequest, errBadFormat)
		return nil, nil, false
	}
	return raw, body, true
}

// parseID reads a positive decimal ID from a path segment.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
