package sandbox

import (
	"fmt"
	"net/http"
	"slices"
)

// Endpoint names for [Config.Faults]: the mutating endpoints.
const (
	// EndpointPlaceOrder is POST /order/certificate/{product}.
	EndpointPlaceOrder = "place_order"
	// EndpointOrderStatus is PUT /order/certificate/{id}/status (cancel).
	EndpointOrderStatus = "order_status"
	// EndpointRequestStatus is PUT /request/{id}/status (approval).
	EndpointRequestStatus = "request_status"
	// EndpointEmailValidation is PUT /email-validation/{token}.
	EndpointEmailValidation = "email_validation"
	// EndpointRevoke is PUT /order/certificate/{id}/revoke and PUT
	// /certificate/{id}/revoke.
	EndpointRevoke = "revoke"
	// EndpointAny counts every mutating request, whatever its endpoint.
	EndpointAny = "*"
	// EndpointRead counts every GET (order info, lists, the status
	// feed, products, organizations, containers, user, downloads):
	// FailEvery answers 500, DropEvery closes the connection unanswered
	// (FailAfterChangeEvery, with nothing to change, answers 500 too).
	EndpointRead = "read"
)

var endpoints = []string{EndpointPlaceOrder, EndpointOrderStatus, EndpointRequestStatus, EndpointEmailValidation, EndpointRevoke, EndpointAny, EndpointRead}

// readFault answers a GET the read faults hit and reports whether it did.
func (s *Server) readFault(w http.ResponseWriter) bool {
	s.mu.Lock()
	rule, ok := s.faults[EndpointRead]
	if !ok {
		s.mu.Unlock()
		return false
	}
	s.counts[EndpointRead]++
	n := s.counts[EndpointRead]
	drop := hits(rule.DropEvery, n)
	fail := !drop && (hits(rule.FailEvery, n) || hits(rule.FailAfterChangeEvery, n))
	if fail {
		s.stats.Failed5xx++
	}
	if drop {
		s.stats.Dropped++
	}
	s.mu.Unlock()
	switch {
	case drop:
		if hj, isHJ := w.(http.Hijacker); isHJ {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case fail:
		s.writeErrors(w, http.StatusInternalServerError, errInternal)
		return true
	}
	return false
}

// Faults injects failures into one kind of mutating request. Requests
// are counted once they pass the key check, the rate limit and the
// permission check, whether their body is valid or not; a request hit by
// several rules gets the first of: FailEvery, DropEvery,
// FailAfterChangeEvery. An endpoint's own rule and the EndpointAny rule
// both apply, each with its own count.
type Faults struct {
	// FailEvery makes every Nth request answer 500 without changing
	// anything.
	FailEvery int
	// FailAfterChangeEvery makes every Nth request make its change (when
	// it is valid), then answer 500.
	FailAfterChangeEvery int
	// DropEvery makes every Nth request make its change (when it is
	// valid), then close the connection without any answer.
	DropEvery int
}

// fault is what was drawn for one request.
type fault struct{ fail, drop, failAfter bool }

// faultTable merges the shorthand fields into Config.Faults.
func faultTable(cfg Config) (map[string]Faults, error) {
	out := map[string]Faults{}
	for ep, f := range cfg.Faults {
		if !slices.Contains(endpoints, ep) {
			return nil, fmt.Errorf("new sandbox: faults for unknown endpoint %q", ep)
		}
		if f.FailEvery < 0 || f.FailAfterChangeEvery < 0 || f.DropEvery < 0 {
			return nil, fmt.Errorf("new sandbox: faults for %s: counts must not be negative", ep)
		}
		out[ep] = f
	}
	short := Faults{cfg.FailEvery, cfg.FailAfterCreateEvery, cfg.DropEvery}
	if short != (Faults{}) {
		if _, both := out[EndpointPlaceOrder]; both {
			return nil, fmt.Errorf("new sandbox: FailEvery, FailAfterCreateEvery and DropEvery duplicate Faults[%q]", EndpointPlaceOrder)
		}
		out[EndpointPlaceOrder] = short
	}
	return out, nil
}

// hits reports whether the nth request meets an every-N rule.
func hits(every, n int) bool { return every > 0 && n%every == 0 }

// drawFault counts a mutating request and decides its fault.
func (s *Server) drawFault(ep string) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Mutations++
	if ep == EndpointPlaceOrder {
		s.stats.OrderPOSTs++
	}
	var f fault
	for _, k := range []string{ep, EndpointAny} {
		s.counts[k]++
		n, rule := s.counts[k], s.faults[k]
		f.fail = f.fail || hits(rule.FailEvery, n)
		f.drop = f.drop || hits(rule.DropEvery, n)
		f.failAfter = f.failAfter || hits(rule.FailAfterChangeEvery, n)
	}
	if f.fail {
		s.stats.Failed5xx++
	}
	return f
}

// finish answers a mutating request whose change was made: it saves the
// snapshot, then drops the connection, answers 500 or calls ok, as the
// drawn fault says.
func (s *Server) finish(w http.ResponseWriter, f fault, sn *snapshot, ok func()) {
	if err := s.save(sn); err != nil {
		s.count(func(st *Stats) { st.Failed5xx++ })
		s.writeErrors(w, http.StatusInternalServerError, apiError{"internal_error", "The change was made but could not be stored."})
		return
	}
	switch {
	case f.drop:
		s.count(func(st *Stats) { st.Dropped++ })
		if hj, isHJ := w.(http.Hijacker); isHJ {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		// Not hijackable (HTTP/2): net/http resets the stream instead.
		panic(http.ErrAbortHandler)
	case f.failAfter:
		s.count(func(st *Stats) { st.Failed5xx++ })
		s.writeErrors(w, http.StatusInternalServerError, errInternal)
	default:
		ok()
	}
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// noContent is the 204 answer of the status PUTs.
func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
