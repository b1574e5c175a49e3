package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/order"
	"github.com/certbatch/certbatch/pipeline"
)

// Exit codes. [ExitCodes] documents them; --help and the README show
// that table (a test checks the README against it).
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitRowsBad     = 3
	ExitRowsRetry   = 4
	ExitInterrupted = 130
)

// ExitCode is one documented exit code.
type ExitCode struct {
	Code    int
	Meaning string
}

// ExitCodes is the one table of exit codes.
var ExitCodes = []ExitCode{
	{ExitOK, "every row valid (validate) or ordered/skipped (submit), but for rows held back (hidden or struck through)"},
	{ExitError, "unexpected error"},
	{ExitUsage, "usage, configuration or unreadable input; missing API key; journal locked or corrupt, or its database refusing the role or bound to another endpoint; authentication refused"},
	{ExitRowsBad, "some rows invalid or rejected: fix the data (download: a file holds another certificate; cancel: issued orders need revoking, or a cancel was refused)"},
	{ExitRowsRetry, "some rows failed or uncertain, none invalid or rejected: run again later (status --wait, download: not issued yet; cancel: a cancel did not get through); any command: CertCentral unreachable, timing out, answering 5xx or 429, or the shared journal's database server unreachable"},
	{ExitInterrupted, "interrupted (Ctrl-C, SIGTERM, SIGHUP, or an output pipe closed); results are written for every row"},
}

// exitTable is ExitCodes as --help shows it.
func exitTable() string {
	var b strings.Builder
	b.WriteString("Exit status:")
	for _, c := range ExitCodes {
		fmt.Fprintf(&b, "\n  %-4d %s", c.Code, c.Meaning)
	}
	return b.String()
}

// exitError carries an exit code chosen by a command.
type exitError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError is a problem with how the command was called.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns a usageError whose text is the message key of
// the catalog (printed in the run's language, see l10n.Errorf).
func usageErrorf(key string, args ...any) error {
	return &usageError{err: l10n.Errorf(key, args...)}
}

var (
	errNoAPIKey     = l10n.Errorf("no API key: set DIGICERT_API_KEY or pass --api-key-file FILE (or rehearse with --sandbox)")
	errNotConfirmed = l10n.Errorf("not confirmed: nothing was sent")
)

// outcomeExit is the error a finished run exits with: exit 3 when rows
// need fixing, 4 when rows need another run, nil otherwise.
func outcomeExit(sum *order.Summary) error {
	switch {
	case sum.NeedFix() > 0:
		return &exitError{code: ExitRowsBad}
	case sum.NeedRetry() > 0:
		return &exitError{code: ExitRowsRetry}
	}
	return nil
}

// exitCode maps an error to the exit code table, in one place.
func exitCode(ctx context.Context, err error) int {
	var (
		ee *exitError
		ce *mapping.ConfigError
		ie *pipeline.InputError
		ue *usageError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return ExitInterrupted
	case errors.As(err, &ce), errors.As(err, &ie), errors.As(err, &ue), isCobraUsage(err),
		errors.Is(err, errNoAPIKey), errors.Is(err, errNotConfirmed),
		errors.Is(err, journal.ErrLocked), errors.Is(err, journal.ErrCorrupt), errors.Is(err, certcentral.ErrAuth),
		errors.Is(err, journal.ErrRefused), errors.Is(err, journal.ErrOtherEndpoint):
		return ExitUsage
	case errors.Is(err, certcentral.ErrUnavailable), errors.Is(err, certcentral.ErrRateLimited), errors.Is(err, journal.ErrUnavailable):
		// The same "run again later" as rows that failed, in every
		// command: nothing about the data is wrong.
		return ExitRowsRetry
	default:
		return ExitError
	}
}

func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.Contains(s, "flag needs an argument") ||
		strings.HasPrefix(s, "accepts ") || strings.HasPrefix(s, "requires ") || strings.HasPrefix(s, "invalid argument")
}

// hint is advice for a class of errors; its text is a message of the
// catalog, printed in the run's language.
type hint struct {
	match func(error) bool
	text  string
}

// hints is the one table of advice printed after an error.
var hints = []hint{
	{func(err error) bool {
		var ue *usageError
		return errors.As(err, &ue) || isCobraUsage(err)
	}, "run 'certbatch --help' or 'certbatch <command> --help'"},
	{func(err error) bool { return strings.HasPrefix(err.Error(), "unknown shorthand flag: 'v'") },
		"-v is --verbose (on commands that log); the version is 'certbatch --version'"},
	{func(err error) bool { return errors.Is(err, certcentral.ErrAuth) },
		"CertCentral refused the API key: check DIGICERT_API_KEY or --api-key-file, that the key is active, and that its role allows orders"},
	{func(err error) bool {
		return errors.Is(err, certcentral.ErrUnavailable) || errors.Is(err, certcentral.ErrRateLimited)
	}, "CertCentral could not be reached or did not answer (network, DNS, timeout, a server error or its rate limit): run the same command again later; what was done is recorded"},
	{func(err error) bool { return errors.Is(err, journal.ErrLocked) },
		"another certbatch run uses this journal (--state); wait for it to finish, or use another journal for another batch of people"},
}

// hintsFor returns the advice for err.
func hintsFor(err error) []string {
	var h []string
	for _, c := range hints {
		if c.match(err) {
			h = append(h, c.text)
		}
	}
	return h
}
