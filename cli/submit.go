package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/journal"
	"github.com/certbatch/certbatch/pipeline"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/results"
	"github.com/certbatch/certbatch/sandbox"
)

func init() {
	hintTable = append(hintTable,
		hint{func(err error) bool { return errors.Is(err, certcentral.ErrAuth) },
			"CertCentral refused the API key: check DIGICERT_API_KEY or --api-key-file, that the key is active, and that its role allows orders; rows not sent are marked failed"},
		hint{func(err error) bool { return errors.Is(err, journal.ErrLocked) },
			"another certbatch run uses this journal (--state); wait for it to finish, or use another journal for another batch of people"},
	)
	extraCommands = append(extraCommands, newSubmitCmd)
	usageClassifiers = append(usageClassifiers, func(err error) bool {
		return errors.Is(err, errNoAPIKey) || errors.Is(err, journal.ErrLocked) || errors.Is(err, journal.ErrCorrupt) ||
			errors.Is(err, certcentral.ErrAuth) || errors.Is(err, errNotConfirmed)
	})
}

var (
	errNoAPIKey     = errors.New("no API key: set DIGICERT_API_KEY or pass --api-key-file FILE (or rehearse with --sandbox)")
	errNotConfirmed = errors.New("not confirmed: nothing was sent")
)

// apiFlags are the flags of commands that talk to CertCentral.
type apiFlags struct {
	baseURL     string
	apiKeyFile  string
	sandbox     bool
	concurrency int
	rateLimit   string
	state       string
}

func (a *apiFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&a.baseURL, "base-url", "", "CertCentral API `URL` (default $DIGICERT_BASE_URL, else "+certcentral.DefaultBaseURL+"; EU: "+certcentral.EUBaseURL+")")
	f.StringVar(&a.apiKeyFile, "api-key-file", "", "read the API key from `FILE` (default: $DIGICERT_API_KEY)")
	f.BoolVar(&a.sandbox, "sandbox", false, "talk to a built-in CertCentral sandbox started on a free loopback port (no key needed, nothing is bought)")
	f.IntVar(&a.concurrency, "concurrency", 4, "requests in flight at once")
	f.StringVar(&a.rateLimit, "rate-limit", ratelimitSpec(ratelimit.Default), "client-side rate limit `SPEC`: rolling windows per API key, e.g. \"100/5s,1000/3m\" (DigiCert publishes "+ratelimitSpec(ratelimit.Published)+")")
	f.StringVar(&a.state, "state", "", "order journal `FILE` (default $CERTBATCH_STATE, else ./certbatch.db)")
}

func ratelimitSpec(ws []ratelimit.Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}

func statePath(flag string, sio IO) string {
	if flag != "" {
		return flag
	}
	if p := sio.Getenv("CERTBATCH_STATE"); p != "" {
		return p
	}
	return "certbatch.db"
}

// connection is an API client, and the sandbox behind it if any.
type connection struct {
	client  *certcentral.Client
	limiter *ratelimit.Limiter
	close   func()
}

func (a *apiFlags) connect(sio IO, log *slog.Logger) (*connection, error) {
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
		url, _, stop, err := sandbox.Start(sandbox.Config{APIKey: key, DataFile: statePath(a.state, sio) + ".sandbox.json"})
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
		Concurrency: a.concurrency, Limiter: conn.limiter, Logger: log})
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

// SubmitOptions are the flags and dependencies of `certbatch submit`.
type SubmitOptions struct {
	IO    IO
	Flags commonFlags
	API   apiFlags
	Yes   bool
	Force bool
	Input string
}

func newSubmitCmd(sio IO) *cobra.Command {
	o := &SubmitOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "submit INPUT",
		Short: "Validate, then order a certificate for every valid row (costs money)",
		Long: `Validates INPUT like 'validate', shows what it will buy and asks for
confirmation (--yes for unattended runs), then orders every valid row
concurrently under DigiCert's rate limits. Every order is journaled before
it is sent, so a person is never ordered twice: rows already ordered are
skipped, and rows whose answer never arrived are checked at DigiCert first.

The API key comes from $DIGICERT_API_KEY or --api-key-file, never a flag.

` + exitTable,
		Example: `  export DIGICERT_API_KEY=...   # or --api-key-file key.txt
  certbatch submit staff.xlsx --config batch.yaml
  certbatch submit staff.csv --config batch.yaml --yes -o results.xlsx   # cron
  certbatch submit samples/client.csv --config samples/client.yaml --sandbox --yes   # rehearsal`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Input = args[0]
			return runSubmit(cmd.Context(), o)
		},
	}
	o.Flags.add(cmd)
	o.API.add(cmd)
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation (required without a terminal)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "order again for people who already have an order in the journal")
	return cmd
}

func runSubmit(ctx context.Context, o *SubmitOptions) error {
	log, err := o.Flags.logger(o.IO)
	if err != nil {
		return err
	}
	src, err := o.Flags.source(o.Input)
	if err != nil {
		return err
	}
	if err := src.Check(); err != nil {
		return err
	}
	if !o.API.sandbox {
		if _, err := apiKey(o.API.apiKeyFile, o.IO); err != nil {
			return err
		}
	}
	j, err := journal.Open(statePath(o.API.state, o.IO), journal.Options{})
	if err != nil {
		return err
	}
	defer j.Close()
	conn, err := o.API.connect(o.IO, log)
	if err != nil {
		return err
	}
	defer conn.close()
	so := pipeline.SubmitOptions{
		Source: src, Output: o.Flags.output, Payloads: o.Flags.payloads,
		Client: conn.client, Limiter: conn.limiter, Journal: j,
		Concurrency: o.API.concurrency, Force: o.Force, Log: log,
	}
	plan, err := pipeline.PlanSubmit(ctx, so)
	if err != nil {
		return err
	}
	for _, line := range plan.Shown {
		fmt.Fprintln(o.IO.Err, line)
	}
	plan.Describe(o.IO.Err)
	if plan.NewOrders() > 0 && !o.Yes {
		if !o.IO.InTTY {
			return fmt.Errorf("%w: no terminal to confirm on; pass --yes to order without asking", errNotConfirmed)
		}
		fmt.Fprintf(o.IO.Err, "Place these orders? Type yes to continue: ")
		line, _ := bufio.NewReader(o.IO.In).ReadString('\n')
		if strings.ToLower(strings.TrimSpace(line)) != "yes" {
			return errNotConfirmed
		}
	}
	so.Progress = o.Flags.progress(o.IO, log, "ordering")
	start := time.Now()
	sum, err := pipeline.Submit(ctx, so, plan)
	if sum != nil {
		printSummary(o.IO.Out, "submit", sum)
		if n := sum.ByOutcome[results.Ordered]; n > 0 {
			log.Info("submission finished", "ordered", n, "elapsed", time.Since(start).Round(time.Millisecond).String(),
				"orders_per_s", fmt.Sprintf("%.2f", float64(n)/time.Since(start).Seconds()))
		}
	}
	if err != nil {
		return err
	}
	return outcomeExit(sum)
}

// outcomeExit maps a run's outcomes to the exit code table.
func outcomeExit(sum *pipeline.Summary) error {
	switch {
	case sum.ByOutcome[results.Invalid]+sum.ByOutcome[results.Rejected] > 0:
		return &exitError{code: ExitRowsBad}
	case sum.ByOutcome[results.Failed]+sum.ByOutcome[results.Uncertain] > 0:
		return &exitError{code: ExitRowsRetry}
	}
	return nil
}
