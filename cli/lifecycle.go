package cli

import (
	"bufio"
	"net"
	"strings"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
)

// Helpers shared by download and cancel: who a row is, which endpoint a
// client talks to, and asking for confirmation.

// who names the person of a row for people to read (and in the names of
// downloaded files): the row's email as the results file holds it
// (normalized, as the journal holds it), else the journal's email (or key) for its
// order, else the first cell that looks like an email, else "".
func who(j *journal.Journal, r *order.Result) string {
	if r.Email != "" {
		return order.NormalizeEmail(r.Email)
	}
	if j != nil && r.OrderID != 0 {
		if e, err := j.OrderOwner(r.OrderID); err == nil && e != nil {
			if e.Email != "" {
				return e.Email
			}
			if e.PersonKey != "" {
				return e.PersonKey
			}
		}
	}
	for _, c := range r.Input {
		if c = strings.TrimSpace(c); strings.Count(c, "@") == 1 && !strings.ContainsAny(c, " ;,") {
			return order.NormalizeEmail(c)
		}
	}
	return ""
}

// endpointKind says whether a client orders for real: "production" for
// DigiCert's hosts (www.digicert.com, certcentral.digicert.eu),
// "sandbox" for --sandbox and loopback hosts, else "unknown endpoint".
func endpointKind(c *certcentral.Client, sandboxFlag bool) string {
	host := strings.ToLower(c.Host())
	switch {
	case sandboxFlag:
		return "sandbox"
	case host == "www.digicert.com" || host == "certcentral.digicert.eu":
		return "production"
	case host == "localhost":
		return "sandbox"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return "sandbox"
	}
	return "unknown endpoint (not DigiCert's production hosts, not loopback)"
}

// confirm asks question on a terminal unless yes; without a terminal it
// refuses with errNotConfirmed.
func confirm(sio IO, yes bool, question string) error {
	p := sio.P()
	if yes {
		return nil
	}
	if !sio.InTTY {
		return l10n.Errorf("%w: no terminal to confirm on; pass --yes to go ahead without asking", errNotConfirmed)
	}
	p.Fprintf(sio.Err, "%s Type yes to continue: ", question)
	flushLine(sio.Err)
	line, _ := bufio.NewReader(sio.In).ReadString('\n')
	if strings.ToLower(strings.TrimSpace(line)) != "yes" {
		return errNotConfirmed
	}
	return nil
}
