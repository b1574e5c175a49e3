package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
)

// logFlags are the logging flags (-q, -v, --log-format) of every
// command that logs: the same names and meanings on each.
type logFlags struct {
	quiet     bool
	verbose   bool
	logFormat string
}

// add registers the logging flags; quietHelp says what --quiet hides.
func (l *logFlags) add(cmd *cobra.Command, quietHelp string) {
	f := cmd.Flags()
	f.BoolVarP(&l.quiet, "quiet", "q", false, quietHelp)
	f.BoolVarP(&l.verbose, "verbose", "v", false, "also log every API request (method, path, status, time; never the key or bodies)")
	f.StringVar(&l.logFormat, "log-format", "text", "log format on stderr: text or json")
}

// addJSONFlag registers --json: the end-of-run summary as one JSON
// object on stdout, for scripts and cron jobs.
func addJSONFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "json", false, "print the end-of-run summary as one JSON object on stdout (with --log-format json, every line is JSON)")
}

// commonFlags are the input, mapping and logging flags shared by validate and submit.
type commonFlags struct {
	logFlags
	config   string
	template []string
	product  string
	sheet    string
	encoding string
	output   string
	payloads string
	workers  int
	// keyMethod and keyAlgorithm override the config's keys: block.
	keyMethod, keyAlgorithm string
	// includeHidden orders rows hidden or struck through in an .xlsx
	// input, which are otherwise held back.
	includeHidden bool
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
	f.IntVar(&c.workers, "workers", 0, "goroutines that map and validate rows (default: number of CPUs)")
	f.StringVar(&c.keyMethod, "key-method", "", "how each row's key comes to be: link (DigiCert emails the person), csr (the row's CSR) or generate (certbatch makes the key and hands over a .p12); default: the config's keys.method, else csr when the row has a CSR and link otherwise")
	f.StringVar(&c.keyAlgorithm, "key-algorithm", "", "algorithm of generated keys: p256 (default), p384 or rsa3072")
	f.BoolVar(&c.includeHidden, "include-hidden", false, "treat rows hidden in Excel (by hand or by a filter) or with struck-through text like the others; without it they are held back, never ordered")
	c.logFlags.add(cmd, "no progress display and no informational log lines")
	cmd.RegisterFlagCompletionFunc("product", completeProducts(&c.template))
	cmd.RegisterFlagCompletionFunc("encoding", completeEncodings)
	cmd.RegisterFlagCompletionFunc("sheet", completeSheets)
}

// logger returns the logger the flags ask for, writing to stderr.
func (l *logFlags) logger(sio IO) (*slog.Logger, error) {
	level := slog.LevelInfo
	switch {
	case l.verbose:
		level = slog.LevelDebug
	case l.quiet:
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	d, _ := sio.Err.(*diagWriter)
	switch l.logFormat {
	case "text", "":
		return slog.New(langHandler{slog.NewTextHandler(sio.Err, opts), sio.P}), nil
	case "json":
		if d == nil {
			return slog.New(langHandler{slog.NewJSONHandler(sio.Err, opts), sio.P}), nil
		}
		// Every other line on stderr becomes JSON too (diagWriter).
		d.setJSON(true)
		return slog.New(langHandler{slog.NewJSONHandler(d.raw(), opts), sio.P}), nil
	}
	return nil, usageErrorf("--log-format must be text or json, not %q", l.logFormat)
}

func (c *commonFlags) progress(sio IO, log *slog.Logger, label string) pipeline.Progress {
	switch {
	case c.quiet:
		return pipeline.NopProgress{}
	case sio.ErrTTY && c.logFormat != "json":
		unit := "rows"
		if label == "ordering" {
			unit = "orders"
		}
		p := sio.P()
		return &pipeline.BarProgress{W: sio.Err, Label: p.Term(label), Unit: p.Term(unit), Lang: p}
	default:
		return &pipeline.LogProgress{Log: log, Label: label}
	}
}

// resultsPath returns where the results of a run on input go: -o, or
// the default beside the input; when a file there holds what a person
// relies on (a submission's results, or not a results file at all), it
// is kept and the results go to a free name beside it, which is said on
// stderr (pipeline.KeepResults).
// An output that is the input or a protected file (the journal) is
// refused first, whatever it holds.
func (c *commonFlags) resultsPath(sio IO, src *pipeline.Source, protect ...string) (string, error) {
	p := sio.P()
	out := c.output
	if out == "" {
		out = pipeline.DefaultOutput(src.Input)
	}
	if err := src.CheckOutputs([]string{out}, protect...); err != nil {
		return "", err
	}
	out, kept, err := pipeline.KeepResults(p, out, "")
	if err != nil {
		return "", err
	}
	if kept != nil {
		linef(p, sio.Err, "certbatch: %s\n", kept.Message)
	}
	return out, nil
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
			return nil, &mapping.ConfigError{Err: l10n.Errorf("read template: %w", err)}
		}
		t, err := templates.Parse(b)
		if err != nil {
			return nil, &mapping.ConfigError{Err: l10n.Errorf("template %s: %w", f, err)}
		}
		set.Add(t)
	}
	return set, nil
}

