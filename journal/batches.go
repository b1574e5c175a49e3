package journal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Batch is one run of submit.
type Batch struct {
	ID                    string // sortable and readable: 20261123T073310Z-3f9a
	StartedAt, FinishedAt time.Time
	Command, Input        string
	InputSHA256           string
	Header                []string // the input's column headers
	Status                string   // running | finished | interrupted
}

// Batch statuses.
const (
	BatchRunning     = "running"
	BatchFinished    = "finished"
	BatchInterrupted = "interrupted"
)

// BeginBatch records the start of a run (status running) and returns it.
func (j *Journal) BeginBatch(command, input, inputSHA256 string, header []string) (Batch, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return Batch{}, l10n.Errorf("journal: begin batch: %w", err)
	}
	var b Batch
	err = j.write("begin batch", func() error {
		for attempt := 0; ; attempt++ {
			now, err := j.Now(context.Background())
			if err != nil {
				return err
			}
			now = now.UTC()
			rb := make([]byte, 2)
			rand.Read(rb) // never fails (crypto/rand)
			b = Batch{ID: now.Format("20060102T150405Z") + "-" + hex.EncodeToString(rb), StartedAt: now, Command: command,
				Input: input, InputSHA256: inputSHA256, Header: header, Status: BatchRunning}
			_, err = j.exec("INSERT INTO batches(id, started_at, command, input, input_sha256, header, status) VALUES(?,?,?,?,?,?,?)",
				b.ID, ts(now), command, input, inputSHA256, string(h), b.Status)
			if err == nil {
				return nil
			}
			if !j.d.isUnique(err) || attempt == 9 {
				return j.fail("begin batch", err)
			}
			// Same second, same random suffix: draw again.
		}
	})
	if err != nil {
		return Batch{}, err
	}
	return b, nil
}

// FinishBatch records the end of a run with status finished or
// interrupted. An unknown id is an error wrapping ErrNotFound.
func (j *Journal) FinishBatch(id, status string) error {
	switch status {
	case BatchFinished, BatchInterrupted, BatchRunning:
	default:
		return l10n.Errorf("journal: finish batch %s: unknown status %q", id, status)
	}
	return j.write("finish batch", func() error {
		now, err := j.stamp()
		if err != nil {
			return err
		}
		res, err := j.exec("UPDATE batches SET finished_at=?, status=? WHERE id=?", now, status, id)
		if err != nil {
			return j.fail("finish batch "+id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return j.fail("finish batch "+id, err)
		} else if n == 0 {
			return l10n.Errorf("journal: finish batch %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

const batchCols = "id, started_at, finished_at, command, input, input_sha256, header, status"

func scanBatch(sc interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var started, finished sql.NullString
	var header string
	if err := sc.Scan(&b.ID, &started, &finished, &b.Command, &b.Input, &b.InputSHA256, &header, &b.Status); err != nil {
		return Batch{}, err
	}
	var err error
	if b.StartedAt, err = parseTS(started); err != nil {
		return Batch{}, err
	}
	if b.FinishedAt, err = parseTS(finished); err != nil {
		return Batch{}, err
	}
	if err := json.Unmarshal([]byte(header), &b.Header); err != nil {
		return Batch{}, l10n.Errorf("%w: batch %s: header: %v", ErrCorrupt, b.ID, err)
	}
	return b, nil
}

// Batch returns the batch with the given ID; an unknown ID is an error
// wrapping ErrNotFound.
func (j *Journal) Batch(id string) (Batch, error) {
	b, err := scanBatch(j.queryRow("SELECT "+batchCols+" FROM batches WHERE id=?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, l10n.Errorf("journal: batch %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Batch{}, j.fail("read batch "+id, err)
	}
	return b, nil
}

// Batches returns every batch, oldest first.
func (j *Journal) Batches() ([]Batch, error) {
	rows, err := j.db.Query("SELECT " + batchCols + " FROM batches ORDER BY started_at, id")
	if err != nil {
		return nil, j.fail("list batches", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, j.fail("list batches", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, j.fail("list batches", err)
	}
	return out, nil
}
