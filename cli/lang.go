package cli

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/internal/l10n"
)

// P returns the printer of the run's language: --lang, else the
// environment's locale (LC_ALL, LC_MESSAGES, LANG), else English.
func (s IO) P() l10n.Printer {
	if s.lang == nil {
		return l10n.Printer{}
	}
	return *s.lang
}

// withLang returns sio with its language chosen from the environment
// and args (the --lang flag, read before the command line is parsed so
// that a line that does not parse is answered in it too), shared by
// every copy of the IO the commands hold: the root's --lang flag sets it
// again once parsed.
func withLang(sio IO, args []string) IO {
	p := langFrom(sio, args)
	sio.lang = &p
	return sio
}

// langFrom is the printer args and the environment ask for.
func langFrom(sio IO, args []string) l10n.Printer {
	tag := l10n.English
	if sio.Getenv != nil {
		tag = l10n.FromEnv(sio.Getenv)
	}
	if v, ok := langAsked(args); ok {
		if t, ok := l10n.Match(v); ok {
			tag = t
		}
	}
	return l10n.For(tag)
}

// langAsked returns the value of --lang in args, as a parsed command
// line would have it.
func langAsked(args []string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return v, true
		}
		if a == "--lang" && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// addLangFlag registers --lang on every command: the language of
// messages, prompts, results headers and outcome words, and of the
// template's headers and notes.
func addLangFlag(root *cobra.Command, sio IO) {
	var lang string
	root.PersistentFlags().StringVar(&lang, "lang", "", "`LANGUAGE` of messages, results headers and templates: en, ko (Korean) or zh-TW (Traditional Chinese) (default: from $LC_ALL, $LC_MESSAGES or $LANG, else en)")
	root.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"en", "ko", "zh-TW"}, cobra.ShellCompDirectiveNoFileComp))
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if !cmd.Flags().Changed("lang") {
			return nil
		}
		t, ok := l10n.Match(lang)
		if !ok {
			return usageErrorf("--lang %q: not a language certbatch speaks (en, ko, zh-TW)", lang)
		}
		*sio.lang = l10n.For(t)
		return nil
	}
}

// langHandler writes log records in the run's language: the message, a
// message of the catalog, and error values; the keys stay English
// (--log-format json is for machines: its keys are the same in every
// language).
type langHandler struct {
	slog.Handler
	p func() l10n.Printer
}

func (h langHandler) Handle(ctx context.Context, r slog.Record) error {
	p := h.p()
	if p.English() {
		return h.Handler.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, p.Term(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok {
			a = slog.String(a.Key, p.Error(err))
		}
		out.AddAttrs(a)
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h langHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return langHandler{Handler: h.Handler.WithAttrs(as), p: h.p}
}

func (h langHandler) WithGroup(name string) slog.Handler {
	return langHandler{Handler: h.Handler.WithGroup(name), p: h.p}
}

// cobraErrors are the command-line errors cobra and pflag make, as
// their English reads, with the message of the catalog that says them
// in the run's language; the submatches are its arguments.
var cobraErrors = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^unknown flag: (\S+)$`), "unknown flag: %s"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)$`), "unknown shorthand flag: '%s' in %s"},
	{regexp.MustCompile(`^flag needs an argument: (.+)$`), "flag needs an argument: %s"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"`), "unknown command %q for %q"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "accepts %s arg(s), received %s"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "requires at least %s arg(s), only received %s"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: (.*)$`), "invalid argument %q for %q flag: %s"},
}

// errorText is err as the final error line says it, in p's language:
// certbatch's errors through the catalog, cobra's command-line errors
// by their known shapes.
func errorText(p l10n.Printer, err error) string {
	if p.English() || !isCobraUsage(err) {
		return p.Error(err)
	}
	s := err.Error()
	for _, c := range cobraErrors {
		if m := c.re.FindStringSubmatch(s); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			// The keys are checked by TestCLITermsInCatalog.
			return fmt.Sprintf(p.Term(c.key), args...)
		}
	}
	return s
}
