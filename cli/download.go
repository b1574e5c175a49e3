package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/results"
)

// DownloadOptions are the flags and dependencies of `certbatch download`.
type DownloadOptions struct {
	IO      IO
	API     apiFlags
	Dir     string
	Format  string
	Output  string
	Log     logFlags
	Results string
	// Handover is how generated keys are handed over (.p12, passwords).
	Handover handoverFlags
	// Wait and Interval poll the statuses first, as status --wait does.
	Wait, Interval time.Duration
}

func newDownloadCmd(sio IO) *cobra.Command {
	o := &DownloadOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "download RESULTS --dir DIR",
		Short: "Save every issued certificate of a results file into a directory",
		Long: `Refreshes the status of every ordered row of RESULTS (like 'status'), then
writes each issued row's certificate into DIR, one file per row named after
its row number and person, e.g. row-0007_jane.doe@example.com.pem (mode
0600, written atomically). A file that already holds the same certificate
is skipped; one that holds anything else is never overwritten. A
certificate that came back with the order (issued at once) is written from
the journal without another request. Each download is recorded in the
journal and noted in the row's note ("downloaded: FILE"); RESULTS is
written again. Rows not issued yet are listed with their status.

--format pem (default): the certificate, its intermediates and the root
(DigiCert's pem_all); --format p7b: a PKCS #7 bundle.

With --wait D the statuses are polled first until every order is final
or D has passed, riding out outages as 'status --wait' does.

Rows whose key certbatch generated (submit --key-method generate) also
get a .p12 beside the certificate (row-0007_jane.doe@example.com.p12):
the key, the certificate and the chain, encrypted with AES-256 (PBKDF2)
under a fresh random password; the passwords go to --passwords FILE
(default DIR.passwords.csv beside DIR), for another channel. Once a .p12
is written the key's encrypted copy is destroyed: a .p12 is made once.

Exit status: 0 every issued certificate is in DIR; 4 some orders are not
issued yet, a download failed or CertCentral could not be reached (run
again later); 3 a file in DIR holds a different certificate; 2 usage,
key refused.`,
		Example: `  certbatch download staff.results.xlsx --dir certs/
  certbatch status staff.results.xlsx --wait 2h --download certs/   # cron: wait, then hand over`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Results = args[0]
			return runDownload(cmd.Context(), o)
		},
	}
	o.API.add(cmd)
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "directory `DIR` the certificate files go into (created when missing)")
	f.StringVar(&o.Format, "format", pipeline.FormatPEM, "file format: pem or p7b")
	f.StringVarP(&o.Output, "output", "o", "", "write the results to `FILE` (default: replace RESULTS)")
	f.DurationVar(&o.Wait, "wait", 0, "first poll until every order is final or this `DURATION` has passed (riding out outages), as status --wait")
	f.DurationVar(&o.Interval, "interval", 15*time.Second, "time between polls with --wait")
	o.Log.add(cmd, "no informational log lines")
	o.Handover.add(cmd)
	cmd.MarkFlagRequired("dir")
	return cmd
}

func runDownload(ctx context.Context, o *DownloadOptions) error {
	if o.Format != pipeline.FormatPEM && o.Format != pipeline.FormatP7B {
		return usageErrorf("--format must be pem or p7b, not %q", o.Format)
	}
	// The status refresh and the downloads are status's, with --download.
	so := &StatusOptions{IO: o.IO, API: o.API, Output: o.Output, Log: o.Log, Results: o.Results, Handover: o.Handover, Wait: o.Wait, Interval: o.Interval}
	return runStatusDownload(ctx, so, o.Dir, o.Format)
}

// openJournalForUpdates opens the journal at path for writing when it
// exists; a journal another run holds is skipped with a warning (the
// refresh and downloads still happen, unrecorded).
func openJournalForUpdates(loc journalLoc, opts journal.Options, log *slog.Logger) *journal.Journal {
	if !loc.exists() {
		return nil
	}
	j, err := journal.Open(string(loc), opts)
	if err != nil {
		log.Warn("journal not updated", "journal", loc, "error", err)
		return nil
	}
	return j
}

