package sandbox

import (
	"encoding/pem"
	"net/http"
	"strconv"
	"strings"
)

// downloadFormats are the formats the sandbox serves (today.md §5,
// digest §5.6 [GLOSS]): the chain in PEM, without the root, the leaf
// alone, and a PKCS #7 bundle. The zip formats (default, apache,
// default_pem, ...) are not served: 400 invalid_value:format, like an
// unknown format.
var downloadFormats = map[string]bool{"pem_all": true, "pem_noroot": true, "pem_nointermediate": true, "p7b": true}

var errNotIssued = apiError{"not_found|certificate", "The certificate was not found or has not been issued."}

// downloadByCertificate answers
// GET /certificate/{certificate_id}/download/format/{format}.
func (s *Server) downloadByCertificate(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	id, _ := parseID(args[0])
	s.download(w, args[1], func() (*record, *apiError) {
		if o := s.byCert[id]; o != nil {
			return o, nil
		}
		return nil, &errNotIssued
	})
}

// downloadByOrder answers
// GET /certificate/download/order/{order_id}/format/{format}: the
// order's one certificate.
func (s *Server) downloadByOrder(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	id, _ := parseID(args[0])
	s.download(w, args[1], func() (*record, *apiError) {
		if o := s.byID[id]; o != nil {
			return o, nil
		}
		return nil, &errNoOrder
	})
}

// download serves a certificate in a format. Unknown format: 400
// invalid_value:format. A certificate that is not issued (its order is
// pending, waiting_pickup, canceled, ...) is 404 not_found|certificate,
// as an unknown one: the sandbox's choice, since no source showed
// DigiCert's answer; a client must check the order's status first.
func (s *Server) download(w http.ResponseWriter, format string, find func() (*record, *apiError)) {
	if !downloadFormats[format] {
		s.writeErrors(w, http.StatusBadRequest, invalidValue("format"))
		return
	}
	s.mu.Lock()
	o, notFound := find()
	if notFound != nil {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusNotFound, *notFound)
		return
	}
	v := o.view(s.now())
	if v.Status != statusIssued {
		s.mu.Unlock()
		s.writeErrors(w, http.StatusNotFound, errNotIssued)
		return
	}
	leaf, made, err := s.leafLocked(o, v)
	var sn *snapshot
	if made {
		sn = s.changedLocked()
	}
	chain := s.chainDERs(leaf)
	s.mu.Unlock()
	if err == nil {
		err = s.save(sn)
	}
	if err != nil {
		s.count(func(st *Stats) { st.Failed5xx++ })
		s.writeErrors(w, http.StatusInternalServerError, errInternal)
		return
	}
	var body []byte
	ctype := "application/x-pem-file"
	switch format {
	case "pem_all":
	case "pem_noroot":
		chain = chain[:2]
	case "pem_nointermediate":
		chain = chain[:1]
	case "p7b":
		der, err := pkcs7(chain)
		if err != nil { // cannot happen: the certificates are DER
			s.writeErrors(w, http.StatusInternalServerError, errInternal)
			return
		}
		body, ctype, chain = pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: der}), "application/x-pkcs7-certificates", nil
	}
	var b strings.Builder
	for _, der := range chain {
		b.WriteString(pemCert(der))
	}
	if chain != nil {
		body = []byte(b.String())
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
