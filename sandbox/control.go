package sandbox

import (
	"fmt"
	"net/url"
	"strings"
)

// What the recipient of a certificate does outside the API: tests and
// demos drive it through these methods.

// EmailValidationToken returns the token of an order's validation
// emails, for PUT /email-validation/{token}?email=.... It fails for an
// unknown order or one without email validation.
func (s *Server) EmailValidationToken(orderID int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.byID[orderID]
	switch {
	case o == nil:
		return "", fmt.Errorf("email validation token: no order %d", orderID)
	case o.Token == "":
		return "", fmt.Errorf("email validation token: order %d has no email validation", orderID)
	}
	return o.Token, nil
}

// ValidateEmail validates every email of an order, as if each recipient
// had followed the link. The order must be pending with its request
// approved, and under email validation ([Config.EmailValidation], an
// S/MIME product).
func (s *Server) ValidateEmail(orderID int64) error {
	s.mu.Lock()
	o := s.byID[orderID]
	if o == nil {
		s.mu.Unlock()
		return fmt.Errorf("validate email: no order %d", orderID)
	}
	if err := s.validateLocked(o); err != nil {
		s.mu.Unlock()
		return fmt.Errorf("validate email: %w", err)
	}
	sn := s.changedLocked()
	s.mu.Unlock()
	if err := s.save(sn); err != nil {
		return fmt.Errorf("validate email: %w", err)
	}
	return nil
}

// Pickup picks up an order that is waiting_pickup, as if the recipient
// had generated the key and certificate in the browser: it is issued now.
func (s *Server) Pickup(orderID int64) error {
	s.mu.Lock()
	o := s.byID[orderID]
	if o == nil {
		s.mu.Unlock()
		return fmt.Errorf("pickup: no order %d", orderID)
	}
	now := s.now()
	if st := o.view(now).Status; st != statusWaitingPickup {
		s.mu.Unlock()
		return fmt.Errorf("pickup: order %d is %s, not %s", orderID, st, statusWaitingPickup)
	}
	o.DatePickedUp = now
	sn := s.changedLocked()
	s.mu.Unlock()
	if err := s.save(sn); err != nil {
		return fmt.Errorf("pickup: %w", err)
	}
	return nil
}

// mailsLocked are the validation emails an approved order "sends", as
// lines for Config.EmailValidationLog; callers write them after
// unlocking with announce.
func (s *Server) mailsLocked(o *record) string {
	if s.cfg.EmailValidationLog == nil || o.Token == "" || o.approvedAt().IsZero() {
		return ""
	}
	var b strings.Builder
	for _, e := range o.Emails {
		fmt.Fprintf(&b, "sandbox: email validation for order %d: PUT /services/v2/email-validation/%s?email=%s\n", o.ID, o.Token, url.QueryEscape(e))
	}
	return b.String()
}

// announce writes validation email lines.
func (s *Server) announce(lines string) {
	if lines != "" {
		s.announceMu.Lock()
		fmt.Fprint(s.cfg.EmailValidationLog, lines)
		s.announceMu.Unlock()
	}
}
