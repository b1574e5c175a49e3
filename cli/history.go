package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/termtable"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// HistoryOptions are the flags of `certbatch history`.
type HistoryOptions struct {
	IO    IO
	State string
	// Journal is --journal: a file or a postgres:// URL (--state is the
	// same flag under its older name).
	Journal string
	// Sandbox is --sandbox: the sandbox runs' journal.
	Sandbox bool
	Email   string
	Key     string
	Batch   string
	Since   string
	Output  string
	All     bool
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
	addReadJournalFlags(cmd, &o.Journal, &o.State, &o.Sandbox)
	f.StringVar(&o.Email, "email", "", "only this person's `ADDRESS`")
	f.StringVar(&o.Key, "key", "", "only this key column `VALUE` (an employee ID)")
	f.StringVar(&o.Batch, "batch", "", "only this batch `ID`")
	f.StringVar(&o.Since, "since", "", "only orders since `DATE` (yyyy-MM-dd)")
	f.BoolVar(&o.All, "all", false, "also list rejected, failed and uncertain attempts")
	f.StringVarP(&o.Output, "output", "o", "", "write to `FILE` (.csv or .xlsx) instead of a table on stdout")
	return cmd
}

func runHistory(o *HistoryOptions) error {
	p := o.IO.P()
	f := journal.HistoryFilter{Email: o.Email, Key: o.Key, Batch: o.Batch}
	if o.Since != "" {
		t, err := time.Parse("2006-01-02", o.Since)
		if err != nil {
			return usageErrorf("--since %q: want a date like 2026-10-01", o.Since)
		}
		f.Since = t
	}
	sp, err := readPath(o.Journal, o.State, o.Sandbox, o.IO)
	if err != nil {
		return err
	}
	j, err := journal.Open(string(sp), journal.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer j.Close()
	hs, err := j.History(f)
	if err != nil {
		return err
	}
	rows := pipeline.HistoryRows(hs, o.All)
	switch strings.ToLower(filepath.Ext(o.Output)) {
	case "":
		return historyTable(p, o.IO.Out, rows)
	case ".csv", ".xlsx":
		if err := pipeline.ExportHistory(o.Output, rows); err != nil {
			return err
		}
	default:
		return usageErrorf("-o %s: want a .csv or .xlsx file", o.Output)
	}
	p.Fprintf(o.IO.Out, "history: %d entries written to %s\n", len(rows), o.Output)
	return nil
}

// historyTable prints history rows (in pipeline.HistoryHeader order) as a table.
func historyTable(p l10n.Printer, w io.Writer, rows [][]any) error {
	tw := termtable.New(w)
	p.Fprintf(tw, "WHEN\tBATCH\tROW\tPRODUCT\tEMAIL\tSTATE\tORDER\tCERTIFICATE\tSTATUS\n")
	for _, r := range rows {
		state := r[7].(string)
		if r[13].(bool) {
			state += p.Sprintf(" (recovered)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r[0], r[1], r[2], oneLine(fmt.Sprint(r[3]), 40), oneLine(fmt.Sprint(r[4]), 80), state,
			order.ID(r[8].(int64)), order.ID(r[12].(int64)), oneLine(fmt.Sprint(r[11]), 20))
	}
	if len(rows) == 0 {
		p.Fprintf(tw, "(no orders match)\n")
	}
	return tw.Flush()
}
