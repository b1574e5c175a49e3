package pipeline

import (
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/results"
)

// Kept says that a file at the results path was kept, why, and where the
// results go instead.
type Kept struct {
	Path    string // the file kept
	Instead string // where the results go
	// Message says it in one line for the person running the command.
	Message string
}

// KeepResults decides where results asked for at path go, so that
// nothing a person relies on is replaced silently: a file there that
// holds a submission's results (the orders a person follows with status,
// downloads, cancels) of another batch than batch, or that is not a
// certbatch results file at all, is kept, and the results go to a free
// name beside it (staff.results-2.xlsx), which Kept says. batch is the
// batch the new results belong to: "" for a dry run or a new submission,
// so that any submission's results are kept; a dry run's results (valid
// and invalid rows) are replaced, as the next dry run or the submission
// that follows them should.
func KeepResults(p l10n.Printer, path, batch string) (string, *Kept, error) {
	h, err := results.Inspect(path)
	if err != nil {
		return "", nil, &OutputError{Err: err}
	}
	if !mustKeep(h, batch) {
		return path, nil, nil
	}
	instead, err := results.FreeName(path)
	if err != nil {
		return "", nil, &OutputError{Err: err}
	}
	return instead, &Kept{Path: path, Instead: instead, Message: keptMessage(p, path, instead, h)}, nil
}

// mustKeep reports whether the file h describes may not be replaced by
// results of batch.
func mustKeep(h results.Held, batch string) bool {
	switch {
	case !h.Exists:
		return false
	case h.NotResults:
		return true
	}
	return h.Submission && (batch == "" || h.Batch != batch)
}

// keptMessage says why the file at path is kept and where the results go.
func keptMessage(p l10n.Printer, path, instead string, h results.Held) string {
	switch {
	case h.NotResults:
		return p.Sprintf("%s is not a certbatch results file: it is kept, and the results go to %s", path, instead)
	case h.Batch != "":
		return p.Sprintf("%s holds the results of batch %s: it is kept, and the results go to %s", path, h.Batch, instead)
	}
	return p.Sprintf("%s holds the results of a submission (its orders): it is kept, and the results go to %s", path, instead)
}

// guardResults refuses to write results over a file KeepResults would
// keep: the last line of defence for a caller that did not ask it.
func guardResults(p l10n.Printer, path, batch string) error {
	h, err := results.Inspect(path)
	if err != nil {
		return &OutputError{Err: err}
	}
	if mustKeep(h, batch) {
		return &OutputError{Err: l10n.Errorf("will not replace %s: %s", path, keptMessage(p, path, p.Sprintf("another file: choose another -o"), h))}
	}
	return nil
}
