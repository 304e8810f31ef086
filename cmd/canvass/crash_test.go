package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles the real canvass command once for the process tests.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "canvass-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "canvass")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	return bin, nil
})

// serveProcess starts `canvass serve` as a separate process, with extra
// flags after the test's own.
func serveProcess(t *testing.T, dataDir, addr string, extra ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "--addr", addr, "--data-dir", dataDir, "--submit-rate", "0", "--log-level", "info"}, extra...)
	cmd := exec.Command(bin, args...)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if res, err := http.Get("http://" + addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd, &logs
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("serve did not become ready:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func submissionBody(id string, n int) string {
	return fmt.Sprintf(`{"submission_id": %q, "answers": {"library_name": "Library %d", "contact_email": "l%d@example.org", "country": "FR",
	  "measurement_status": "not_measuring", "share_data": "no", "population_served": %d}}`, id, n, n, 1000+n)
}

// TestKillDashNineLosesNothing kills the server with SIGKILL in the middle
// of a stream of submissions: after a restart, every response that got a
// 201 is there, intact, exactly once.
func TestKillDashNineLosesNothing(t *testing.T) {
	dir := t.TempDir()
	addr := freePort(t)
	cmd, logs := serveProcess(t, dir, addr)

	var mu sync.Mutex
	acked := map[string]int{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				n := w*100000 + i
				id := fmt.Sprintf("crash-%02d-%06d", w, i)
				res, err := client.Post("http://"+addr+"/api/v1/surveys/impact-methods/responses", "application/json", strings.NewReader(submissionBody(id, n)))
				if err != nil {
					return // the server is gone
				}
				res.Body.Close()
				if res.StatusCode == 201 {
					mu.Lock()
					acked[id] = n
					mu.Unlock()
				}
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d submissions acknowledged before the kill:\n%s", len(acked), logs.String())
	}

	// Restart on the same data directory: the kernel released the lock.
	cmd, _ = serveProcess(t, dir, addr)
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "check", "--role", "analyst", "--data-dir", dir}, nil, &out, &errOut, noEnv); err != nil {
		t.Fatalf("%v %s", err, errOut.String())
	}
	token := strings.TrimSpace(out.String())
	stored := map[string]int{}
	for page := 1; ; page++ {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/api/v1/surveys/impact-methods/responses?per_page=500&page=%d", addr, page), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Responses []struct {
				SubmissionID string         `json:"submission_id"`
				Answers      map[string]any `json:"answers"`
			}
		}
		_ = json.NewDecoder(res.Body).Decode(&list)
		res.Body.Close()
		for _, r := range list.Responses {
			stored[r.SubmissionID]++
			if n, ok := acked[r.SubmissionID]; ok && (r.Answers["library_name"] != fmt.Sprintf("Library %d", n) || r.Answers["population_served"] != float64(1000+n)) {
				t.Errorf("%s stored with other answers: %v", r.SubmissionID, r.Answers)
			}
		}
		if len(list.Responses) < 500 {
			break
		}
	}
	for id := range acked {
		if stored[id] != 1 {
			t.Errorf("%s acknowledged with 201, stored %d times", id, stored[id])
		}
	}
	t.Logf("%d acknowledged before SIGKILL, %d stored (a few may have been stored without their 201 arriving)", len(acked), len(stored))
}
