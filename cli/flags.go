package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/mapping"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/sandbox"
	"github.com/certbatch/certbatch/templates"
	"github.com/spf13/cobra"
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
	switch l.logFormat {
	case "text", "":
		return slog.New(slog.NewTextHandler(sio.Err, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(sio.Err, opts)), nil
	}
	return nil, usageErrorf("--log-format must be text or json, not %q", l.logFormat)
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
	src := pipeline.Source{Input: in, Config: cfg, Templates: set, Product: c.product, Workers: c.workers,
		KeyMethod: c.keyMethod, KeyAlgorithm: c.keyAlgorithm}
	src.Read.Sheet = c.sheet
	src.Read.Encoding = c.encoding
	return src, nil
}

// apiFlags are the flags of commands that talk to CertCentral.
type apiFlags struct {
	baseURL     string
	apiKeyFile  string
	sandbox     bool
	concurrency int
	rateLimit   string
	state       string
	settle      time.Duration
}

func (a *apiFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&a.baseURL, "base-url", "", "CertCentral API `URL` (default $DIGICERT_BASE_URL, else "+certcentral.DefaultBaseURL+"; EU: "+certcentral.EUBaseURL+")")
	f.StringVar(&a.apiKeyFile, "api-key-file", "", "read the API key from `FILE` (default: $DIGICERT_API_KEY)")
	f.BoolVar(&a.sandbox, "sandbox", false, "talk to a built-in CertCentral sandbox started on a free loopback port (no key needed, nothing is bought)")
	f.IntVar(&a.concurrency, "concurrency", 4, "requests in flight at once")
	f.StringVar(&a.rateLimit, "rate-limit", ratelimitSpec(ratelimit.Default), "client-side rate limit `SPEC`: rolling windows per API key, e.g. \"100/5s,1000/3m\" (DigiCert publishes "+ratelimitSpec(ratelimit.Published)+")")
	f.StringVar(&a.state, "state", "", "order journal `FILE` (default $CERTBATCH_STATE, else one per endpoint in the state directory, e.g. ~/.local/state/certbatch/www.digicert.com.db)")
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
// the built-in sandbox, keeping its orders beside journalPath ("": none).
func (a *apiFlags) connect(sio IO, log *slog.Logger, journalPath string) (*connection, error) {
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
	conn := &connection{limiter: ratelimit.New(windows), close: func() {}}
	key, base := "", a.baseURL
	if a.sandbox {
		b := make([]byte, 16)
		rand.Read(b)
		key = "sandbox-" + hex.EncodeToString(b)
		// The sandbox keeps its orders beside the journal, so re-runs,
		// status and reconcile see the orders earlier runs placed.
		cfg := sandbox.Config{APIKey: key}
		if journalPath != "" {
			cfg.DataFile = journalPath + ".sandbox.json"
		}
		url, _, stop, err := sandbox.Start(cfg)
		if err != nil {
			return nil, fmt.Errorf("start sandbox: %w", err)
		}
		base, conn.close = url, stop
		log.Info("using the built-in sandbox: nothing is bought", "base_url", url)
	} else {
		if key, err = apiKey(a.apiKeyFile, sio); err != nil {
			return nil, err
		}
		if base == "" {
			base = sio.Getenv("DIGICERT_BASE_URL")
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
