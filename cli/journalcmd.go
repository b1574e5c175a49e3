package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
)

// JournalMigrateOptions are the flags of `certbatch journal migrate`.
type JournalMigrateOptions struct {
	IO IO
	// From is the SQLite journal to copy (--from; default: the
	// endpoint's journal in the state directory, as submit finds it).
	From string
	// To is the shared journal's URL (--to postgres://...).
	To string
	// BaseURL and Sandbox name the endpoint (as for submit): the default
	// --from, and the endpoint the shared journal is bound to.
	BaseURL string
	Sandbox bool
}

func newJournalCmd(sio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Manage the order journal (migrate an SQLite journal into a shared PostgreSQL one)",
		Args:  cobra.NoArgs,
	}
	o := &JournalMigrateOptions{IO: sio}
	migrate := &cobra.Command{
		Use:   "migrate --to postgres://user@host/db [--from FILE]",
		Short: "Copy an SQLite journal into a shared PostgreSQL journal (idempotent, verified by counts)",
		Long: `Copies every batch, order attempt, row record, download, certificate chain
and cached account order of an SQLite journal into the PostgreSQL journal at
--to (creating its tables on first use), in one transaction, and then looks
every record up in it: the counts must match. Running it again copies only
what is new (an attempt answered since is brought up to date), so every
admin of a team can bring the journal they have. Run it while no submit
uses the SQLite journal (it takes its lock).`,
		Example: `  certbatch journal migrate --to postgres://certbatch@db.corp.example/certbatch?sslmode=verify-full
  certbatch journal migrate --from old.db --to "$CERTBATCH_JOURNAL"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runJournalMigrate(cmd.Context(), o) },
	}
	f := migrate.Flags()
	f.StringVar(&o.To, "to", "", "the shared journal: postgres://user@host/db (required; the password is best in PGPASSWORD or ~/.pgpass)")
	f.StringVar(&o.From, "from", "", "the SQLite journal `FILE` (default: the endpoint's journal in the state directory)")
	f.StringVar(&o.BaseURL, "base-url", "", "the endpoint `URL` the journals are for (default $DIGICERT_BASE_URL, else "+certcentral.DefaultBaseURL+")")
	f.BoolVar(&o.Sandbox, "sandbox", false, "the journals of the built-in sandbox")
	migrate.MarkFlagRequired("to")
	cmd.AddCommand(migrate)
	return cmd
}

func runJournalMigrate(ctx context.Context, o *JournalMigrateOptions) error {
	p := o.IO.P()
	to := journalLoc(o.To)
	if !to.shared() {
		return usageErrorf("--to %s: want a postgres:// URL (the shared journal)", to)
	}
	api := &apiFlags{baseURL: o.BaseURL, sandbox: o.Sandbox, state: o.From}
	from, err := api.journalPath(o.IO)
	if err != nil {
		return err
	}
	if o.From == "" {
		// journalPath took $CERTBATCH_JOURNAL or the state directory.
		if from.shared() {
			return usageErrorf("the journal to copy is %s, a shared one: pass --from FILE", from)
		}
	}
	if from.shared() {
		return usageErrorf("--from %s: want an SQLite journal file", from)
	}
	if !from.exists() {
		return usageErrorf("no journal at %s to copy (pass --from FILE)", from)
	}
	src, err := journal.Open(string(from), journal.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := journal.Open(string(to), journal.Options{Endpoint: api.endpoint(o.IO)})
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := journal.Copy(ctx, dst, src)
	if err != nil {
		return err
	}
	var parts []string
	ok := true
	for _, c := range counts {
		part := p.Sprintf("%s %d (%d new)", strings.ReplaceAll(c.Table, "_", " "), c.Source, c.New)
		if c.Updated > 0 {
			part = p.Sprintf("%s %d (%d new, %d updated)", strings.ReplaceAll(c.Table, "_", " "), c.Source, c.New, c.Updated)
		}
		parts = append(parts, part)
		if c.Present != c.Source {
			ok = false
			p.Fprintf(o.IO.Err, "journal migrate: %s: %d of %d records of %s are not in %s\n", c.Table, c.Source-c.Present, c.Source, from, to)
		}
	}
	p.Fprintf(o.IO.Out, "journal migrate: %s -> %s: %s\n", from, to, strings.Join(parts, ", "))
	if !ok {
		return l10n.Errorf("journal migrate: the copy is incomplete; nothing in %s was changed, run it again", from)
	}
	p.Fprintf(o.IO.Out, "journal migrate: verified: every record of %s is in %s\n", from, to)
	return nil
}