func (c *commonFlags) source(p l10n.Printer, in string) (pipeline.Source, error) {
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
	src := pipeline.Source{Input: in, Config: cfg, Templates: set, Product: c.product, Workers: c.workers,
		KeyMethod: c.keyMethod, KeyAlgorithm: c.keyAlgorithm, IncludeHidden: c.includeHidden, Lang: p}
	src.Read.Sheet = c.sheet
	src.Read.Encoding = c.encoding
	return src, nil
}

// hintDeprecated prints one line when the batch's product (the config's
// or --product) is one DigiCert has deprecated, naming its successor:
// it is still ordered, DigiCert still accepts it. --quiet hides it.
func (c *commonFlags) hintDeprecated(sio IO, log *slog.Logger, src *pipeline.Source) {
	p := sio.P()
	product := src.Config.Product
	if c.product != "" {
		product = c.product
	}
	if c.quiet || product == "" {
		return
	}
	succ, since, ok := src.Templates.Successor(product)
	if !ok {
		return
	}
	msg := p.Sprintf("DigiCert deprecated %s on %s; its successor is %s (certbatch still orders %s: DigiCert still accepts it)",
		product, since, succ, product)
	if c.logFormat == "json" {
		log.Info(msg, "product", product, "successor", succ)
		return
	}
	p.Fprintf(sio.Err, "certbatch: hint: %s\n", msg)
}

// apiFlags are the flags of commands that talk to CertCentral.
type apiFlags struct {
	baseURL     string
	apiKeyFile  string
	sandbox     bool
	concurrency int
	rateLimit   string
	state       string
	journal     string
	settle      time.Duration
}

func (a *apiFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&a.baseURL, "base-url", "", "CertCentral API `URL` (default $DIGICERT_BASE_URL, else "+certcentral.DefaultBaseURL+"; EU: "+certcentral.EUBaseURL+")")
	f.StringVar(&a.apiKeyFile, "api-key-file", "", "read the API key from `FILE` (default: $DIGICERT_API_KEY)")
	f.BoolVar(&a.sandbox, "sandbox", false, "talk to a built-in CertCentral sandbox started on a free loopback port (no key needed, nothing is bought)")
	f.IntVar(&a.concurrency, "concurrency", 4, "requests in flight at once")
	f.StringVar(&a.rateLimit, "rate-limit", ratelimitSpec(ratelimit.Default), "client-side rate limit `SPEC`: rolling windows per API key, e.g. \"100/5s,1000/3m\" (DigiCert publishes "+ratelimitSpec(ratelimit.Published)+")")
	addJournalFlags(cmd, &a.journal, &a.state)
	f.DurationVar(&a.settle, "settle", pipeline.DefaultSettle, "how old an unanswered request must be before finding no order for it at DigiCert counts as proof that none was created")
}

func ratelimitSpec(ws []ratelimit.Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}

// connection is an API client, and the sandbox behind it if any.
type connection struct {
	client  *certcentral.Client
	limiter *ratelimit.Limiter
	close   func()
}

