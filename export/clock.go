package export

import "time"

// timeNow is the clock of Generated when the caller gives none.
var timeNow = func() time.Time { return time.Now().UTC() }
