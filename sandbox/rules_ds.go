package sandbox

// Document signing as DigiCert sells it today: ds_org, ds_org_individual
// and ds_individual. Sources:
//
//   - [ORG] https://dev.digicert.com/certcentral-apis/services-api/orders/order-document-signing-for-organization.html
//     (example body: certificate.signature_hash, certificate.usage_designation
//     {primary_usage signing, additional_usages adobe_authentic_documents_trust,
//     ms_document_signing, document_signing}, cs_provisioning_method, ship_info,
//     organization {id, contacts}, additional_emails, order_validity.years)
//   - [EMP] https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-document-signing-for-business---employee.html
//     (usage_designation required, primary_usage required, additional_usages
//     optional, cs_provisioning_method required)
//   - [IND] https://dev.digicert.com/certcentral-apis/services-api/orders/order-document-signing-for-individual.html
//     (primary_usage "Allowed values: signing"; individual {first_name,
//     last_name, email, telephone, country, job_title} and no organization)
//   - [CS] https://dev.digicert.com/certcentral-apis/services-api/orders/order-code-signing-certificate.html
//     (provisioning methods; "A csr is required when using this
//     provisioning method" for email, i.e. your own HSM)
//
// The tables were cut off after cs_provisioning_method: the individual's
// first name, last name and email are taken as required where the
// object is used, its other fields as optional; ds_org needs no
// individual.

// dsAdditionalUsages are the additional uses [ORG]'s example names.
var dsAdditionalUsages = []string{"adobe_authentic_documents_trust", "ms_document_signing", "document_signing"}

// documentSigning checks a ds_* order body and fills in the record's
// emails and common name.
func (c *checker) documentSigning(p *product, o *record, orgName string, hasCSR bool) {
	c.serverPlatform()
	// [EMP]: usage_designation and its primary_usage are required;
	// [IND]: the only primary use is signing.
	c.object("certificate.usage_designation")
	if u, ok := c.str("certificate.usage_designation.primary_usage", true); ok {
		c.oneOf("certificate.usage_designation.primary_usage", u, false, "signing")
	}
	for _, u := range c.strs("certificate.usage_designation.additional_usages", false) {
		c.oneOf("certificate.usage_designation.additional_usages", u, false, dsAdditionalUsages...)
	}
	// [EMP]: cs_provisioning_method is required; [CS]: email needs a CSR.
	c.provisioning(true, hasCSR)
	c.shipInfo()
	c.str("custom_renewal_message", false)
	extra := c.strs("additional_emails", false)
	for _, e := range extra {
		if !validEmail(e) {
			c.invalid("additional_emails")
			break
		}
	}
	if p.id == "ds_org" {
		// [ORG]: issued to a team or department, named by the
		// organization; the order's emails are the additional ones.
		o.CommonName, o.Emails = orgName, extra
		return
	}
	// [IND], and [EMP] for an employee: the signer.
	c.object("individual")
	first, _ := c.str("individual.first_name", true)
	last, _ := c.str("individual.last_name", true)
	if e, ok := c.str("individual.email", true); ok {
		if !validEmail(e) {
			c.invalid("individual.email")
		}
		o.Emails = []string{e}
	}
	for _, f := range []string{"telephone", "job_title", "country"} {
		c.str("individual."+f, false)
	}
	o.CommonName = first + " " + last
}

// serverPlatform checks the optional certificate.server_platform: an
// object with an id (the document signing pages: default -1).
func (c *checker) serverPlatform() {
	if c.object("certificate.server_platform") {
		c.integer("certificate.server_platform.id", true)
	}
}

// provisioning checks cs_provisioning_method (ship_token, client_app,
// email; [CS]) and the CSR email provisioning needs.
func (c *checker) provisioning(required, hasCSR bool) {
	if m, ok := c.str("cs_provisioning_method", required); ok {
		c.oneOf("cs_provisioning_method", m, false, "ship_token", "client_app", "email")
		if m == "email" && !hasCSR {
			c.missing("certificate.csr")
		}
	}
}

// shipInfo checks the optional ship_info object: every line but addr2
// required, method standard or expedited (any case: the pages show both
// "standard" and "EXPEDITED").
func (c *checker) shipInfo() {
	if !c.object("ship_info") {
		return
	}
	for _, f := range []string{"name", "addr1", "city", "state", "zip", "country"} {
		c.str("ship_info."+f, true)
	}
	c.str("ship_info.addr2", false)
	if m, ok := c.str("ship_info.method", true); ok {
		c.oneOf("ship_info.method", m, true, "standard", "expedited")
	}
}