// connect returns a client for the endpoint; with --sandbox it starts
// the built-in sandbox, keeping its orders beside the journal at loc
// ("": none). Its limiter draws from the key's rate budget shared by
// every certbatch process of the key: with a shared journal (PostgreSQL)
// the budget kept in its database, so every host using the key stays
// inside DigiCert's windows together; otherwise a file beside the
// journal, for every process on this machine (see budget). The built-in
// sandbox, private to this process, gets its own.
func (a *apiFlags) connect(sio IO, log *slog.Logger, loc journalLoc) (*connection, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	windows, err := ratelimit.Parse(a.rateLimit)
	if err != nil {
		return nil, usageErrorf("--rate-limit: %v", err)
	}
	if a.concurrency < 1 {
		return nil, usageErrorf("--concurrency must be at least 1")
	}
	conn := &connection{close: func() {}}
	key, base := "", a.baseURL
	if a.sandbox {
		b := make([]byte, 16)
		rand.Read(b)
		key = "sandbox-" + hex.EncodeToString(b)
		// The sandbox keeps its orders beside the journal, so re-runs,
		// status and reconcile see the orders earlier runs placed.
		cfg := sandbox.Config{APIKey: key}
		switch {
		case loc.shared():
			// A shared journal's sandbox orders stay on this machine.
			if dir, err := stateDir(sio); err == nil && os.MkdirAll(dir, 0o700) == nil {
				cfg.DataFile = filepath.Join(dir, "sandbox.shared.json")
			}
		case loc != "":
			cfg.DataFile = string(loc) + ".sandbox.json"
		}
		url, _, stop, err := sandbox.Start(cfg)
		if err != nil {
			return nil, l10n.Errorf("start sandbox: %w", err)
		}
		base, conn.close = url, stop
		conn.limiter = ratelimit.New(windows)
		log.Info("using the built-in sandbox: nothing is bought", "base_url", url)
	} else {
		if key, err = apiKey(a.apiKeyFile, sio); err != nil {
			return nil, err
		}
		if base == "" {
			base = sio.Getenv("DIGICERT_BASE_URL")
		}
		if conn.limiter, conn.close, err = a.budget(sio, log, key, windows, loc); err != nil {
			return nil, err
		}
	}
	c, err := certcentral.New(certcentral.Config{BaseURL: base, APIKey: key, UserAgent: "certbatch/" + version(),
		Concurrency: a.concurrency, Limiter: conn.limiter, Logger: log, Transport: sio.Transport})
	if err != nil {
		conn.close()
		return nil, usageErrorf("%v", err)
	}
	conn.client = c
	return conn, nil
}

// budget returns a limiter drawing from key's rate budget: a file in the
// journal's folder (ratelimit.LedgerPath: named by a hash of the key)
// that every certbatch process of the key on this machine shares, so a
// status right after a submit, or two admins' runs at once, stay in
// DigiCert's windows together
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html:
// the limits are per API key, and a 429 blocks every request on the
// key). Where flock is missing, or no state directory is known (only
// validate --check-account runs without one), the process limits itself,
// with a warning.
func (a *apiFlags) budget(sio IO, log *slog.Logger, key string, windows []ratelimit.Window, loc journalLoc) (*ratelimit.Limiter, func(), error) {
	if loc.shared() {
		// DigiCert counts requests per key: the budget's scope is the key
		// (only a hash of it is stored), shared by every host.
		ledger, err := journal.OpenLedger(string(loc), key)
		if err != nil {
			return nil, nil, l10n.Errorf("the rate budget shared through the journal: %w", err)
		}
		return ratelimit.NewShared(windows, ledger), func() { ledger.Close() }, nil
	}
	dir, err := stateFolder(sio, loc)
	if err != nil { // no HOME: nowhere to share it (commands with a journal refuse earlier)
		log.Warn("the rate budget is this run's alone: set HOME or XDG_STATE_HOME, or pass --journal FILE, to share it with other certbatch runs", "error", err)
		return ratelimit.New(windows), func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, usageErrorf("rate budget: %v (pass --journal FILE in a folder you can write)", err)
	}
	led, err := ratelimit.OpenFileLedger(ratelimit.LedgerPath(dir, key), ratelimit.FileLedgerOptions{Log: log})
	switch {
	case errors.Is(err, ratelimit.ErrNoFlock):
		log.Warn("the rate budget is not shared with other certbatch processes on this platform", "error", err)
		return ratelimit.New(windows), func() {}, nil
	case err != nil:
		return nil, nil, usageErrorf("%v", err)
	}
	return ratelimit.NewShared(windows, led), func() { led.Close() }, nil
}

// stateFolder is where the key's rate budget shared by every process on
// this machine lives: the user's state directory, whatever journal a run
// names (DigiCert counts per key, not per journal), else the folder of
// the journal file loc.
func stateFolder(sio IO, loc journalLoc) (string, error) {
	d, err := stateDir(sio)
	if err != nil && loc != "" && !loc.shared() {
		return filepath.Dir(string(loc)), nil
	}
	return d, err
}

// apiKey reads the key from a file or the environment. The key is never
// printed, logged or put in an error.
func apiKey(file string, sio IO) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", usageErrorf("read API key file: %v", errors.Unwrap(err))
		}
		if k := strings.TrimSpace(string(b)); k != "" {
			return k, nil
		}
		return "", usageErrorf("API key file %s is empty", file)
	}
	if k := strings.TrimSpace(sio.Getenv("DIGICERT_API_KEY")); k != "" {
		return k, nil
	}
	return "", errNoAPIKey
}

// settleOption turns --settle into pipeline.SubmitOptions.Settle, where 0
// means the default: an explicit 0 is passed as negative.
func settleOption(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}
