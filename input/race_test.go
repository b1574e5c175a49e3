//go:build race

package input

// raceEnabled: the race detector makes the hostile-file tests several
// times slower.
const raceEnabled = true
