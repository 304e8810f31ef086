//go:build race

package disclosure_test

// raceOn: the race detector slows the random-survey test tenfold.
const raceOn = true
