// Package memtest measures what a call costs in memory, for tests that
// hold a bound (hostile uploads, concurrent sign-ins).
package memtest

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Usage is what one call cost: the peak of HeapInuse above the figure
// before the call (sampled every millisecond), and the bytes allocated.
type Usage struct {
	PeakHeap   uint64
	TotalAlloc uint64
	Elapsed    time.Duration
}

// String formats u in MiB.
func (u Usage) String() string {
	return fmt.Sprintf("peak heap +%.1f MiB, allocated %.1f MiB, %v", float64(u.PeakHeap)/(1<<20), float64(u.TotalAlloc)/(1<<20), u.Elapsed.Round(time.Millisecond))
}

// Measure runs f and returns its Usage. Measure calls from one goroutine at
// a time (the figures are process-wide).
func Measure(f func()) Usage {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var (
		mu   sync.Mutex
		peak = before.HeapInuse
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	start := time.Now()
	f()
	elapsed := time.Since(start)
	sample()
	close(done)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return Usage{PeakHeap: peak - before.HeapInuse, TotalAlloc: after.TotalAlloc - before.TotalAlloc, Elapsed: elapsed}
}
