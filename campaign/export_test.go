package campaign

// HoldDisclosures makes every disclosure job s starts from now on wait
// until gate is closed, so that a test can look at what visitors are
// served meanwhile. Call it before the requests it is meant to hold.
func HoldDisclosures(s *Service, gate chan struct{}) { s.gate = gate }
