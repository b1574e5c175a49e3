package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/ratelimit"
	"github.com/certbatch/certbatch/sandbox"
)

// SandboxOptions are the flags of `certbatch sandbox`. The fault flags
// fill Config directly; the key and the windows are set at run time.
type SandboxOptions struct {
	IO         IO
	Addr       string
	APIKeyFile string
	RateLimit  string
	// StrictFilters refuses undocumented list forms (the default); false
	// sets Config.LenientFilters.
	StrictFilters bool
	// Reads are the fault rules of every GET (sandbox.EndpointRead).
	Reads sandbox.Faults
	// Hold are --hold EMAIL[:DAYS]: issued orders the sandbox starts
	// with (Config.Holdings).
	Hold   []string
	Config sandbox.Config
}

// SandboxDefaultKey is the API key the sandbox accepts when neither
// $DIGICERT_API_KEY nor --api-key-file gives one. It is not a secret.
const SandboxDefaultKey = "sandbox"

func newSandboxCmd(sio IO) *cobra.Command {
	o := &SandboxOptions{IO: sio}
	cmd := &cobra.Command{
		Use:   "sandbox [--addr 127.0.0.1:8080]",
		Short: "Serve a local CertCentral stand-in for rehearsals and tests",
		Long: `Serves a local stand-in for the CertCentral Services API v2 under
/services/v2 as CertCentral is today: ordering with DigiCert's validation
rules, order info and lists, approvals, email validation, pickup, cancel,
revocation (order and certificate), renewal links, the expiring-orders
report, status changes, certificate downloads and the account endpoints, with
DigiCert's error shapes and rolling rate-limit windows, plus fault injection. Point certbatch at it with --base-url http://ADDR/services/v2.

It accepts the API key in $DIGICERT_API_KEY or --api-key-file, or "sandbox"
when neither is set. --hold EMAIL:DAYS starts it holding an issued
certificate that expires in DAYS days, to rehearse renewals and leavers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSandbox(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "listen `ADDRESS`")
	f.StringVar(&o.APIKeyFile, "api-key-file", "", "accept the API key in `FILE`")
	f.StringVar(&o.RateLimit, "rate-limit", "100/5s,1000/3m", "server-side rate-limit windows `SPEC` (\"none\" disables)")
	f.DurationVar(&o.Config.Latency, "latency", 0, "added to every response")
	f.IntVar(&o.Config.FailEvery, "fail-every", 0, "every `N`th order answers 500 and creates nothing")
	f.IntVar(&o.Reads.FailEvery, "fail-reads-every", 0, "every `N`th GET (order info, lists, account, downloads) answers 500")
	f.IntVar(&o.Reads.DropEvery, "drop-reads-every", 0, "every `N`th GET is dropped without an answer")
	f.IntVar(&o.Config.FailAfterCreateEvery, "fail-after-create-every", 0, "every `N`th order is created, then answered with 500")
	f.IntVar(&o.Config.DropEvery, "drop-every", 0, "every `N`th order is created, then the connection is dropped without an answer")
	f.DurationVar(&o.Config.IssueDelay, "issue-delay", 0, "approved orders stay pending this long before they are issued")
	f.StringVar(&o.Config.DataFile, "data", "", "keep orders in `FILE` across restarts")
	f.BoolVar(&o.Config.ErrorsAsObject, "errors-as-object", false, "send \"errors\" as an object instead of an array")
	f.BoolVar(&o.Config.EmailValidation, "email-validation", false, "S/MIME orders stay pending until their emails are validated (the validation links are printed)")
	f.DurationVar(&o.Config.PickupDelay, "pickup-delay", 0, "client orders without a CSR wait this long in waiting_pickup (0: picked up at once)")
	f.BoolVar(&o.StrictFilters, "strict-filters", true, "refuse undocumented list filters, sort keys and parameter spellings")
	f.StringSliceVar(&o.Config.Products, "products", nil, "enable only these product `IDS` (comma-separated; default all)")
	f.IntVar(&o.Config.StatusPageSize, "status-page-size", 0, "at most `N` orders per page of the status-change feed (0: 1000)")
	f.StringArrayVar(&o.Hold, "hold", nil, "start holding an issued client_premium certificate for `EMAIL[:DAYS]` that expires in DAYS days (default 20; repeatable): renewals and leavers to rehearse")
	return cmd
}

// parseHold reads --hold EMAIL[:DAYS].
func parseHold(s string) (sandbox.Holding, error) {
	email, days, hasDays := strings.Cut(strings.TrimSpace(s), ":")
	h := sandbox.Holding{Email: email, ExpiresIn: 20}
	if hasDays {
		n, err := strconv.Atoi(days)
		if err != nil || n < -7 || n > 3650 {
			return h, l10n.Errorf("--hold %q: DAYS must be a number of days from -7 to 3650", s)
		}
		h.ExpiresIn = n
	}
	if strings.Count(email, "@") != 1 || strings.ContainsAny(email, " ,;") {
		return h, l10n.Errorf("--hold %q: want EMAIL[:DAYS], e.g. bo.kim@example.com:20", s)
	}
	return h, nil
}

func runSandbox(ctx context.Context, o *SandboxOptions) error {
	p := o.IO.P()
	windows, err := ratelimit.Parse(o.RateLimit)
	if err != nil {
		return usageErrorf("--rate-limit: %v", err)
	}
	cfg := o.Config
	for _, h := range o.Hold {
		hd, err := parseHold(h)
		if err != nil {
			return usageErrorf("%v", err)
		}
		cfg.Holdings = append(cfg.Holdings, hd)
	}
	cfg.LenientFilters = !o.StrictFilters
	if o.Reads != (sandbox.Faults{}) {
		cfg.Faults = map[string]sandbox.Faults{sandbox.EndpointRead: o.Reads}
	}
	if cfg.EmailValidation {
		cfg.EmailValidationLog = o.IO.Out
	}
	cfg.Windows = []sandbox.Window{} // none unless the spec names some
	for _, w := range windows {
		cfg.Windows = append(cfg.Windows, sandbox.Window{Limit: w.Limit, Per: w.Per})
	}
	key := SandboxDefaultKey
	if k, err := apiKey(o.APIKeyFile, o.IO); err == nil {
		key = k
	} else if o.APIKeyFile != "" {
		return err
	}
	cfg.APIKey = key
	return sandbox.ListenAndServe(ctx, o.Addr, cfg, func(base string) {
		keyNote := "the configured API key"
		if key == SandboxDefaultKey {
			keyNote = `the API key "sandbox"`
		}
		limits := "none"
		if len(windows) > 0 {
			limits = ratelimitSpec(windows)
		}
		p.Fprintf(o.IO.Out, "sandbox: serving CertCentral at %s (accepts %s; rate limits %s)\n", base, keyNote, limits)
		p.Fprintf(o.IO.Out, "sandbox: try: DIGICERT_API_KEY=... certbatch submit INPUT --base-url %s\n", strings.TrimSuffix(base, "/"))
	})
}
