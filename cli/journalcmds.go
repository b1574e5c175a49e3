package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gocarina/gocsv"
	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/certbatch/certbatch/internal/atomicfile"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

func init() {
	extraCommands = append(extraCommands, newReconcileCmd, newResultsCmd, newHistoryCmd)
}

// ReconcileOptions are the flags and dependencies of `certbatch reconcile`.
type ReconcileOptions struct {
	IO    IO
	API   apiFlags
	Quiet bool
}

func newReconcileCmd(sio IO) *cobra.Command {
	o := &ReconcileOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Resolve every journal entry whose order request got no answer",
		Long: `For every journal entry whose request was sent but never answered (a
timeout, a dropped connection, a 5xx, a killed run), asks CertCentral for
orders of the same product and email created since the request:
exactly one: it is adopted as the person's order; none: the entry is closed
and the next submit orders the person; several: the entry stays uncertain
and the order IDs are listed for a person to decide.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReconcile(cmd.Context(), o) },
	}
	o.API.add(cmd)
	cmd.Flags().BoolVarP(&o.Quiet, "quiet", "q", false, "no informational log lines")
	return cmd
}

func runReconcile(ctx context.Context, o *ReconcileOptions) error {
	cf := commonFlags{quiet: o.Quiet, logFormat: "text"}
	log, _ := cf.logger(o.IO)
	if !o.API.sandbox {
		if _, err := apiKey(o.API.apiKeyFile, o.IO); err != nil {
			return err
		}
	}
	sp := statePath(o.API.state, o.IO)
	if !fileExists(sp) {
		return usageErrorf("no journal at %s (pass --state or set CERTBATCH_STATE)", sp)
	}
	j, err := journal.Open(sp, journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	entries, err := j.Unresolved()
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(o.IO.Out, "reconcile: nothing to do: every request in the journal has an answer")
		return nil
	}
	conn, err := o.API.connect(o.IO, log)
	if err != nil {
		return err
	}
	defer conn.close()
	left := 0
	for i := range entries {
		e := &entries[i]
		who := fmt.Sprintf("%s %s (batch %s row %d)", e.Product, e.Email, e.Batch, e.Row)
		res, m, err := pipeline.Reconcile(ctx, conn.client, j, e)
		var jerr *pipeline.JournalError
		switch {
		case errors.As(err, &jerr):
			return err
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			left++
			fmt.Fprintf(o.IO.Out, "%s: still uncertain: %v\n", who, err)
		case res.State == journal.StateFailed:
			fmt.Fprintf(o.IO.Out, "%s: no order at DigiCert: the next submit orders it\n", who)
		case res.State == journal.StateOrdered:
			fmt.Fprintf(o.IO.Out, "%s: adopted order %d\n", who, m[0].ID)
		default:
			left++
			fmt.Fprintf(o.IO.Out, "%s: %s: decide by hand\n", who, res.Error)
		}
	}
	if left > 0 {
		return &exitError{code: ExitRowsRetry, err: fmt.Errorf("%d entries are still uncertain", left)}
	}
	return nil
}

// ResultsOptions are the flags of `certbatch results`.
type ResultsOptions struct {
	IO     IO
	State  string
	Batch  string
	Output string
}

func newResultsCmd(sio IO) *cobra.Command {
	o := &ResultsOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "results --batch ID -o OUT",
		Short: "Rebuild a batch's results workbook from the journal (after a crash)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runResults(o) },
	}
	cmd.Flags().StringVar(&o.State, "state", "", "order journal `FILE` (default $CERTBATCH_STATE, else ./certbatch.db)")
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch `ID` (see `certbatch history`; default: the latest batch)")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "results `FILE` (.xlsx or .csv; default <batch>.results.xlsx)")
	return cmd
}

func runResults(o *ResultsOptions) error {
	j, err := journal.Open(statePath(o.State, o.IO), journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer j.Close()
	if o.Batch == "" {
		bs, err := j.Batches()
		if err != nil {
			return err
		}
		if len(bs) == 0 {
			return usageErrorf("the journal has no batches")
		}
		o.Batch = bs[len(bs)-1].ID
	}
	b, err := j.Batch(o.Batch)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if o.Output == "" {
		o.Output = b.ID + ".results.xlsx"
	}
	recs, err := pipeline.BatchRecords(j, b)
	if err != nil {
		return err
	}
	w, err := results.Create(o.Output, b.Header)
	if err != nil {
		return err
	}
	defer w.Abort()
	counts := map[string]int{}
	for _, r := range recs {
		counts[r.Outcome]++
		if err := w.Write(r); err != nil {
			return err
		}
	}
	if err := w.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "results: batch %s (%s, %s): %d rows: %s. Results: %s\n", b.ID, b.Status, filepath.Base(b.Input), len(recs), countText(counts), o.Output)
	return nil
}

// HistoryOptions are the flags of `certbatch history`.
type HistoryOptions struct {
	IO     IO
	State  string
	Email  string
	Key    string
	Batch  string
	Since  string
	Output string
	All    bool
}

func newHistoryCmd(sio IO) *cobra.Command {
	o := &HistoryOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "history [--email ADDR] [--key K] [--batch ID] [--since DATE] [-o OUT.csv|.xlsx]",
		Short: "List what was ordered, when, in which batch (the audit trail)",
		Example: `  certbatch history --email jane.doe@example.com
  certbatch history --since 2026-10-01 -o october.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runHistory(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.State, "state", "", "order journal `FILE` (default $CERTBATCH_STATE, else ./certbatch.db)")
	f.StringVar(&o.Email, "email", "", "only this person's `ADDRESS`")
	f.StringVar(&o.Key, "key", "", "only this key column `VALUE` (an employee ID)")
	f.StringVar(&o.Batch, "batch", "", "only this batch `ID`")
	f.StringVar(&o.Since, "since", "", "only orders since `DATE` (yyyy-MM-dd)")
	f.BoolVar(&o.All, "all", false, "also list rejected, failed and uncertain attempts")
	f.StringVarP(&o.Output, "output", "o", "", "write to `FILE` (.csv or .xlsx) instead of a table on stdout")
	return cmd
}

