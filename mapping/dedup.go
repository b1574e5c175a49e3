package mapping

import (
	"fmt"
	"hash/maphash"
)

// Deduper finds rows that would order the same person twice: the same
// product and primary email (case-insensitive), or the same product and
// key value. It keeps 12 bytes per identity, not the identities
// themselves, so memory stays small for millions of rows; a false match
// needs a 64-bit hash collision.
type Deduper struct {
	seed maphash.Seed
	seen map[uint64]int32
}

// NewDeduper returns an empty Deduper.
func NewDeduper() *Deduper {
	return &Deduper{seed: maphash.MakeSeed(), seen: map[uint64]int32{}}
}

// Check records r's identities and, when an earlier row had one of them,
// adds a problem naming that row. Rows must be checked in input order.
func (d *Deduper) Check(r *Result) {
	if r.emailIdent != "" {
		if prev, dup := d.see(r.emailIdent, r.Row); dup {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: orDefault(r.emailColumn, "email"), Value: r.Email,
				Message: fmt.Sprintf("duplicate of row %d (same product and email)", prev)})
		}
	}
	if r.Key != "" {
		if prev, dup := d.see(r.Product+"|key:"+r.Key, r.Row); dup {
			r.Problems = append(r.Problems, Problem{Row: r.Row, Column: r.keyColumn, Value: r.Key,
				Message: fmt.Sprintf("duplicate of row %d (same product and key)", prev)})
		}
	}
	if len(r.Problems) > 0 {
		r.Payload = nil
	}
}

func (d *Deduper) see(id string, row int) (int, bool) {
	h := maphash.String(d.seed, id)
	if prev, ok := d.seen[h]; ok {
		return int(prev), true
	}
	d.seen[h] = int32(row)
	return 0, false
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
