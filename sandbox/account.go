package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// Product families, as the seed pages group them, and Secure Email.
const (
	familyClient      = "client_certificate"
	familyDocSign     = "document_signing"
	familySecureEmail = "secure_email"
)

// family is a product group with its order rules.
type family struct {
	name     string
	validity []int64 // allowed validity years
	// orderValidity: order_validity.years is required (the document
	// signing pages: the legacy page marks it required and validity_years
	// deprecated; today's ds_* pages use it).
	orderValidity bool
}

var (
	clientFamily = &family{name: familyClient, validity: []int64{1, 2}}
	docFamily    = &family{name: familyDocSign, validity: []int64{1, 2, 3}, orderValidity: true}
	// secureEmailFamily: Strict and Multipurpose allow "1 and 2-year
	// certificates" (docs.digicert.com, renew-your-secure-email-...).
	secureEmailFamily = &family{name: familySecureEmail, validity: []int64{1, 2}}
	// dsFamily: ds_org, ds_org_individual, ds_individual (document
	// signing, order_validity.years 1-3 like the legacy page's range).
	dsFamily = &family{name: familyDocSign, validity: []int64{1, 2, 3}, orderValidity: true}
)

// namesEmails reports whether order info, the request view and the
// email filters name an order's emails: S/MIME orders (today.md §3),
// the legacy client products and Secure Email alike.
func namesEmails(fam string) bool { return fam == familyClient || fam == familySecureEmail }

// product is one orderable product.
type product struct {
	id, name string
	fam      *family
	// profile: the order needs certificate.common_name_indicator and the
	// individual's names (today.md §1).
	profile bool
	// smime: a public S/MIME product, whose emails DigiCert validates
	// (today.md §2); client_authentication_plus is not one (today.md §1).
	smime bool
	// cnFromEmail: DigiCert sets the common name to the first email and
	// refuses one in the body (class1_smime, today.md §1).
	cnFromEmail bool
	// orgOptional: the order needs no organization (secure_email_mailbox:
	// "do not require organization validation"; ds_individual: "issued
	// to you").
	orgOptional bool
	// maxDays, when set, bounds custom_expiration_date instead of
	// Config.MaxCustomDays (Secure Email: 824 days).
	maxDays int
}

// catalogue lists the current products, in GET /product order.
var catalogue = []*product{
	{id: "client_premium", name: "Premium", fam: clientFamily, profile: true, smime: true},
	{id: "client_email_security_plus", name: "Email Security Plus", fam: clientFamily, profile: true, smime: true},
	{id: "client_digital_signature_plus", name: "Digital Signature Plus", fam: clientFamily, profile: true, smime: true},
	{id: "class1_smime", name: "Class 1 S/MIME", fam: clientFamily, smime: true, cnFromEmail: true},
	{id: "client_authentication_plus", name: "Authentication Plus", fam: clientFamily},
	{id: "document_signing_org_1", name: "Document Signing - Organization (2000)", fam: docFamily},
	{id: "document_signing_org_2", name: "Document Signing - Organization (5000)", fam: docFamily},
	// Secure Email (dev.digicert.com order-secure-email-certificate):
	// S/MIME, their emails validated; at most 824 days (docs.digicert.com,
	// reissue-your-secure-email-...: "Multipurpose and Strict profiles'
	// maximum validity is 824 days").
	{id: "secure_email_mailbox", name: "Secure Email for Individual Mailbox", fam: secureEmailFamily, smime: true, orgOptional: true, maxDays: secureEmailMaxDays},
	{id: "secure_email_sponsor", name: "Secure Email for Employee", fam: secureEmailFamily, smime: true, maxDays: secureEmailMaxDays},
	{id: "secure_email_organization", name: "Secure Email for Organization", fam: secureEmailFamily, smime: true, maxDays: secureEmailMaxDays},
	// Document signing today (dev.digicert.com order-document-signing-for-*).
	{id: "ds_org", name: "Document Signing for Organization", fam: dsFamily},
	{id: "ds_org_individual", name: "Document Signing for Business - Employee", fam: dsFamily},
	{id: "ds_individual", name: "Document Signing for Individual", fam: dsFamily, orgOptional: true},
}

// secureEmailMaxDays is the Strict and Multipurpose profiles' longest
// validity.
const secureEmailMaxDays = 824

