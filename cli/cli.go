// Package cli builds certbatch's command tree and maps the outcome of a
// command to an exit code. Each command has one options struct holding
// its flags and injected dependencies and a run function that takes it;
// main only wires the process to [Main].
package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/certbatch/certbatch/internal/l10n"
)

// Version is the program version; main may set it with -ldflags.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// IO is the process environment a command runs in.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	Getenv   func(string) string
	// InTTY and ErrTTY report whether stdin and stderr are terminals.
	InTTY, ErrTTY bool
	// Hurry, when closed, tells a stopped run to stop waiting for the
	// answers of requests in flight (a second Ctrl-C); nil: never.
	Hurry <-chan struct{}
	// lang is the run's language ([IO.P]), shared by every copy.
	lang *l10n.Printer
	// Transport, when not nil, carries every API request instead of the
	// API client's own tuned transport. It is a test seam: tests run
	// certbatch and a sandbox over in-memory connections inside a
	// testing/synctest bubble, where time is fake. main leaves it nil.
	Transport http.RoundTripper
}

// System returns the real process environment.
func System() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// Main runs certbatch with args and returns the exit code.
func Main(ctx context.Context, args []string, sio IO) int {
	// What certbatch prints on stdout (summaries, tables) never carries
	// a character that could rewrite the terminal (termSafe).
	out := &countingWriter{w: safeWriter{sio.Out}}
	sio.Out = out
	// Every line on stderr goes through one writer, which writes JSON
	// objects with --log-format json.
	diag := newDiagWriter(sio.Err)
	if jsonLogsAsked(args) {
		diag.setJSON(true)
	}
	sio.Err = diag
	defer diag.flush()
	if sio.lang == nil {
		sio = withLang(sio, args)
	}
	p := sio.P
	root := NewRoot(sio)
	root.SetArgs(args)
	root.SetOut(sio.Out)
	root.SetErr(sio.Err)
	cmd, err := root.ExecuteContextC(ctx)
	code := exitCode(ctx, err)
	if err != nil && out.n == 0 && wantsJSON(cmd) {
		// --json promises one object on stdout, also when the run fails
		// before its summary (CertCentral unreachable, a refused key).
		writeJSONLine(sio.Out, JSONFailure{Command: cmd.Name(), Error: p().Error(err), ExitCode: code, ExitMeaning: exitMeaning(code)})
	}
	var ee *exitError
	switch {
	case err == nil, errors.As(err, &ee) && ee.err == nil:
	case code == ExitInterrupted:
		p().Fprintf(sio.Err, "certbatch: interrupted: every row has a result; rows not sent are marked failed, run again to finish\n")
	default:
		p().Fprintf(sio.Err, "certbatch: error: %s\n", termSafe(errorText(p(), err)))
		for _, h := range hintsFor(err) {
			p().Fprintf(sio.Err, "certbatch: hint: %s\n", p().Term(h))
		}
	}
	return code
}

// NewRoot builds the command tree.
func NewRoot(sio IO) *cobra.Command {
	if sio.lang == nil {
		sio = withLang(sio, nil)
	}
	root := &cobra.Command{
		Use:   "certbatch",
		Short: "Bulk-order DigiCert CertCentral certificates from a spreadsheet",
		Long: `certbatch turns a CSV or Excel file (one person per row) into DigiCert
CertCentral certificate orders: it maps each row through a product template
and a column mapping, validates every row, submits the valid ones under
DigiCert's rate limits, never orders the same person twice, and writes a
results workbook with each row's order ID, status and certificate ID.

` + exitTable(),
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("certbatch {{.Version}}\n")
	// --version has no shorthand: -v is --verbose, on every command that logs.
	root.Flags().Bool("version", false, "print the version and exit")
	addLangFlag(root, sio)
	for _, newCmd := range commands {
		root.AddCommand(newCmd(sio))
	}
	return root
}

// commands lists every command, in the order --help shows them.
var commands = []func(IO) *cobra.Command{
	newTemplateCmd,
	newValidateCmd,
	newSubmitCmd,
	newStatusCmd,
	newDownloadCmd,
	newCancelCmd,
	newApproveCmd,
	newRenewCmd,
	newRevokeCmd,
	newSyncCmd,
	newExpiringCmd,
	newReconcileCmd,
	newResultsCmd,
	newHistoryCmd,
	newPruneCmd,
	newJournalCmd,
	newShowCmd,
	newSandboxCmd,
}

// JSONFailure is what a command run with --json prints when it fails
// before printing its summary: one JSON object on one line of stdout.
type JSONFailure struct {
	// Command is the command's name, e.g. "status".
	Command string `json:"command"`
	// Error is the reason, as the error line on stderr gives it.
	Error string `json:"error"`
	// ExitCode is the process's exit code and ExitMeaning its line of
	// the exit code table.
	ExitCode    int    `json:"exit_code"`
	ExitMeaning string `json:"exit_meaning"`
}

// wantsJSON reports whether cmd was run with --json.
func wantsJSON(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("json")
	return f != nil && f.Value.String() == "true"
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