// downloadInto downloads the issued certificates of recs into dir and
// prints what happened; the error is the run's exit.
func downloadInto(ctx context.Context, p l10n.Printer, w io.Writer, conn *connection, j *journal.Journal, recs []order.Result, dir, format string, concurrency int,
	ho *pipeline.Handover) (error, error) {
	items, err := pipeline.DownloadCertificates(ctx, pipeline.DownloadOptions{Lang: p, Client: conn.client, Journal: j, Dir: dir, Format: format,
		Concurrency: concurrency, Who: func(r *order.Result) string { return who(j, r) }, Handover: ho}, recs)
	if ho != nil {
		if cerr := ho.Passwords.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	counts := map[pipeline.DownloadState]int{}
	fromAnswer, waiting := 0, 0
	for _, it := range items {
		counts[it.State]++
		if it.FromAnswer && it.State == pipeline.Written {
			fromAnswer++
		}
		switch it.State {
		case pipeline.NotIssued:
			st := it.Status
			if st == "" {
				st = p.Sprintf("status unknown")
			}
			if it.Waiting() {
				waiting++
				linef(p, w, "row %d: order %d is %s: not issued yet\n", it.Row, it.OrderID, st)
			} else {
				linef(p, w, "row %d: order %d is %s: no certificate to download\n", it.Row, it.OrderID, st)
			}
		case pipeline.Conflict, pipeline.NotGot:
			linef(p, w, "row %d: order %d: %s\n", it.Row, it.OrderID, it.Error)
		}
	}
	p.Fprintf(w, "download: %d written (%d from the order's own answer), %d already there, %d not issued yet, %d with no certificate, %d conflicts, %d failed. Directory: %s\n",
		counts[pipeline.Written], fromAnswer, counts[pipeline.AlreadyIn], waiting, counts[pipeline.NotIssued]-waiting,
		counts[pipeline.Conflict], counts[pipeline.NotGot], filepath.Clean(dir))
	p12 := reportP12(p, w, items, ho)
	var exit error
	switch {
	case p12[pipeline.P12Locked] > 0:
		exit = &exitError{code: ExitUsage, err: l10n.Errorf("%d generated keys could not be decrypted: pass --key-identity FILE with the age identity they were encrypted to", p12[pipeline.P12Locked])}
	case counts[pipeline.Conflict]+p12[pipeline.P12Conflict]+p12[pipeline.P12Mismatch]+p12[pipeline.P12Lost] > 0:
		exit = &exitError{code: ExitRowsBad}
	case p12[pipeline.P12Failed] > 0:
		exit = &exitError{code: ExitRowsRetry, err: l10n.Errorf("%d .p12 files are not written: run again", p12[pipeline.P12Failed])}
	case counts[pipeline.Conflict] > 0:
		exit = &exitError{code: ExitRowsBad}
	case waiting+counts[pipeline.NotGot] > 0:
		exit = &exitError{code: ExitRowsRetry, err: l10n.Errorf("%d certificates are not in %s yet: run again later", waiting+counts[pipeline.NotGot], dir)}
	}
	return exit, err
}

// reportP12 prints the .p12 hand-over's problems and counts, and returns
// the counts by state.
func reportP12(p l10n.Printer, w io.Writer, items []pipeline.DownloadItem, ho *pipeline.Handover) map[pipeline.P12State]int {
	n := map[pipeline.P12State]int{}
	for _, it := range items {
		if it.P12State == "" {
			continue
		}
		n[it.P12State]++
		if it.P12Error != "" {
			p.Fprintf(w, "row %d: order %d: %s\n", it.Row, it.OrderID, it.P12Error)
		}
	}
	if len(n) > 0 && ho != nil {
		p.Fprintf(w, "p12: %d written, %d already handed over, %d not made. Passwords: %s (send them apart from the .p12 files)\n",
			n[pipeline.P12Written], n[pipeline.P12Already]+n[pipeline.P12Gone],
			n[pipeline.P12Mismatch]+n[pipeline.P12Lost]+n[pipeline.P12Locked]+n[pipeline.P12Conflict]+n[pipeline.P12Failed], ho.Passwords.Path())
	}
	return n
}

// writeResults writes recs to out with the file's input header.
func writeResults(p l10n.Printer, f *results.File, out string) error {
	f.Meta.Lang = p // the file is written again in the run's language
	return f.Rewrite(out)
}