// oldIDs maps the seed page's product IDs to today's (today.md §1): an
// order placed under an old ID is that product, and answers show the
// current ID (today.md §3; the sandbox's choice for order info too).
var oldIDs = map[string]string{
	"client_premium_sha2":                "client_premium",
	"client_digital_signature_plus_sha2": "client_digital_signature_plus",
}

// productByID finds a product by its current or old ID.
func productByID(id string) *product {
	if cur, ok := oldIDs[id]; ok {
		id = cur
	}
	for _, p := range catalogue {
		if p.id == id {
			return p
		}
	}
	return nil
}

// smimeProduct reports whether a product ID (either of its IDs) is one
// of DigiCert's S/MIME products, the only ones whose order info names
// the certificate's emails (see [Server.orderInfo]).
func smimeProduct(id string) bool {
	p := productByID(id)
	return p != nil && p.smime
}

// currentID is the product's current name_id.
func currentID(id string) string {
	if p := productByID(id); p != nil {
		return p.id
	}
	return id
}

func familyOf(id string) string {
	if p := productByID(id); p != nil {
		return p.fam.name
	}
	return ""
}

// enabledProducts resolves Config.Products to current IDs.
func enabledProducts(ids []string) (map[string]bool, error) {
	on := map[string]bool{}
	if ids == nil {
		for _, p := range catalogue {
			on[p.id] = true
		}
		return on, nil
	}
	for _, id := range ids {
		p := productByID(id)
		if p == nil {
			return nil, fmt.Errorf("new sandbox: unknown product %q", id)
		}
		on[p.id] = true
	}
	return on, nil
}

// listProducts answers GET /product: the enabled products (today.md
// §1, §5; fields from digest §6.4).
func (s *Server) listProducts(w http.ResponseWriter, _ *http.Request, _ []string, _ fault) {
	items := []map[string]any{}
	for _, p := range catalogue {
		if !s.enabled[p.id] {
			continue
		}
		items = append(items, map[string]any{"group_name": p.fam.name, "name_id": p.id, "name": p.name,
			"type": p.fam.name, "allowed_validity_years": p.fam.validity,
			"signature_hash_types": map[string]any{"allowed_hash_types": []map[string]string{{"id": "sha256", "name": "SHA-256"}}, "default_hash_type_id": "sha256"}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"products": items})
}

// accountObject answers GET /organization/{id} and GET /container/{id}.
func (s *Server) accountObject(w http.ResponseWriter, arg string, names map[int64]string, kind string, extra map[string]any) {
	id, ok := parseID(arg)
	name, found := names[id]
	if !ok || !found {
		s.writeErrors(w, http.StatusNotFound, apiError{"not_found|" + kind, "The " + kind + " " + strconv.Quote(arg) + " was not found."})
		return
	}
	m := map[string]any{"id": id, "name": name}
	for k, v := range extra {
		m[k] = v
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) getOrganization(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	s.accountObject(w, args[0], s.orgs, "organization", map[string]any{
		"status": "active", "is_active": true, "display_name": s.orgs[mustID(args[0])], "country": "us",
		"container":   map[string]any{"id": s.topContainer()},
		"validations": []map[string]any{{"type": "ov", "name": "OV", "status": "active"}},
	})
}

func (s *Server) getContainer(w http.ResponseWriter, _ *http.Request, args []string, _ fault) {
	s.accountObject(w, args[0], s.conts, "container", map[string]any{"is_active": true, "parent_id": 0})
}

// topContainer is the account's first container (by ID): the user's.
func (s *Server) topContainer() int64 {
	ids := make([]int64, 0, len(s.conts))
	for id := range s.conts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

func mustID(s string) int64 { id, _ := parseID(s); return id }

// userMe answers GET /user/me: the key's user (today.md §5). Both keys
// belong to the same administrator; a view-only key's restriction is a
// property of the key, not shown here (an assumption: no source showed
// how /user/me reports an API key role).
func (s *Server) userMe(w http.ResponseWriter, _ *http.Request, _ []string, _ fault) {
	writeJSON(w, http.StatusOK, map[string]any{
		"id": 7001, "username": "sandbox.admin", "account_id": 5550001, "first_name": "Sandbox", "last_name": "Admin",
		"email": "sandbox.admin@example.com", "job_title": "Administrator", "status": "active",
		"container":    map[string]any{"id": s.topContainer(), "name": s.conts[s.topContainer()]},
		"access_roles": []map[string]any{{"id": 1, "name": "Administrator"}},
	})
}
