package sandbox

import (
	"crypto/x509"
	"slices"
)

// Secure Email (S/MIME): secure_email_mailbox, secure_email_sponsor and
// secure_email_organization. Sources:
//
//   - [SE] https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-secure-email-certificate.html
//     and its 2025 copy at dev.digicert.com/certcentral-apis/...: "Choosing
//     a primary use is required"; usage_designation {primary_usage,
//     additional_usages} inside certificate; profile_type multipurpose or
//     strict, strict when omitted; common_name_indicator "Required for
//     secure_email_sponsor and secure_email_organization. Ignored for
//     secure_email_mailbox"; "For secure_email_sponsor, you always need to
//     include the individual object regardless of common_name_indicator";
//     first_name/last_name "Required when common_name_indicator =
//     given_name_surname or email_address", pseudonym "Required when
//     common_name_indicator = pseudonym or email_address".
//   - [PROF] https://docs.digicert.com/en/certcentral/manage-certificates/client-certificates-guide/secure-email-certificates/reissue-your-secure-email-individual-business-organization-certificate.html
//     (Strict supports the additional use non-repudiation; Multipurpose
//     non-repudiation, data encipherment and client authentication; at
//     most 824 days)
//   - [TLM] https://docs.digicert.com/en/trust-lifecycle-manager/enroll-and-manage-certificates/enrollment-how-to-guides/issue-public-s-mime-certificates-from-certcentral-using-trust-lifecycle-manager-rest-api-and-postman/create-a-certificate-profile-for-rest-api.html
//     ("For sponsor-validated certificate types ... Common Name is not
//     supported")
//   - [SBR] the CA/B Forum S/MIME Baseline Requirements 7.1.2.3(e) (which
//     key usages go with which primary use) and 7.1.4.2.2(a) (which
//     common names each validation type allows).
//
// Where [SE]'s tables were cut off (the additional uses, the common name
// values), [SBR] decides, with the primary uses Keyfactor's CertCentral
// plugin sends (signing, key_management, dual_use).

// indicatorsFor are the common_name_indicator values per product ([SBR]
// 7.1.4.2.2(a): sponsor-validated: personal name, pseudonym or mailbox;
// organization-validated: the organization's name or mailbox).
var indicatorsFor = map[string][]string{
	"secure_email_sponsor":      {"given_name_surname", "pseudonym", "email_address"},
	"secure_email_organization": {"organization_name", "email_address"},
}

// secureEmail checks a Secure Email order body and fills in the record's
// emails and common name.
func (c *checker) secureEmail(p *product, o *record, orgName string) {
	emails := c.strs("certificate.emails", true)
	for _, e := range emails {
		if !validEmail(e) {
			c.invalid("certificate.emails")
			break
		}
	}
	o.Emails = emails
	if len(emails) > 0 {
		o.CommonName = emails[0]
	}
	// [TLM]: the common name comes from the indicator, not the body.
	if _, given := c.str("certificate.common_name", false); given {
		c.invalid("certificate.common_name")
	}
	// [SE]: profile_type multipurpose or strict; strict when omitted.
	profile := "strict"
	if pt, ok := c.str("certificate.profile_type", false); ok {
		c.oneOf("certificate.profile_type", pt, false, "strict", "multipurpose")
		profile = pt
	}
	c.usage(profile)

	if p.id == "secure_email_mailbox" {
		return // [SE]: common_name_indicator ignored, individual unused
	}
	ind, ok := c.str("certificate.common_name_indicator", true)
	if !ok {
		return
	}
	if !slices.Contains(indicatorsFor[p.id], ind) {
		c.invalid("certificate.common_name_indicator")
		return
	}
	switch ind {
	case "organization_name":
		o.CommonName = orgName
		return
	case "email_address":
		if p.id == "secure_email_organization" {
			return
		}
	}
	// secure_email_sponsor: the individual object, always.
	if _, present := c.get("certificate.individual"); !present {
		c.missing("certificate.individual")
		return
	}
	c.object("certificate.individual")
	first, hasFirst := c.str("certificate.individual.first_name", false)
	last, hasLast := c.str("certificate.individual.last_name", false)
	pseudo, hasPseudo := c.str("certificate.individual.pseudonym", false)
	switch {
	case ind == "pseudonym" || ind == "email_address" && hasPseudo && !hasFirst && !hasLast:
		if !hasPseudo {
			c.missing("certificate.individual.pseudonym")
		}
		if ind == "pseudonym" {
			o.CommonName = pseudo
		}
	default:
		if !hasFirst {
			c.missing("certificate.individual.first_name")
		}
		if !hasLast {
			c.missing("certificate.individual.last_name")
		}
		if ind == "given_name_surname" {
			o.CommonName = first + " " + last
		}
	}
}

// usage checks certificate.usage_designation: [SE] a required primary
// use; the additional uses [PROF] lists, each allowed only where [PROF]
// (the profile) and [SBR] 7.1.2.3(e) (the primary use) allow it.
func (c *checker) usage(profile string) {
	c.object("certificate.usage_designation")
	primary, _ := c.str("certificate.usage_designation.primary_usage", true)
	if primary != "" {
		c.oneOf("certificate.usage_designation.primary_usage", primary, false, "signing", "key_management", "dual_use")
	}
	for _, u := range c.strs("certificate.usage_designation.additional_usages", false) {
		ok := false
		switch u {
		case "non_repudiation":
			ok = primary == "signing" || primary == "dual_use"
		case "data_encipherment":
			ok = profile == "multipurpose" && (primary == "key_management" || primary == "dual_use")
		case "client_auth":
			ok = profile == "multipurpose"
		}
		if !ok {
			c.invalid("certificate.usage_designation.additional_usages")
		}
	}
}

// secureEmailUsage sets an issued Secure Email certificate's key usages
// from the order ([SE]: "The primary use determines the values DigiCert
// includes in the certificate's key usage (KU) extension"; additional
// uses add to the KU and EKU; the EKU holds email protection by default).
func secureEmailUsage(t *x509.Certificate, body map[string]any) {
	t.KeyUsage = 0
	switch lookup(body, "certificate.usage_designation.primary_usage") {
	case "signing":
		t.KeyUsage = x509.KeyUsageDigitalSignature
	case "key_management":
		t.KeyUsage = x509.KeyUsageKeyEncipherment
	default:
		t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	}
	t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	for _, u := range stringsAt(body, "certificate.usage_designation.additional_usages") {
		switch u {
		case "non_repudiation":
			t.KeyUsage |= x509.KeyUsageContentCommitment
		case "data_encipherment":
			t.KeyUsage |= x509.KeyUsageDataEncipherment
		case "client_auth":
			t.ExtKeyUsage = append(t.ExtKeyUsage, x509.ExtKeyUsageClientAuth)
		}
	}
}
