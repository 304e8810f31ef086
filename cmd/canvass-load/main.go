// Command canvass-load simulates respondents against a running Canvass:
// each fetches the survey's form, answers it (realistic synthetic answers)
// and posts, retrying on failures with the same submission id; some post
// twice on purpose. At the end it reads back what was stored and checks it
// against what was acknowledged: nothing lost, nothing doubled. It prints
// the throughput and the latency percentiles of the posts.
//
//	canvass-load --url http://127.0.0.1:8080 --token TOKEN [--survey impact-methods] [--respondents 5000] [--concurrency 64]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metlib/canvass/demo"
	"github.com/metlib/canvass/survey"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the running Canvass")
	token := flag.String("token", os.Getenv("CANVASS_TOKEN"), "an analyst token, to read back what was stored (env CANVASS_TOKEN)")
	slug := flag.String("survey", "impact-methods", "survey to answer")
	respondents := flag.Int("respondents", 5000, "how many respondents")
	concurrency := flag.Int("concurrency", 64, "respondents at once")
	duplicates := flag.Float64("duplicates", 0.1, "share of respondents who post the same answers twice on purpose")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	flag.Parse()
	if *token == "" {
		fmt.Fprintln(os.Stderr, "canvass-load: --token is required (canvass token create --name load --role analyst)")
		os.Exit(2)
	}
	ok, err := run(*base, *token, *slug, *respondents, *concurrency, *duplicates, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "canvass-load:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

type result struct {
	latencies []time.Duration
	acked     map[string]string // submission id → the answers' JSON
	retries   int64
	dupPosts  int64
}

func run(base, token, slug string, n, concurrency int, dupShare float64, seed uint64) (bool, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	sv, err := fetchForm(client, base, slug)
	if err != nil {
		return false, err
	}
	// The answers, made before the clock starts.
	responses := demo.Responses(sv, n, seed, time.Now())
	res := &result{acked: map[string]string{}}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				// A respondent fetches the form first, as a browser would.
				if res, err := client.Get(base + "/api/v1/surveys/" + slug + "/form"); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				r := responses[i]
				id := fmt.Sprintf("load-%d-%06d", seed, i)
				body, _ := json.Marshal(map[string]any{"submission_id": id, "language": r.Language, "answers": r.Answers})
				times := 1
				if rng.Float64() < dupShare {
					times = 2
					atomic.AddInt64(&res.dupPosts, 1)
				}
				for k := 0; k < times; k++ {
					lat, retries, err := post(client, base, slug, body)
					atomic.AddInt64(&res.retries, int64(retries))
					if err != nil {
						fmt.Fprintf(os.Stderr, "%s: %v\n", id, err)
						continue
					}
					answers, _ := survey.MarshalAnswers(r.Answers)
					mu.Lock()
					res.latencies = append(res.latencies, lat)
					res.acked[id] = string(answers)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)

	stored, err := readBack(client, base, slug, token)
	if err != nil {
		return false, err
	}
	lost, doubled, changed := 0, 0, 0
	for id, answers := range res.acked {
		got := stored[id]
		switch {
		case len(got) == 0:
			lost++
		case len(got) > 1:
			doubled++
		case got[0] != answers:
			changed++
		}
	}
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	pct := func(p float64) time.Duration {
		if len(res.latencies) == 0 {
			return 0
		}
		return res.latencies[min(len(res.latencies)-1, int(p*float64(len(res.latencies))))]
	}
	fmt.Printf("respondents %d, concurrency %d, duplicate posts on purpose %d, retries %d\n", n, concurrency, res.dupPosts, res.retries)
	fmt.Printf("elapsed %s, throughput %.0f respondents/s (%.0f posts/s)\n", elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), float64(len(res.latencies))/elapsed.Seconds())
	fmt.Printf("post latency p50 %s, p95 %s, p99 %s\n", pct(.50).Round(100*time.Microsecond), pct(.95).Round(100*time.Microsecond), pct(.99).Round(100*time.Microsecond))
	fmt.Printf("acknowledged %d, stored %d: lost %d, doubled %d, changed %d\n", len(res.acked), len(stored), lost, doubled, changed)
	return lost == 0 && doubled == 0 && changed == 0 && len(res.acked) == n, nil
}

func fetchForm(client *http.Client, base, slug string) (*survey.Survey, error) {
	res, err := client.Get(base + "/api/v1/surveys/" + slug + "/form")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		return nil, fmt.Errorf("form: %d %v", res.StatusCode, err)
	}
	return survey.ParseDefinition(data, "json")
}

// post sends a submission, retrying (same body, same submission id) on
// network errors, 429 and 5xx, as a careful client does.
func post(client *http.Client, base, slug string, body []byte) (time.Duration, int, error) {
	wait := 100 * time.Millisecond
	for attempt := 0; attempt < 8; attempt++ {
		start := time.Now()
		res, err := client.Post(base+"/api/v1/surveys/"+slug+"/responses", "application/json", bytes.NewReader(body))
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			switch {
			case res.StatusCode == 201 || res.StatusCode == 200:
				return time.Since(start), attempt, nil
			case res.StatusCode != 429 && res.StatusCode < 500:
				return 0, attempt, fmt.Errorf("status %d", res.StatusCode)
			}
		}
		time.Sleep(wait)
		wait *= 2
	}
	return 0, 8, errors.New("gave up after 8 attempts")
}

// readBack lists every stored response: submission id → the answers' JSON.
func readBack(client *http.Client, base, slug, token string) (map[string][]string, error) {
	stored := map[string][]string{}
	for page := 1; ; page++ {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, fmt.Sprintf("%s/api/v1/surveys/%s/responses?per_page=500&page=%d", base, slug, page), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		var list struct {
			Responses []struct {
				SubmissionID string         `json:"submission_id"`
				Answers      survey.Answers `json:"answers"`
			} `json:"responses"`
		}
		err = json.NewDecoder(res.Body).Decode(&list)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			return nil, fmt.Errorf("read back: %d %v", res.StatusCode, err)
		}
		for _, r := range list.Responses {
			raw, _ := json.Marshal(r.Answers)
			answers, _ := survey.UnmarshalAnswers(raw)
			canonical, _ := survey.MarshalAnswers(answers)
			stored[r.SubmissionID] = append(stored[r.SubmissionID], string(canonical))
		}
		if len(list.Responses) < 500 {
			return stored, nil
		}
	}
}
