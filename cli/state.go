package cli

import (
	"cmp"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certbatch/certbatch/certcentral"
	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/journal"
)

// legacyJournal is where certbatch before version 2 kept its journal:
// in the current folder.
const legacyJournal = "certbatch.db"

// stateDir is certbatch's folder in the user's state directory:
// $XDG_STATE_HOME/certbatch, else ~/.local/state/certbatch on Linux and
// other Unix systems, ~/Library/Application Support/certbatch on macOS,
// %LOCALAPPDATA%\certbatch on Windows. It is a few lines written here,
// not a library, because the environment comes from IO (tests inject it).
func stateDir(sio IO) (string, error) {
	if d := sio.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "certbatch"), nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := sio.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "certbatch"), nil
		}
	case "darwin":
		if h := sio.Getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support", "certbatch"), nil
		}
	default:
		if h := sio.Getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "state", "certbatch"), nil
		}
	}
	return "", usageErrorf("no state directory: set HOME or XDG_STATE_HOME, or pass --state FILE")
}

// endpointName names an endpoint's journal file: its host (and port),
// or "sandbox" for the built-in one, so production and sandbox orders
// never share a journal.
func endpointName(base string, sandbox bool) string {
	if sandbox {
		return "sandbox"
	}
	if base == "" {
		base = certcentral.DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "endpoint"
	}
	name := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" {
		name += "-" + p
	}
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// journalLoc is where a journal is: an SQLite file path, or the URL of a
// PostgreSQL journal shared by a team. It prints (fmt, slog text and
// JSON) with a URL's password masked; string(l) is for journal.Open
// alone.
type journalLoc string

// String is the location as it may be shown.
func (l journalLoc) String() string { return journal.Redacted(string(l)) }

// LogValue is the location as logs show it.
func (l journalLoc) LogValue() slog.Value { return slog.StringValue(l.String()) }

// MarshalText is the location as JSON shows it.
func (l journalLoc) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// shared reports whether the location is a PostgreSQL URL.
func (l journalLoc) shared() bool { return journal.IsURL(string(l)) }

// exists reports whether there is a journal to open: a file that
// exists, or a database (which Open checks).
func (l journalLoc) exists() bool { return l.shared() || fileExists(string(l)) }

// chosenJournal is the journal the flags and the environment name, ""
// for none: --journal or --state (the same flag under two names),
// else $CERTBATCH_JOURNAL or $CERTBATCH_STATE. Two different ones are
// a usage error: a run must never guess which journal protects it.
func chosenJournal(journalFlag, stateFlag string, sio IO) (journalLoc, error) {
	pick := func(what l10n.Term, a, b string, an, bn string) (string, error) {
		if a != "" && b != "" && a != b {
			return "", usageErrorf("%s %s and %s name two journals (%s, %s): give one", what, an, bn, journal.Redacted(a), journal.Redacted(b))
		}
		return cmp.Or(a, b), nil
	}
	f, err := pick("the flags", journalFlag, stateFlag, "--journal", "--state")
	if err != nil || f != "" {
		return journalLoc(f), err
	}
	e, err := pick("the environment variables", sio.Getenv("CERTBATCH_JOURNAL"), sio.Getenv("CERTBATCH_STATE"), "CERTBATCH_JOURNAL", "CERTBATCH_STATE")
	return journalLoc(e), err
}

// journalPath returns the journal of the endpoint a command talks to:
// the one the flags or the environment name (chosenJournal), or
// STATE_DIR/<endpoint>.db.
func (a *apiFlags) journalPath(sio IO) (journalLoc, error) {
	if l, err := chosenJournal(a.journal, a.state, sio); err != nil || l != "" {
		return l, err
	}
	dir, err := stateDir(sio)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, a.endpoint(sio)+".db")
	if err := checkLegacy(p); err != nil {
		return "", err
	}
	return journalLoc(p), nil
}

// endpoint names the endpoint the command talks to (endpointName).
func (a *apiFlags) endpoint(sio IO) string {
	base := a.baseURL
	if base == "" {
		base = sio.Getenv("DIGICERT_BASE_URL")
	}
	return endpointName(base, a.sandbox)
}

// journalOptions are the options a command that talks to an endpoint
// opens its journal with: a shared journal is bound to the endpoint.
func (a *apiFlags) journalOptions(sio IO, loc journalLoc) journal.Options {
	if !loc.shared() {
		return journal.Options{}
	}
	return journal.Options{Endpoint: a.endpoint(sio)}
}

