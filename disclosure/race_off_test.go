//go:build !race

package disclosure_test

const raceOn = false
