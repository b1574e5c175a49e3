package mailbox

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The fast path for plain domains answers exactly what the IDNA profile
// answers, for every domain it accepts; a domain it refuses goes to the
// profile. Checked on hand-picked cases and random LDH strings.
func TestPlainLDHIsTheProfile(t *testing.T) {
	cases := []string{"example.com", "Example.COM", "a.b", "sub-1.example.org", "xn--bcher-kva.example", "ab--cd.example",
		"-a.example", "a-.example", "a..b", "", ".", "a.", "1.2.3.4", "a_b.example", "ü.example"}
	rng := rand.New(rand.NewPCG(7, 9))
	const chars = "abcXYZ019-."
	for range 20000 {
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		cases = append(cases, string(b))
	}
	for _, d := range cases {
		got, ok := plainLDH(d)
		if !ok {
			continue
		}
		want, err := profile.ToASCII(d)
		if err != nil || want == "" {
			t.Fatalf("%q: the fast path accepts it as %q; the profile refuses it (%v)", d, got, err)
		}
		if got != want {
			t.Fatalf("%q: fast path %q, profile %q", d, got, want)
		}
	}
}

// Key's fast path for ASCII addresses with plain domains gives what the
// full road gives, on hand-picked and random addresses.
func TestKeyFastPath(t *testing.T) {
	cases := []string{"Ann@Example.COM", "a b@example.com", "ann@localhost", "@example.com", "ann@", "a@b@example.com",
		"ann@xn--bcher-kva.example", "ann@bücher.example", "\"q\"@example.com", "ann@-x.example", "ann@a_b.example"}
	rng := rand.New(rand.NewPCG(3, 5))
	const chars = "abXY09-._@ +\""
	for range 20000 {
		b := make([]byte, 1+rng.IntN(16))
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		s = strings.TrimSpace(s)
		if got, want := Key(s), keySlow(s); got != want {
			t.Fatalf("Key(%q) = %q, the full road gives %q", s, got, want)
		}
	}
}
