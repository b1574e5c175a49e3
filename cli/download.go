package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/spf13/cobra"

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

Exit status: 0 every issued certificate is in DIR; 4 some orders are not
issued yet or a download failed (run again later); 3 a file in DIR holds
a different certificate; 2 usage, key refused.`,
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
	o.Log.add(cmd, "no informational log lines")
	cmd.MarkFlagRequired("dir")
	return cmd
}

func runDownload(ctx context.Context, o *DownloadOptions) error {
	if o.Format != pipeline.FormatPEM && o.Format != pipeline.FormatP7B {
		return usageErrorf("--format must be pem or p7b, not %q", o.Format)
	}
	// The status refresh and the downloads are status's, with --download.
	so := &StatusOptions{IO: o.IO, API: o.API, Output: o.Output, Log: o.Log, Results: o.Results}
	return runStatusDownload(ctx, so, o.Dir, o.Format)
}

// openJournalForUpdates opens the journal at path for writing when it
// exists; a journal another run holds is skipped with a warning (the
// refresh and downloads still happen, unrecorded).
func openJournalForUpdates(path string, log *slog.Logger) *journal.Journal {
	if !fileExists(path) {
		return nil
	}
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		log.Warn("journal not updated", "state", path, "error", err)
		return nil
	}
	return j
}

// downloadInto downloads the issued certificates of recs into dir and
// prints what happened; the error is the run's exit.
func downloadInto(ctx context.Context, w io.Writer, conn *connection, j *journal.Journal, recs []order.Result, dir, format string, concurrency int) (error, error) {
	items, err := pipeline.DownloadCertificates(ctx, pipeline.DownloadOptions{Client: conn.client, Journal: j, Dir: dir, Format: format,
		Concurrency: concurrency, Who: func(r *order.Result) string { return who(j, r) }}, recs)
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
				st = "status unknown"
			}
			if it.Waiting() {
				waiting++
				linef(w, "row %d: order %d is %s: not issued yet\n", it.Row, it.OrderID, st)
			} else {
				linef(w, "row %d: order %d is %s: no certificate to download\n", it.Row, it.OrderID, st)
			}
		case pipeline.Conflict, pipeline.NotGot:
			linef(w, "row %d: order %d: %s\n", it.Row, it.OrderID, it.Error)
		}
	}
	fmt.Fprintf(w, "download: %d written (%d from the order's own answer), %d already there, %d not issued yet, %d with no certificate, %s, %d failed. Directory: %s\n",
		counts[pipeline.Written], fromAnswer, counts[pipeline.AlreadyIn], waiting, counts[pipeline.NotIssued]-waiting,
		plural(counts[pipeline.Conflict], "conflict", "conflicts"), counts[pipeline.NotGot], filepath.Clean(dir))
	var exit error
	switch {
	case counts[pipeline.Conflict] > 0:
		exit = &exitError{code: ExitRowsBad}
	case waiting+counts[pipeline.NotGot] > 0:
		exit = &exitError{code: ExitRowsRetry, err: fmt.Errorf("%s not in %s yet: run again later", isAre(waiting+counts[pipeline.NotGot], "certificate", "certificates"), dir)}
	}
	return exit, err
}

// writeResults writes recs to out with the file's input header.
func writeResults(f *results.File, out string) error { return f.Rewrite(out) }
