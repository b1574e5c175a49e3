// Package order is certbatch's row model: the one set of types that
// carries a row's result from CertCentral's answer through the journal,
// the pipeline and the results file.
//
// A row is mapped and validated ([Outcome] valid or invalid), then, when
// submitted, answered by CertCentral ([Answer]: order, request and
// certificate IDs, statuses, error text). [Result] is a row's whole
// result as the results file shows it, and [Summary] counts results by
// outcome and product. Every package that handles a row's answer uses
// these types, so an answer is never copied field by field between
// record types.
package order

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/certbatch/certbatch/internal/mailbox"
)

// Outcome is what happened to a row in a run.
type Outcome string

// Outcomes, in the order summaries list them.
const (
	Valid     Outcome = "valid"     // validate: the row passes every rule
	Ordered   Outcome = "ordered"   // the order was placed (or recovered by reconciliation)
	Skipped   Outcome = "skipped"   // the person already has an order
	Held      Outcome = "held"      // the row is hidden or struck through in the input: not sent (--include-hidden sends it)
	Invalid   Outcome = "invalid"   // the row breaks a rule; not sent
	Rejected  Outcome = "rejected"  // the API refused the row: fix the data
	Failed    Outcome = "failed"    // nothing was created: safe to run again
	Uncertain Outcome = "uncertain" // sent, no answer: the next run checks DigiCert first
	// NotReached: the run ended (killed, crashed) before it got to the
	// row; nothing was sent for it by that run. Only a batch rebuilt
	// from the journal has such rows.
	NotReached Outcome = "not_reached"
)

// Outcomes lists every outcome in summary order.
var Outcomes = []Outcome{Valid, Ordered, Skipped, Held, Invalid, Rejected, Failed, Uncertain, NotReached}

// NeedsFix reports whether the outcome asks a person to fix the data
// (exit code 3).
func (o Outcome) NeedsFix() bool { return o == Invalid || o == Rejected }

// NeedsRetry reports whether the outcome asks for another run later
// (exit code 4).
func (o Outcome) NeedsRetry() bool { return o == Failed || o == Uncertain || o == NotReached }

// Answer is what CertCentral said about a row's order: the IDs it
// returned, the statuses it reported and any error text. A zero ID means
// the ID is not known.
type Answer struct {
	OrderID       int64
	RequestID     int64
	CertificateID int64
	RequestStatus string // pending, submitted, approved, rejected
	OrderStatus   string // as DigiCert last reported it (needs_approval, pending, issued, ...)
	Error         string // the API's codes and messages, or why there is no answer
}

// Refresh takes a newer answer about the same order (order info): its
// order status always, its request status and certificate ID when it
// has them, so a refresh never forgets an ID already known.
func (a *Answer) Refresh(b Answer) {
	a.OrderStatus = b.OrderStatus
	if b.RequestStatus != "" {
		a.RequestStatus = b.RequestStatus
	}
	if b.CertificateID != 0 {
		a.CertificateID = b.CertificateID
	}
}

// HasOrder reports whether the answer names an order.
func (a Answer) HasOrder() bool { return a.OrderID != 0 }

// FinalStatuses are the order statuses that no longer change by
// themselves: polling stops at them (certcentral-today.md §2).
var finalStatuses = []string{"issued", "rejected", "canceled", "revoked", "denied", "expired"}

// IsFinal reports whether an order status is final: issued, rejected,
// canceled, revoked, denied or expired.
func IsFinal(status string) bool { return slices.Contains(finalStatuses, status) }

// ID formats an ID for text output: "" for 0.
func ID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Result is one row's result: the input row, what certbatch decided and
// what CertCentral answered.
type Result struct {
	Row     int      // spreadsheet row number of the input row; 0 when unknown
	Input   []string // the input cells, one per input header column
	Product string
	Outcome Outcome
	// Name and Email say who the row is, as the input wrote them (the
	// certificate holder's or signer's name, the primary email), so a
	// person reading the results sees whose outcome it is.
	Name, Email string
	// Note says what certbatch did or found for the row when that is
	// not a problem: "recovered: ...", "found at DigiCert: ...",
	// "already ordered in batch ...", "downloaded: FILE". Problems go in
	// the Answer's Error.
	Note string
	Answer
}

// Summary counts results by outcome and by product. The zero value is
// ready to use.
type Summary struct {
	Rows      int
	ByOutcome map[Outcome]int
	ByProduct map[string]map[Outcome]int // product -> outcome -> rows
	// Shown holds the first problem rows, for the terminal.
	Shown []string
	// Mapping says which input column fed which order field and which
	// were ignored, one line each, for the terminal (validate).
	Mapping []string
	// WouldSkip counts the valid rows a dry run found already ordered
	// (in the journal): submit would skip them. Skips holds the first of
	// them as lines, for the terminal.
	WouldSkip int
	Skips     []string
	// Batch is the journal batch ID (submit); Output the results file;
	// Sheet the worksheet read ("" for CSV).
	Batch, Output, Sheet string
}

// NoProduct is the product name rows without a product are counted under.
const NoProduct = "(none)"

// Add counts one result.
func (s *Summary) Add(r *Result) {
	if s.ByOutcome == nil {
		s.ByOutcome = map[Outcome]int{}
		s.ByProduct = map[string]map[Outcome]int{}
	}
	s.Rows++
	s.ByOutcome[r.Outcome]++
	p := r.Product
	if p == "" {
		p = NoProduct
	}
	m := s.ByProduct[p]
	if m == nil {
		m = map[Outcome]int{}
		s.ByProduct[p] = m
	}
	m[r.Outcome]++
}

// Count returns how many rows had any of the outcomes.
func (s *Summary) Count(outcomes ...Outcome) int {
	n := 0
	for _, o := range outcomes {
		n += s.ByOutcome[o]
	}
	return n
}

// NeedFix counts rows that ask a person to fix the data.
func (s *Summary) NeedFix() int { return s.Count(Invalid, Rejected) }

// NeedRetry counts rows that ask for another run.
func (s *Summary) NeedRetry() int { return s.Count(Failed, Uncertain, NotReached) }

// NormalizeKey is how a key cell identifies a person whatever its
// formatting: Unicode compatibility forms folded (full-width digits are
// digits), surrounding space trimmed, case folded, and the leading zeros
// of an all-digit key dropped (00124 and 124 are one employee ID, however
// a spreadsheet showed it). Two people whose keys differ only that way
// are one person; with their emails differing too, the row is reported
// as a conflict, never ordered silently.
func NormalizeKey(s string) string {
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s != "" && strings.Trim(s, "0123456789") == "" {
		if t := strings.TrimLeft(s, "0"); t != "" {
			return t
		}
		return "0"
	}
	return s
}

// NormalizeEmail is how an email identifies a person: trimmed, Unicode
// NFC, lower case, the domain in IDNA A-labels (mailbox.Key), so every
// spelling of one mailbox (José in NFC or NFD, bücher.example or
// xn--bcher-kva.example, any case) is one person.
func NormalizeEmail(s string) string { return mailbox.Key(s) }