// historyRow is one line of `certbatch history` output.
type historyRow struct {
	When          string `csv:"when"`
	Batch         string `csv:"batch"`
	Row           int    `csv:"row"`
	Product       string `csv:"product"`
	Email         string `csv:"email"`
	CommonName    string `csv:"common_name"`
	Identity      string `csv:"identity"`
	State         string `csv:"state"`
	OrderID       string `csv:"order_id"`
	RequestID     string `csv:"request_id"`
	RequestStatus string `csv:"request_status"`
	OrderStatus   string `csv:"order_status"`
	CertificateID string `csv:"certificate_id"`
	Recovered     bool   `csv:"recovered"`
	Error         string `csv:"error"`
}

func runHistory(o *HistoryOptions) error {
	f := journal.HistoryFilter{Email: o.Email, Key: o.Key, Batch: o.Batch}
	if o.Since != "" {
		t, err := time.Parse("2006-01-02", o.Since)
		if err != nil {
			return usageErrorf("--since %q: want a date like 2026-10-01", o.Since)
		}
		f.Since = t
	}
	j, err := journal.Open(statePath(o.State, o.IO), journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer j.Close()
	hs, err := j.History(f)
	if err != nil {
		return err
	}
	var rows []*historyRow
	for _, h := range hs {
		if !o.All && h.State != journal.StateOrdered {
			continue
		}
		rows = append(rows, &historyRow{When: h.When.UTC().Format(time.RFC3339), Batch: h.Batch, Row: h.Row, Product: h.Product,
			Email: h.Email, CommonName: h.CommonName, Identity: h.Identity, State: string(h.State),
			OrderID: idOrEmpty(h.OrderID), RequestID: idOrEmpty(h.RequestID), RequestStatus: h.RequestStatus,
			OrderStatus: h.OrderStatus, CertificateID: idOrEmpty(h.CertificateID), Recovered: h.Recovered, Error: h.Error})
	}
	switch strings.ToLower(filepath.Ext(o.Output)) {
	case "":
		return historyTable(o.IO.Out, rows)
	case ".csv":
		af, err := atomicfile.Create(o.Output)
		if err != nil {
			return err
		}
		defer af.Abort()
		if err := gocsv.Marshal(rows, af); err != nil {
			return fmt.Errorf("write %s: %w", o.Output, err)
		}
		if err := af.Commit(); err != nil {
			return err
		}
	case ".xlsx":
		if err := historyXLSX(o.Output, rows); err != nil {
			return err
		}
	default:
		return usageErrorf("-o %s: want a .csv or .xlsx file", o.Output)
	}
	fmt.Fprintf(o.IO.Out, "history: %d entries written to %s\n", len(rows), o.Output)
	return nil
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func historyTable(w io.Writer, rows []*historyRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tBATCH\tROW\tPRODUCT\tEMAIL\tSTATE\tORDER\tCERTIFICATE\tSTATUS")
	for _, r := range rows {
		state := r.State
		if r.Recovered {
			state += " (recovered)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.When, r.Batch, r.Row, r.Product, r.Email, state, r.OrderID, r.CertificateID, r.OrderStatus)
	}
	if len(rows) == 0 {
		fmt.Fprintln(tw, "(no orders match)")
	}
	return tw.Flush()
}

func historyXLSX(path string, rows []*historyRow) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "History"
	x.SetSheetName("Sheet1", sheet)
	header := []any{"when", "batch", "row", "product", "email", "common_name", "identity", "state", "order_id", "request_id",
		"request_status", "order_status", "certificate_id", "recovered", "error"}
	if err := x.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for i, r := range rows {
		vals := []any{r.When, r.Batch, r.Row, r.Product, r.Email, r.CommonName, r.Identity, r.State, r.OrderID, r.RequestID,
			r.RequestStatus, r.OrderStatus, r.CertificateID, r.Recovered, r.Error}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	return atomicfile.WriteWith(path, func(w io.Writer) error {
		_, err := x.WriteTo(w)
		return err
	})
}

func init() { extraCommands = append(extraCommands, newPruneCmd) }

// PruneOptions are the flags of `certbatch prune`.
type PruneOptions struct {
	IO     IO
	State  string
	Before string
}

func newPruneCmd(sio IO) *cobra.Command {
	o := &PruneOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "prune --before DATE",
		Short: "Delete the input rows the journal keeps for old batches (orders stay)",
		Long: `The journal keeps every batch's input rows so that 'certbatch results --batch'
can rebuild a results file after a crash. That is personal data: prune
deletes the rows of batches started before DATE. What was ordered for whom
(the orders table) stays, because it is what stops a person being ordered
twice, and it is the audit trail ('certbatch history').`,
		Example: "  certbatch prune --before 2026-01-01",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runPrune(o) },
	}
	cmd.Flags().StringVar(&o.State, "state", "", "order journal `FILE` (default $CERTBATCH_STATE, else ./certbatch.db)")
	cmd.Flags().StringVar(&o.Before, "before", "", "delete rows of batches started before `DATE` (yyyy-MM-dd, required)")
	return cmd
}

func runPrune(o *PruneOptions) error {
	if o.Before == "" {
		return usageErrorf("--before DATE is required")
	}
	before, err := time.Parse("2006-01-02", o.Before)
	if err != nil {
		return usageErrorf("--before %q: want a date like 2026-01-01", o.Before)
	}
	sp := statePath(o.State, o.IO)
	if !fileExists(sp) {
		return usageErrorf("no journal at %s (pass --state or set CERTBATCH_STATE)", sp)
	}
	j, err := journal.Open(sp, journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	n, err := j.PruneRows(before)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "prune: deleted %d input rows of batches started before %s; orders and history are kept\n", n, o.Before)
	return nil
}
