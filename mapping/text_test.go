package mapping

import (
	"strings"
	"testing"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/internal/textsafe"
)

// badText's fast path skips printable ASCII: every such character must
// be one textsafe calls safe, or the fast path would let it through.
func TestPrintableASCIIIsSafe(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		fast := printableASCII(string(r))
		if fast && textsafe.Classify(r) != textsafe.Safe {
			t.Errorf("U+%04X: fast path says printable, textsafe says %v", r, textsafe.Classify(r))
		}
		if !fast && textsafe.Classify(r) == textsafe.Safe && r != '\n' && r != '\r' && r != '\t' {
			t.Logf("U+%04X: safe but not on the fast path", r)
		}
	}
}

// A problem names its character's position, in characters, wherever it
// is in a long value.
func TestBadTextNamesThePosition(t *testing.T) {
	s := strings.Repeat("김", 500) + "\u00ad" + "x"
	got := badText(l10n.Printer{}, s, false)
	if !strings.Contains(got, "U+00AD") || !strings.Contains(got, "character 501") {
		t.Errorf("badText = %q, want the soft hyphen at character 501", got)
	}
	if got := badText(l10n.Printer{}, strings.Repeat("Ann Lee ", 100), false); got != "" {
		t.Errorf("plain ASCII: %q", got)
	}
}
