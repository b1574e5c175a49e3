package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
)

// ReconcileOptions are the flags and dependencies of `certbatch reconcile`.
type ReconcileOptions struct {
	IO  IO
	API apiFlags
	Log logFlags
	// JSON prints the outcome as one JSON object on stdout (--json).
	JSON bool
}

// JSONReconcile is what `reconcile --json` prints: one JSON object on
// one line of stdout.
type JSONReconcile struct {
	// Command is "reconcile".
	Command string `json:"command"`
	// Entries are the journal entries that had no answer, each with
	// what became of it.
	Entries []JSONReconcileEntry `json:"entries"`
	// Adopted, NoOrder and Uncertain count the entries by result.
	Adopted   int `json:"adopted"`
	NoOrder   int `json:"no_order"`
	Uncertain int `json:"uncertain"`
	// ExitCode is the process's exit code and ExitMeaning its line of
	// the exit code table.
	ExitCode    int    `json:"exit_code"`
	ExitMeaning string `json:"exit_meaning"`
}

// JSONReconcileEntry is one entry of [JSONReconcile].
type JSONReconcileEntry struct {
	Batch   string `json:"batch"`
	Row     int    `json:"row"`
	Product string `json:"product"`
	Email   string `json:"email"`
	// Result is "adopted" (the order found is the person's: OrderID),
	// "no_order" (the next submit orders the person) or "uncertain"
	// (Error says why: decide by hand, or run again).
	Result  string `json:"result"`
	OrderID int64  `json:"order_id"`
	Error   string `json:"error"`
}

func newReconcileCmd(sio IO) *cobra.Command {
	o := &ReconcileOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Resolve every journal entry whose order request got no answer",
		Long: `For every journal entry whose request was sent but never answered (a
timeout, a dropped connection, a 5xx, a killed run), walks CertCentral's
order list newest first back past the request (in DigiCert's clock, from
the Date header of its answers) and confirms each order of the same
product with its order info: one naming the person's email, or, where
order info names no email (every product but S/MIME), one listed under the
person's name. Exactly one: it is adopted as the person's order; none: the
whole account is asked whether the person has an active order anywhere,
which is adopted, and only when there is none is the entry closed for the
next submit to order the person; several, or orders DigiCert does not say
whose they are: the entry stays uncertain and the order IDs are listed for
a person to decide.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReconcile(cmd.Context(), o) },
	}
	o.API.add(cmd)
	o.Log.add(cmd, "no informational log lines")
	addJSONFlag(cmd, &o.JSON)
	return cmd
}

func runReconcile(ctx context.Context, o *ReconcileOptions) error {
	p := o.IO.P()
	log, err := o.Log.logger(o.IO)
	if err != nil {
		return err
	}
	if err := o.API.needKey(o.IO); err != nil {
		return err
	}
	sp, err := o.API.journalPath(o.IO)
	if err != nil {
		return err
	}
	j, err := openExisting(sp, o.API.journalOptions(o.IO, sp))
	if err != nil {
		return err
	}
	defer j.Close()
	entries, err := j.Unresolved()
	if err != nil {
		return err
	}
	js := JSONReconcile{Command: "reconcile", Entries: []JSONReconcileEntry{}}
	if len(entries) == 0 {
		if o.JSON {
			js.ExitMeaning = exitMeaning(ExitOK)
			writeJSONLine(o.IO.Out, js)
			return nil
		}
		p.Fprintf(o.IO.Out, "reconcile: nothing to do: every request in the journal has an answer\n")
		return nil
	}
	// Text lines go to stdout, or to stderr when stdout is the JSON object.
	lines := o.IO.Out
	if o.JSON {
		lines = o.IO.Err
	}
	conn, err := o.API.connect(o.IO, log, sp)
	if err != nil {
		return err
	}
	defer conn.close()
	set, err := loadTemplates(nil)
	if err != nil {
		return err
	}
	finder := pipeline.NewOrderFinder(conn.client, set, j)
	names := pipeline.NamesOf(entries)
	left := 0
	for i := range entries {
		e := &entries[i]
		who := p.Sprintf("%s %s (batch %s row %d)", e.Product, e.Email, e.Batch, e.Row)
		res, err := pipeline.Reconcile(ctx, p, finder, j, e, o.API.settle, names)
		je := JSONReconcileEntry{Batch: e.Batch, Row: e.Row, Product: e.Product, Email: e.Email, Result: "uncertain"}
		var jerr *pipeline.JournalError
		switch {
		case errors.As(err, &jerr):
			return err
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			left++
			je.Error = err.Error()
			linef(p, lines, "%s: still uncertain: %v\n", who, err)
		case res.State == journal.StateFailed:
			je.Result = "no_order"
			js.NoOrder++
			p.Fprintf(lines, "%s: no order at DigiCert: the next submit orders it\n", who)
		case res.State == journal.StateOrdered:
			je.Result, je.OrderID = "adopted", res.OrderID
			js.Adopted++
			p.Fprintf(lines, "%s: adopted order %d\n", who, res.OrderID)
		default:
			left++
			je.Error = res.Error
			linef(p, lines, "%s: %s: decide by hand\n", who, res.Error)
		}
		js.Entries = append(js.Entries, je)
	}
	var exit error
	if left > 0 {
		exit = &exitError{code: ExitRowsRetry, err: l10n.Errorf("%d entries are still uncertain", left)}
	}
	if o.JSON {
		js.Uncertain = left
		js.ExitCode = exitCode(ctx, exit)
		js.ExitMeaning = exitMeaning(js.ExitCode)
		writeJSONLine(o.IO.Out, js)
	}
	return exit
}
