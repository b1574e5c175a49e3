package results

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"strconv"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/order"
)

// refreshes holds refreshed answers by order ID, applied at Commit to the
// rows already written for those orders (see Writer.Refresh).
type refreshes map[int64]order.Answer

func (r *refreshes) add(as []order.Answer) {
	if *r == nil {
		*r = refreshes{}
	}
	for _, a := range as {
		if a.OrderID != 0 {
			(*r)[a.OrderID] = a
		}
	}
}

// patch applies the refreshed answer of the order orderID (a row's
// order_id cell) through set, column by column.
func (r refreshes) patch(orderID string, set func(col int, v string)) {
	if len(r) == 0 || orderID == "" {
		return
	}
	id, err := strconv.ParseInt(orderID, 10, 64)
	if err != nil {
		return
	}
	a, ok := r[id]
	if !ok {
		return
	}
	if a.RequestStatus != "" {
		set(colRequestStatus, a.RequestStatus)
	}
	if a.OrderStatus != "" {
		set(colOrderStatus, a.OrderStatus)
	}
	if a.CertificateID != 0 {
		set(colCertificateID, strconv.FormatInt(a.CertificateID, 10))
	}
}

// patchCSV rewrites the CSV records in src into dst with the refreshes
// applied. Cells are copied as written (their formula escaping is kept);
// only the status and certificate cells of refreshed orders change.
func patchCSV(src io.Reader, dst *csvRecords, r refreshes) error {
	br := bufio.NewReader(src)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return l10n.Errorf("refresh statuses: %w", err)
		}
		if !first && len(rec) > colCertificateID {
			r.patch(rec[colOrderID], func(col int, v string) { rec[col] = v })
		}
		first = false
		if err := dst.write(rec); err != nil {
			return err
		}
	}
}

// reopen opens the file at name for reading.
func reopen(name string) (*os.File, error) { return os.Open(name) }
