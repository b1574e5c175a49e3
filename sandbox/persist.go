package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/certbatch/certbatch/internal/atomicfile"
)

// dataFormat is the DataFile format: 2 keeps records (events, rules,
// certificates) and the CA; 1 (no Format field) kept order snapshots.
const dataFormat = 2

// stored is the DataFile's content.
type stored struct {
	Format   int              `json:"Format,omitempty"`
	NextID   int64            `json:"NextID"`
	NextReq  int64            `json:"NextReq"`
	NextCert int64            `json:"NextCert"`
	CA       *storedAuthority `json:"CA,omitempty"`
	Records  []*record        `json:"Records,omitempty"`
	Orders   []legacyOrder    `json:"Orders,omitempty"` // format 1
}

// legacyOrder is an order as format 1 stored it.
type legacyOrder struct {
	ID            int64           `json:"id"`
	RequestID     int64           `json:"request_id"`
	CertificateID int64           `json:"certificate_id"`
	Product       string          `json:"product"`
	Status        string          `json:"status"`
	DateCreated   time.Time       `json:"date_created"`
	DateIssued    time.Time       `json:"date_issued"`
	IssueAt       time.Time       `json:"issue_at"`
	CommonName    string          `json:"common_name"`
	Emails        []string        `json:"emails"`
	Body          json.RawMessage `json:"body"`
	BodyText      string          `json:"body_text"`
	CertID        int64           `json:"reserved_certificate_id"`
}

// load reads DataFile; a missing file is an empty sandbox.
func (s *Server) load() error {
	b, err := os.ReadFile(s.cfg.DataFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load sandbox state: %w", err)
	}
	var st stored
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("load sandbox state: %s: %w", s.cfg.DataFile, err)
	}
	s.nextID, s.nextReq, s.nextCert = max(st.NextID, s.nextID), max(st.NextReq, s.nextReq), max(st.NextCert, s.nextCert)
	if st.CA != nil {
		if s.ca, err = loadAuthority(*st.CA); err != nil {
			return fmt.Errorf("load sandbox state: %s: %w", s.cfg.DataFile, err)
		}
	}
	recs := st.Records
	for _, lo := range st.Orders {
		recs = append(recs, s.migrate(lo))
	}
	for i, r := range recs {
		if r == nil || r.ID == 0 || s.byID[r.ID] != nil {
			return fmt.Errorf("load sandbox state: %s: order %d: missing or repeated ID", s.cfg.DataFile, i+1)
		}
		r.body = parseBody([]byte(r.BodyText))
		s.nextID = max(s.nextID, r.ID+1)
		s.nextReq = max(s.nextReq, r.RequestID+1)
		for _, v := range r.Revokes {
			s.nextReq = max(s.nextReq, v.RequestID+1)
		}
		s.nextCert = max(s.nextCert, r.CertificateID+1)
		s.addLocked(r)
	}
	return nil
}

// migrate turns a format-1 order into a record with the same life: an
// issued or delayed order was placed with skip_approval, a plain pending
// one waits for approval.
func (s *Server) migrate(lo legacyOrder) *record {
	r := &record{ID: lo.ID, RequestID: lo.RequestID, CertificateID: lo.CertificateID, Product: lo.Product,
		DateCreated: lo.DateCreated, CommonName: lo.CommonName, Emails: lo.Emails, BodyText: lo.BodyText}
	if r.BodyText == "" {
		r.BodyText = string(lo.Body)
	}
	csr, _ := lookup(parseBody([]byte(r.BodyText)), "certificate.csr").(string)
	r.HasCSR = csr != ""
	switch {
	case lo.Status == statusIssued:
		r.SkipApproval = true
		if !lo.DateIssued.IsZero() {
			r.IssueDelay = lo.DateIssued.Sub(lo.DateCreated)
		}
	case lo.Status == statusPending && !lo.IssueAt.IsZero():
		r.SkipApproval, r.IssueDelay = true, lo.IssueAt.Sub(lo.DateCreated)
		if r.CertificateID = lo.CertID; r.CertificateID == 0 {
			r.CertificateID = s.nextCert
			s.nextCert++
		}
	}
	s.nextCert = max(s.nextCert, r.CertificateID+1)
	return r
}

// parseBody decodes a stored body; a body that does not decode reads as
// empty (it was valid when received).
func parseBody(raw []byte) map[string]any {
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if d.Decode(&m) != nil || m == nil {
		return map[string]any{}
	}
	return m
}

// snapshot is the DataFile content at one version.
type snapshot struct {
	version uint64
	data    []byte
}

// changedLocked records a change to the state and returns what to save,
// or nil without a DataFile. Callers hold mu and call save after
// unlocking, so disk writes never hold up other requests.
func (s *Server) changedLocked() *snapshot {
	s.version++
	if s.cfg.DataFile == "" {
		return nil
	}
	ca := s.ca.store()
	b, err := json.Marshal(stored{Format: dataFormat, NextID: s.nextID, NextReq: s.nextReq, NextCert: s.nextCert, CA: &ca, Records: s.recs})
	if err != nil { // cannot happen: every field marshals
		b = nil
	}
	return &snapshot{version: s.version, data: b}
}

// save writes a snapshot unless a newer one is already on disk.
func (s *Server) save(sn *snapshot) error {
	if sn == nil {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if sn.version <= s.saved {
		return nil
	}
	if sn.data == nil {
		return errors.New("save sandbox state: cannot encode")
	}
	if err := atomicfile.WriteFile(s.cfg.DataFile, sn.data); err != nil {
		return fmt.Errorf("save sandbox state: %w", err)
	}
	s.saved = sn.version
	return nil
}
