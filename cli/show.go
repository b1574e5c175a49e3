package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/termtable"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/results"
)

func newShowCmd(sio IO) *cobra.Command {
	p := sio.P()
	return &cobra.Command{
		Use:   "show RESULTS",
		Short: "Print a results file as a table (row, outcome, who, product, IDs, statuses, note and error)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := results.Read(args[0])
			if err != nil {
				return usageErrorf("%v", err)
			}
			tw := termtable.New(sio.Out)
			p.Fprintf(tw, "ROW\tOUTCOME\tWHO\tPRODUCT\tORDER\tREQUEST\tREQ.STATUS\tORDER.STATUS\tCERTIFICATE\tNOTE / ERROR\n")
			// The table is tab-aligned; results.Outcome writes the outcome
			// words in the run's language.
			for _, r := range f.Records {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Row, oneLine(results.Outcome(p, r.Outcome), 20), oneLine(personText(r.Name, r.Email), 50),
					oneLine(r.Product, 40), order.ID(r.OrderID), order.ID(r.RequestID),
					oneLine(r.RequestStatus, 20), oneLine(r.OrderStatus, 20), order.ID(r.CertificateID), oneLine(noteAndError(r.Note, r.Error), 100))
			}
			return tw.Flush()
		},
	}
}

// oneLine is a table cell: white space (line breaks and tabs included,
// which would break the table) folded to single spaces, at most n
// characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// noteAndError is a row's note and error in one cell, "; " between
// them when both are there.
func noteAndError(note, err string) string {
	if note != "" && err != "" {
		return note + "; " + err
	}
	return note + err
}

// personText names a person for people to read: "Name <email>", or
// either alone.
func personText(name, email string) string {
	switch {
	case name != "" && email != "":
		return name + " <" + email + ">"
	case name != "":
		return name
	}
	return email
}
