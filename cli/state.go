package cli

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/certbatch/certbatch/certcentral"
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

// journalPath returns the journal of the endpoint a command talks to:
// --state, $CERTBATCH_STATE, or STATE_DIR/<endpoint>.db.
func (a *apiFlags) journalPath(sio IO) (string, error) {
	if a.state != "" {
		return a.state, nil
	}
	if p := sio.Getenv("CERTBATCH_STATE"); p != "" {
		return p, nil
	}
	dir, err := stateDir(sio)
	if err != nil {
		return "", err
	}
	base := a.baseURL
	if base == "" {
		base = sio.Getenv("DIGICERT_BASE_URL")
	}
	p := filepath.Join(dir, endpointName(base, a.sandbox)+".db")
	if err := checkLegacy(p); err != nil {
		return "", err
	}
	return p, nil
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

// openWriter opens the journal at path for a command that may write it,
// creating the state directory (mode 0700) for a default path. A path
// that is not a file (":memory:", a device, a folder) is refused: what a
// submission orders must be remembered.
func openWriter(path string) (*journal.Journal, error) {
	if path == journal.Memory || strings.HasPrefix(path, "file:") {
		return nil, usageErrorf("--state %s: a journal must be a file, so that what is ordered is remembered", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	return journal.Open(path, journal.Options{})
}

// readPath returns the journal a command reads (history, results,
// prune): --state, $CERTBATCH_STATE, or the one journal in the state
// directory; with several there, the command must say which.
func readPath(flag string, sio IO) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := sio.Getenv("CERTBATCH_STATE"); p != "" {
		return p, nil
	}
	dir, err := stateDir(sio)
	if err != nil {
		return "", err
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	slices.Sort(found)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if fileExists(legacyJournal) {
			return legacyJournal, nil
		}
		return "", usageErrorf("no journal in %s yet (pass --state FILE)", dir)
	}
	return "", usageErrorf("several journals in %s (%s): pass --state FILE", dir, strings.Join(found, ", "))
}

// openExisting opens an existing journal for writing (reconcile, prune):
// these commands never create one.
func openExisting(path string) (*journal.Journal, error) {
	if !fileExists(path) {
		return nil, usageErrorf("no journal at %s (pass --state or set CERTBATCH_STATE)", path)
	}
	return journal.Open(path, journal.Options{})
}
