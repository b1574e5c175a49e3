package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/termtable"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// ExpiringOptions are the flags and dependencies of `certbatch expiring`.
type ExpiringOptions struct {
	IO     IO
	API    apiFlags
	Within string
	Output string
	Log    logFlags
}

func newExpiringCmd(sio IO) *cobra.Command {
	o := &ExpiringOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "expiring --within 60d",
		Short: "List the certificates that expire soon, by person",
		Long: `Lists every issued certificate of the account that expires between today and
--within, soonest first, by person: the journal names the people it ordered,
DigiCert's order info the others (S/MIME orders only; cached in the journal).
It reads the order list through the documented filters[valid_till] filter,
checked against the expiring-orders report. Without -o it prints a table;
-o FILE.xlsx or FILE.csv writes a workbook. Nothing is changed at DigiCert.`,
		Example: `  certbatch expiring --within 60d
  certbatch expiring --within 90d -o expiring.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExpiring(cmd.Context(), o) },
	}
	o.API.add(cmd)
	f := cmd.Flags()
	f.StringVar(&o.Within, "within", "60d", "list certificates that expire within this `DURATION` from today: 60d, 8w, 1440h")
	f.StringVarP(&o.Output, "output", "o", "", "write a workbook `FILE` (.xlsx or .csv) instead of printing a table")
	o.Log.add(cmd, "no informational log lines")
	return cmd
}

func runExpiring(ctx context.Context, o *ExpiringOptions) error {
	p := o.IO.P()
	win, err := parseWithin(o.Within)
	if err != nil {
		return usageErrorf("--within %v", err)
	}
	if ext := strings.ToLower(filepath.Ext(o.Output)); o.Output != "" && ext != ".csv" && ext != ".xlsx" {
		return usageErrorf("-o %s: want a .csv or .xlsx file", o.Output)
	}
	log, err := o.Log.logger(o.IO)
	if err != nil {
		return err
	}
	j, sp, err := o.API.writableJournal(o.IO)
	if err != nil {
		return err
	}
	defer j.Close()
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	set, err := loadTemplates(nil)
	if err != nil {
		return err
	}
	certs, _, err := pipeline.ExpiringReport(ctx, conn.client, j, set, time.Now(), win, o.API.concurrency)
	if err != nil {
		return l10n.Errorf("expiring: %w", err)
	}
	if o.Output != "" {
		if err := results.WriteTable(o.Output, "Expiring", pipeline.ExpiringHeader, pipeline.ExpiringRows(certs)); err != nil {
			return err
		}
		p.Fprintf(o.IO.Out, "expiring: %d certificates expiring within %s written to %s\n", len(certs), o.Within, o.Output)
		return nil
	}
	return expiringTable(p, o.IO.Out, certs, o.Within)
}

// expiringTable prints the report as a table.
func expiringTable(p l10n.Printer, w io.Writer, certs []pipeline.ExpiringCert, within string) error {
	tw := termtable.New(w)
	p.Fprintf(tw, "PERSON\tKEY\tPRODUCT\tORDER\tCERTIFICATE\tVALID TILL\tDAYS LEFT\tRENEWED\n")
	for _, c := range certs {
		renewed := ""
		if c.Renewed {
			renewed = p.Sprintf("yes")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%d\t%s\n", cmp.Or(c.Email, p.Sprintf("(unnamed: %s)", c.CommonName)), c.Key, c.Product, c.OrderID,
			order.ID(c.CertificateID), c.ValidTill.Format(time.DateOnly), c.DaysLeft, renewed)
	}
	if len(certs) == 0 {
		p.Fprintf(tw, "(no certificate expires within %s)\n", within)
	}
	return tw.Flush()
}
