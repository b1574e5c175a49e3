package cli

import (
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
)

// ValidateOptions are the flags and dependencies of `certbatch validate`.
type ValidateOptions struct {
	IO    IO
	Flags commonFlags
	Input string
	// CheckAccount runs the account pre-flight (--check-account) through API.
	CheckAccount bool
	API          apiFlags
	// JSON prints the summary as one JSON object on stdout (--json).
	JSON bool
}

func newValidateCmd(sio IO) *cobra.Command {
	o := &ValidateOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "validate INPUT",
		Short: "Dry run: map and validate every row, write the results file, send nothing",
		Long: `Dry run: reads INPUT (.csv or .xlsx), maps every row to a CertCentral order
through the product template and the config, checks every rule, and writes
the results file with each row's outcome (valid or invalid) and all of its
problems. Nothing is sent to DigiCert.

` + exitTable(),
		Example: `  certbatch validate staff.xlsx --config batch.yaml
  certbatch validate staff.csv --product client_premium_sha2 --encoding cp949 -o check.csv --payloads bodies.jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Input = args[0]
			return runValidate(cmd, o)
		},
	}
	o.Flags.add(cmd)
	o.API.add(cmd)
	addJSONFlag(cmd, &o.JSON)
	cmd.Flags().BoolVar(&o.CheckAccount, "check-account", false, "also check the account with a few read-only requests (needs the API key; orders nothing): the key, the products, the organization and container IDs")
	return cmd
}

func runValidate(cmd *cobra.Command, o *ValidateOptions) error {
	p := o.IO.P()
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(p, o.Input)
	if err != nil {
		return err
	}
	o.Flags.hintDeprecated(o.IO, log, &src)
	if o.CheckAccount {
		if err := src.Check(); err != nil {
			return err
		}
		// The key's rate budget is shared: through a shared journal, or a
		// file in the state directory (the journal's folder without one).
		loc, _ := o.API.journalPath(o.IO)
		conn, err := o.API.connect(o.IO, log, loc)
		if err != nil {
			return err
		}
		defer conn.close()
		if _, err := accountPreflight(cmd.Context(), p, o.IO.Err, conn, &src); err != nil {
			return err
		}
	}
	out, err := o.Flags.resultsPath(o.IO, &src)
	if err != nil {
		return err
	}
	// With a journal at hand the dry run says who submit would skip.
	j := openJournalToRead(o.API, o.IO, log)
	if j != nil {
		defer j.Close()
	}
	sum, err := pipeline.Validate(cmd.Context(), pipeline.ValidateOptions{
		Source:   src,
		Output:   out,
		Payloads: o.Flags.payloads,
		Progress: o.Flags.progress(o.IO, log, "validating"),
		Log:      log,
		Journal:  j,
	})
	if err != nil {
		return err
	}
	if o.JSON {
		printSummaryJSON(o.IO.Out, "validate", sum)
	} else {
		printSummary(p, o.IO.Out, "validate", sum)
	}
	return outcomeExit(sum)
}

// openJournalToRead opens, read-only, the journal submit would use with
// these flags, when it exists; nil when there is none. One that cannot
// be read is said (and the dry run goes on without it).
func openJournalToRead(a apiFlags, sio IO, log *slog.Logger) *journal.Journal {
	p, err := a.journalPath(sio)
	if err != nil || !p.exists() {
		return nil
	}
	opts := a.journalOptions(sio, p)
	opts.ReadOnly = true
	j, err := journal.Open(string(p), opts)
	if err != nil {
		log.Warn("the journal could not be read: the dry run does not say who would be skipped", "journal", p, "error", err)
		return nil
	}
	return j
}
