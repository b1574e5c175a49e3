// Package cli builds certbatch's command tree and maps the outcome of a
// command to an exit code. Each command has one options struct holding
// its flags and injected dependencies and a run function that takes it;
// main only wires the process to [Main].
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/templates"
)

// Exit codes. One table, shown in --help and the README.
const (
	ExitOK          = 0   // every row valid / ordered / skipped
	ExitError       = 1   // unexpected error
	ExitUsage       = 2   // usage, configuration, unreadable input, missing API key, locked or corrupt journal, authentication failure
	ExitRowsBad     = 3   // some rows invalid or rejected: fix the data
	ExitRowsRetry   = 4   // some rows failed or uncertain (none invalid or rejected): run again later
	ExitInterrupted = 130 // interrupted (Ctrl-C, SIGTERM)
)

const exitTable = `Exit status:
  0    every row valid (validate) or ordered/skipped (submit)
  1    unexpected error
  2    usage, configuration or unreadable input; missing API key;
       journal locked or corrupt; authentication refused (nothing half-written)
  3    some rows invalid or rejected by the API: fix the data
  4    some rows failed or uncertain, none invalid or rejected: run again later
  130  interrupted (Ctrl-C or SIGTERM); results written for every row`

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
}

// System returns the real process environment.
func System() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
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

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// Main runs certbatch with args and returns the exit code.
func Main(ctx context.Context, args []string, sio IO) int {
	root := NewRoot(sio)
	root.SetArgs(args)
	root.SetOut(sio.Out)
	root.SetErr(sio.Err)
	err := root.ExecuteContext(ctx)
	code := exitCode(ctx, err)
	var ee *exitError
	switch {
	case err == nil, errors.As(err, &ee) && ee.err == nil:
	case code == ExitInterrupted:
		fmt.Fprintln(sio.Err, "certbatch: interrupted: every row has a result; rows not sent are marked failed, run again to finish")
	default:
		fmt.Fprintf(sio.Err, "certbatch: error: %v\n", err)
		for _, h := range hints(err) {
			fmt.Fprintf(sio.Err, "certbatch: hint: %s\n", h)
		}
	}
	return code
}

// hints suggests what to do about an error.
func hints(err error) []string {
	var ue *usageError
	var h []string
	if errors.As(err, &ue) || isCobraUsage(err) {
		h = append(h, "run 'certbatch --help' or 'certbatch <command> --help'")
	}
	for _, c := range hintTable {
		if c.match(err) {
			h = append(h, c.text)
		}
	}
	return h
}

// hint is advice for a class of errors.
type hint struct {
	match func(error) bool
	text  string
}

// hintTable holds hints registered by the commands' files.
var hintTable []hint

func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.HasPrefix(s, "unknown flag") ||
		strings.HasPrefix(s, "unknown shorthand flag") || strings.Contains(s, "flag needs an argument") ||
		strings.HasPrefix(s, "accepts ") || strings.HasPrefix(s, "requires ") || strings.HasPrefix(s, "invalid argument")
}

// exitCode maps an error to the exit code table in one place.
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
	case errors.As(err, &ce), errors.As(err, &ie), errors.As(err, &ue), isCobraUsage(err), isUsageClass(err):
		return ExitUsage
	default:
		return ExitError
	}
}

// NewRoot builds the command tree.
func NewRoot(sio IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "certbatch",
		Short: "Bulk-order DigiCert CertCentral certificates from a spreadsheet",
		Long: `certbatch turns a CSV or Excel file (one person per row) into DigiCert
CertCentral certificate orders: it maps each row through a product template
and a column mapping, validates every row, submits the valid ones under
DigiCert's rate limits, never orders the same person twice, and writes a
results workbook with each row's order ID, status and certificate ID.

` + exitTable,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("certbatch {{.Version}}\n")
	root.AddCommand(newValidateCmd(sio), newTemplateCmd(sio))
	for _, f := range extraCommands {
		root.AddCommand(f(sio))
	}
	return root
}

// extraCommands lets other files of this package add commands.
var extraCommands []func(IO) *cobra.Command

// commonFlags are the input, mapping and logging flags shared by validate and submit.
type commonFlags struct {
	config    string
	template  []string
	product   string
	sheet     string
	encoding  string
	output    string
	payloads  string
	quiet     bool
	verbose   bool
	logFormat string
	workers   int
}

func (c *commonFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&c.config, "config", "", "batch configuration `FILE` (YAML): product, key, order constants, column mapping")
	f.StringArrayVar(&c.template, "template", nil, "load a product template `FILE` (replaces the built-in one for its family; repeatable)")
	f.StringVar(&c.product, "product", "", "product `ID` for rows without a product column (overrides the config)")
	f.StringVar(&c.sheet, "sheet", "", "worksheet `NAME` of an .xlsx input (default: the first sheet)")
	f.StringVar(&c.encoding, "encoding", "", "CSV `ENCODING`: utf-8, utf-16, cp949/euc-kr, big5, ... (default: UTF-8, or UTF-16 when the file has a BOM)")
	f.StringVarP(&c.output, "output", "o", "", "results `FILE` (.xlsx or .csv; default: <input name>.results.xlsx beside the input)")
	f.StringVar(&c.payloads, "payloads", "", "also write the order bodies of valid rows to `FILE` as JSON Lines")
	f.BoolVarP(&c.quiet, "quiet", "q", false, "no progress display and no informational log lines")
	f.BoolVarP(&c.verbose, "verbose", "v", false, "also log every API request (method, path, status, time; never the key or bodies)")
	f.StringVar(&c.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.IntVar(&c.workers, "workers", 0, "goroutines that map and validate rows (default: number of CPUs)")
}

func (c *commonFlags) logger(sio IO) (*slog.Logger, error) {
	level := slog.LevelInfo
	switch {
	case c.verbose:
		level = slog.LevelDebug
	case c.quiet:
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(sio.Err, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(sio.Err, opts)), nil
	}
	return nil, usageErrorf("--log-format must be text or json, not %q", c.logFormat)
}

func (c *commonFlags) progress(sio IO, log *slog.Logger, label string) pipeline.Progress {
	switch {
	case c.quiet:
		return pipeline.NopProgress{}
	case sio.ErrTTY:
		unit := "rows"
		if label == "ordering" {
			unit = "orders"
		}
		return &pipeline.BarProgress{W: sio.Err, Label: label, Unit: unit}
	default:
		return &pipeline.LogProgress{Log: log, Label: label}
	}
}

// loadTemplates returns the built-in templates plus any --template files.
func loadTemplates(files []string) (*templates.Set, error) {
	set, err := templates.Builtin()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, &mapping.ConfigError{Err: fmt.Errorf("read template: %w", err)}
		}
		t, err := templates.Parse(b)
		if err != nil {
			return nil, &mapping.ConfigError{Err: fmt.Errorf("template %s: %w", f, err)}
		}
		set.Add(t)
	}
	return set, nil
}

func (c *commonFlags) source(in string) (pipeline.Source, error) {
	set, err := loadTemplates(c.template)
	if err != nil {
		return pipeline.Source{}, err
	}
	cfg := &mapping.Config{}
	if c.config != "" {
		if cfg, err = mapping.LoadConfig(c.config); err != nil {
			return pipeline.Source{}, err
		}
	}
	src := pipeline.Source{Input: in, Config: cfg, Templates: set, Product: c.product, Workers: c.workers}
	src.Read.Sheet = c.sheet
	src.Read.Encoding = c.encoding
	return src, nil
}
