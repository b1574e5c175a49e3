//go:build !unix

package journal

import (
	"errors"
	"fmt"

	"github.com/certbatch/certbatch/internal/l10n"
)

// acquire refuses: the writer lock needs flock, which this platform
// lacks, and a journal without its lock could order people twice.
func (j *Journal) acquire() error {
	return l10n.Errorf("open journal %s: %w", j.path, l10n.Errorf("writing a journal needs flock, which this platform does not have"))
}

func (j *Journal) release() {}

// fileID identifies a file; unused where writers are refused.
type fileID struct{}

// tightenReader does nothing where journals cannot be written.
func tightenReader(string) {}