// checkLegacy refuses to start a new default journal while an earlier
// version's journal sits in the current folder: its orders would be
// forgotten and everyone ordered again.
func checkLegacy(def string) error {
	if fileExists(def) || !fileExists(legacyJournal) {
		return nil
	}
	abs, _ := filepath.Abs(legacyJournal)
	return usageErrorf("a journal of an earlier certbatch is in this folder (%s); journals now live in %s, one per endpoint: move it there (mv %s %s) or pass --state %s",
		abs, filepath.Dir(def), legacyJournal, def, legacyJournal)
}

// openWriter opens the journal at loc for a command that may write it,
// creating the state directory (mode 0700) for a file. A path that is
// not a file (":memory:", a device, a folder) is refused: what a
// submission orders must be remembered.
func openWriter(loc journalLoc, opts journal.Options) (*journal.Journal, error) {
	if loc.shared() {
		return journal.Open(string(loc), opts)
	}
	path := string(loc)
	if path == journal.Memory || strings.HasPrefix(path, "file:") {
		return nil, usageErrorf("--state %s: a journal must be a file, so that what is ordered is remembered", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, l10n.Errorf("open journal %s: %w", path, err)
	}
	return journal.Open(path, opts)
}

// needKey checks, unless the command talks to the built-in sandbox,
// that an API key is at hand, so a command that needs one fails before
// it creates anything.
func (a *apiFlags) needKey(sio IO) error {
	if a.sandbox {
		return nil
	}
	_, err := apiKey(a.apiKeyFile, sio)
	return err
}

// writableJournal checks the API key (needKey) and opens the journal of
// the endpoint the command talks to for writing (journalPath,
// openWriter): the start of every command that changes orders but
// submit, which checks its output in between.
func (a *apiFlags) writableJournal(sio IO) (*journal.Journal, journalLoc, error) {
	if err := a.needKey(sio); err != nil {
		return nil, "", err
	}
	loc, err := a.journalPath(sio)
	if err != nil {
		return nil, "", err
	}
	j, err := openWriter(loc, a.journalOptions(sio, loc))
	return j, loc, err
}

// readPath returns the journal a command reads (history, results,
// prune): the one the flags or the environment name, or the one journal
// in the state directory; with several there, the command must say
// which.
func readPath(journalFlag, stateFlag string, sandbox bool, sio IO) (journalLoc, error) {
	if l, err := chosenJournal(journalFlag, stateFlag, sio); err != nil || l != "" {
		return l, err
	}
	dir, err := stateDir(sio)
	if err != nil {
		return "", err
	}
	if sandbox {
		return journalLoc(filepath.Join(dir, endpointName("", true)+".db")), nil
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	slices.Sort(found)
	switch len(found) {
	case 1:
		return journalLoc(found[0]), nil
	case 0:
		if fileExists(legacyJournal) {
			return legacyJournal, nil
		}
		return "", usageErrorf("no journal in %s yet (pass --journal or --state)", dir)
	}
	return "", usageErrorf("several journals in %s (%s): pass --journal FILE (or --sandbox for the sandbox's)", dir, strings.Join(found, ", "))
}

// openExisting opens an existing journal for writing (reconcile, prune):
// these commands never create one.
func openExisting(loc journalLoc, opts journal.Options) (*journal.Journal, error) {
	if !loc.exists() {
		return nil, usageErrorf("no journal at %s (pass --journal or --state, or set CERTBATCH_JOURNAL)", loc)
	}
	return journal.Open(string(loc), opts)
}

// addReadJournalFlags registers, for a command that only reads a
// journal (history, prune, results), the journal flags and --sandbox:
// the journal of the runs made with --sandbox.
func addReadJournalFlags(cmd *cobra.Command, journalFlag, stateFlag *string, sandbox *bool) {
	addJournalFlags(cmd, journalFlag, stateFlag)
	cmd.Flags().BoolVar(sandbox, "sandbox", false, "read the journal of the runs made with --sandbox (sandbox.db in the state directory)")
}

// addJournalFlags registers --journal and its older name --state.
func addJournalFlags(cmd *cobra.Command, journalFlag, stateFlag *string) {
	f := cmd.Flags()
	f.StringVar(journalFlag, "journal", "", "order journal: an SQLite `FILE`, or postgres://user@host/db for one journal shared by a team (default $CERTBATCH_JOURNAL, else one file per endpoint in the state directory, e.g. ~/.local/state/certbatch/www.digicert.com.db)")
	f.StringVar(stateFlag, "state", "", "the same as --journal (its older name; default $CERTBATCH_STATE)")
}
