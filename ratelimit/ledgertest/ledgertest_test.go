package ledgertest

import (
	"testing"

	"github.com/certbatch/certbatch/ratelimit"
)

// The checks pass on the reference ledger: they ask nothing a correct
// ledger cannot do.
func TestMemoryConforms(t *testing.T) {
	Run(t, func(t *testing.T) (a, b ratelimit.Ledger) {
		m := NewMemory()
		return m, m
	})
}
