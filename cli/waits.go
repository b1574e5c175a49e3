package cli

import (
	"fmt"
	"io"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// maxWaitLines bounds the lines printed per kind of wait.
const maxWaitLines = 20

// describeWaits prints, for every order still waiting, what it waits for
// and who can act, grouped by kind, and returns the counts by kind.
// With resend it says how to send a mailbox validation email again.
func describeWaits(p l10n.Printer, w io.Writer, resultsPath string, recs []order.Result, waits map[int64]pipeline.Wait, resend bool) map[string]int {
	counts := map[string]int{}
	byKind := map[pipeline.WaitKind][]string{}
	var mailbox []int64
	for i := range recs {
		r := &recs[i]
		wt, ok := waits[r.OrderID]
		if !ok || r.OrderID == 0 {
			continue
		}
		counts[string(wt.Kind)]++
		if wt.Kind == pipeline.WaitMailbox {
			mailbox = append(mailbox, r.OrderID)
		}
		byKind[wt.Kind] = append(byKind[wt.Kind], p.Sprintf("    row %-5d %-36s order %-10d %s", r.Row, rowEmail(r), r.OrderID, wt.Text(p)))
	}
	for _, k := range []pipeline.WaitKind{pipeline.WaitApprover, pipeline.WaitMailbox, pipeline.WaitPickup, pipeline.WaitDigiCert} {
		l := byKind[k]
		if len(l) == 0 {
			continue
		}
		switch k {
		case pipeline.WaitApprover:
			p.Fprintf(w, "%d orders wait for an approver: certbatch approve %s (or approve them in CertCentral)\n", len(l), resultsPath)
		case pipeline.WaitMailbox:
			p.Fprintf(w, "%d orders wait for the person to validate their mailbox from DigiCert's email\n", len(l))
		case pipeline.WaitPickup:
			p.Fprintf(w, "%d orders wait for the person to pick up the certificate in the browser\n", len(l))
		case pipeline.WaitDigiCert:
			p.Fprintf(w, "%d orders wait for DigiCert's validation (nothing to do here)\n", len(l))
		}
		for i, line := range l {
			if i == maxWaitLines {
				p.Fprintf(w, "    ... and %d more\n", len(l)-maxWaitLines)
				break
			}
			fmt.Fprintln(w, line)
		}
	}
	if resend {
		resendHelp(p, w, mailbox)
	}
	return counts
}

// resendHelp says how to send the validation emails again. DigiCert
// documents no Services API endpoint that resends a client
// certificate's email validation email: the email validation status page
// (https://dev.digicert.com/certcentral-apis/services-api/orders/email-validation-status.html)
// reads the status only, the documented resend endpoints are for TLS
// domain validation (PUT /order/certificate/{id}/resend-emails, "DV SSL:
// Resend emails") and EV order approval (.../order-approval/resend-emails),
// and DigiCert's guides resend client certificate emails from the order's
// page in CertCentral
// (https://docs.digicert.com/en/certcentral/order-and-manage-certificates/approve-certificate-requests-and-manage-order-level-access/resend-approval-and-certificate-issuance-emails.html).
// certbatch does not call an undocumented endpoint that sends email to
// people; it says where to click instead.
func resendHelp(p l10n.Printer, w io.Writer, orders []int64) {
	if len(orders) == 0 {
		p.Fprintf(w, "--resend: no order waits for its person's mailbox validation\n")
		return
	}
	p.Fprintf(w, "--resend: DigiCert documents no API that sends a client certificate's validation email again; in CertCentral, open each order (Certificates > Orders > order number) and resend the email from its Email Addresses section:")
	for i, id := range orders {
		if i == maxWaitLines {
			p.Fprintf(w, " ... and %d more", len(orders)-maxWaitLines)
			break
		}
		fmt.Fprintf(w, " %d", id)
	}
	fmt.Fprintln(w)
}
