package sandbox

import "testing"

// A holding's person is named from the address as companies write it.
func TestNamesOfLocalPart(t *testing.T) {
	for local, want := range map[string][2]string{
		"bo.kim": {"Bo", "Kim"}, "cy_park": {"Cy", "Park"}, "ann-marie.lee": {"Ann", "Marie Lee"}, "soon": {"Soon", ""}, "": {"", ""}, "..": {"", ""},
	} {
		if f, l := namesOf(local); f != want[0] || l != want[1] {
			t.Errorf("namesOf(%q) = %q, %q, want %q, %q", local, f, l, want[0], want[1])
		}
	}
}
