package mapping

import (
	"strings"
	"unicode"

	"github.com/certbatch/certbatch/internal/l10n"
	"github.com/certbatch/certbatch/templates"
)

// NormalizeHeader folds a header for matching: compatibility forms are
// unified (NFKC: full-width "Ｅｍａｉｌ" is "Email", decomposed Hangul is
// composed), case, spaces and punctuation are ignored, so "E-Mail "
// matches "email". Letters of any script and digits are kept. It is
// [templates.NormalizeHeader], which templates check their headers with.
func NormalizeHeader(h string) string { return templates.NormalizeHeader(h) }

// maxSuggestDistance is how many edits apart a near miss may be.
const maxSuggestDistance = 2

// Suggest returns the candidate h most likely stands for (a did you
// mean): one equal to h once normalized ([NormalizeHeader]), else the
// nearest whose Damerau-Levenshtein distance (optimal string alignment:
// insertions, deletions, substitutions and swaps of adjacent
// characters) from h is at most 2, case ignored, on h as written or
// normalized. A near miss changes at most half of h's characters, so
// "ID" suggests no "CN" and "CSR" no "CN". Ties go to the earlier
// candidate; ok is false when none is near. It is a hint for an error
// message, never a match: "電郵" (email) is one edit from "電話" (phone).
func Suggest(h string, candidates []string) (string, bool) {
	nh := NormalizeHeader(h)
	lh := []rune(strings.ToLower(h))
	best, bestD := -1, maxSuggestDistance+1
	for i, c := range candidates {
		if nh != "" && NormalizeHeader(c) == nh {
			return c, true
		}
		d := distance(lh, []rune(strings.ToLower(c)))
		if nc := NormalizeHeader(c); nh != "" && nc != "" {
			d = min(d, distance([]rune(nh), []rune(nc)))
		}
		if d < bestD && 2*d <= len(lh) {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return "", false
	}
	return candidates[best], true
}

// DidYouMean returns ` (did you mean "X"?)` for [Suggest]'s answer, or
// "": the tail of an error about an unknown header, config key or field,
// printed in the language of the message it goes into.
func DidYouMean(h string, candidates []string) l10n.Msg {
	if s, ok := Suggest(h, candidates); ok && s != h {
		return l10n.Msgf(" (did you mean %q?)", s)
	}
	return l10n.Term("")
}

// distance is the optimal string alignment distance of a and b, or
// maxSuggestDistance+1 once it is sure to exceed that.
func distance(a, b []rune) int {
	if abs(len(a)-len(b)) > maxSuggestDistance {
		return maxSuggestDistance + 1
	}
	// Three rows: two back (for swaps), previous and current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] || unicode.SimpleFold(a[i-1]) == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > maxSuggestDistance {
			return maxSuggestDistance + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
