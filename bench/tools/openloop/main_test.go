package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, v := range ms {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

// The expected values are what summarizeLatencies in bench/recommender/support/latency.ts gives
// for the same inputs.
func TestPercentilesMatchLatencyTs(t *testing.T) {
	if got := median(durations(1, 3, 5)); got != 3*time.Millisecond {
		t.Errorf("median of odd count = %v, want 3ms", got)
	}
	if got := median(durations(1, 2, 4, 10)); got != 3*time.Millisecond {
		t.Errorf("median of even count = %v, want the mean of the middle two, 3ms", got)
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	if got := nearestRank(durations(hundred...), 0.99); got != 99*time.Millisecond {
		t.Errorf("p99 of 1..100 = %v, want 99ms (nearest rank ceil(0.99*100) = 99th)", got)
	}
	if got := nearestRank(durations(hundred[:10]...), 0.99); got != 10*time.Millisecond {
		t.Errorf("p99 of 1..10 = %v, want the largest, 10ms", got)
	}
	if got := nearestRank(durations(7), 0.99); got != 7*time.Millisecond {
		t.Errorf("p99 of one value = %v, want it", got)
	}
}

func TestParseFlagsRejectsBadInput(t *testing.T) {
	valid := []string{"-base", "http://127.0.0.1:3000", "-paths", "p.txt", "-rate", "100", "-seconds", "1"}
	cases := map[string][]string{
		"missing base":      {"-paths", "p.txt", "-rate", "100", "-seconds", "1"},
		"missing paths":     {"-base", "http://127.0.0.1:3000", "-rate", "100", "-seconds", "1"},
		"zero rate":         append(append([]string{}, valid...), "-rate", "0"),
		"negative seconds":  append(append([]string{}, valid...), "-seconds", "-1"),
		"no request at all": append(append([]string{}, valid...), "-rate", "0.1", "-seconds", "1"),
		"base without http": append(append([]string{}, valid...), "-base", "127.0.0.1:3000"),
		"no connections":    append(append([]string{}, valid...), "-max-conns", "0"),
		"negative warm-up":  append(append([]string{}, valid...), "-warmup-seconds", "-2"),
		"zero procs":        append(append([]string{}, valid...), "-procs", "0"),
		"stray argument":    append(append([]string{}, valid...), "extra"),
		"unknown flag":      append(append([]string{}, valid...), "-connections", "3"),
	}
	for name, args := range cases {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%s: parseFlags(%q) accepted it", name, args)
		}
	}
	cfg, err := parseFlags(append(append([]string{}, valid...), "-base", "http://127.0.0.1:3000/"))
	if err != nil {
		t.Fatalf("valid flags rejected: %v", err)
	}
	if strings.Join(cfg.bases, ",") != "http://127.0.0.1:3000" || cfg.maxConns != 64 || cfg.warmupSeconds != 0 {
		t.Errorf("defaults or base trimming wrong: %+v", cfg)
	}
	cfg, err = parseFlags(append(append([]string{}, valid...), "-base", "http://a:1/,http://b:2"))
	if err != nil || strings.Join(cfg.bases, " ") != "http://a:1 http://b:2" {
		t.Errorf("two bases: %+v, %v", cfg.bases, err)
	}
	if _, err := parseFlags(append(append([]string{}, valid...), "-base", "http://a:1,b:2")); err == nil {
		t.Error("a malformed second base was accepted")
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "paths.txt")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestReadPaths(t *testing.T) {
	paths, err := readPaths(writeFile(t, "/a?x=1\r\n\n  /b  \n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, ",") != "/a?x=1,/b" {
		t.Errorf("paths = %q", paths)
	}
	for name, content := range map[string]string{
		"empty":    "\n\n",
		"full URL": "/ok\nhttp://127.0.0.1:3000/x\n",
	} {
		if _, err := readPaths(writeFile(t, content)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := readPaths(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestRunCountsEveryScheduledRequestOnce(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		_, _ = w.Write([]byte(strings.Repeat("x", 10_000))) // bigger than one read buffer
	}))
	defer server.Close()

	// 100 warm-up requests, then 200 measured; paths alternate so half the measured ones fail.
	cfg := config{bases: []string{server.URL}, rate: 400, seconds: 0.5, warmupSeconds: 0.25, maxConns: 8,
		drainTimeout: 10 * time.Second}
	res, err := run(cfg, []string{"/ok?n=1", "/fail"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 200 || res.Errors != 100 {
		t.Errorf("sent %d errors %d, want 200 and 100", res.Sent, res.Errors)
	}
	if hits["/ok?n=1"] != 150 || hits["/fail"] != 150 {
		t.Errorf("server saw %v, want 150 of each (warm-up included)", hits)
	}
	if res.P50 == nil || res.P99 == nil || res.Max == nil || *res.P50 <= 0 || *res.P99 > *res.Max {
		t.Errorf("percentiles not filled in consistently: %+v", res)
	}
	if res.RequestsPerSecond <= 0 || res.CPUSeconds <= 0 {
		t.Errorf("rate or CPU missing: %+v", res)
	}
}

func TestRunSendsToEachBaseInTurnAndReportsEach(t *testing.T) {
	var hits [2]atomic.Int64
	servers := make([]*httptest.Server, 2)
	for s := range servers {
		servers[s] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[s].Add(1)
			if s == 1 && r.URL.Path == "/fail" {
				w.WriteHeader(http.StatusInternalServerError)
			}
		}))
		defer servers[s].Close()
	}
	// 40 warm-up requests, then 200 measured; each base gets every other one, and each base's
	// requests alternate between the paths, so the second base fails half of its 100.
	cfg := config{bases: []string{servers[0].URL, servers[1].URL}, rate: 400, seconds: 0.5,
		warmupSeconds: 0.1, maxConns: 8, drainTimeout: 10 * time.Second}
	res, err := run(cfg, []string{"/ok", "/fail"})
	if err != nil {
		t.Fatal(err)
	}
	if hits[0].Load() != 120 || hits[1].Load() != 120 {
		t.Errorf("servers saw %d and %d requests, want 120 each", hits[0].Load(), hits[1].Load())
	}
	if len(res.Targets) != 2 || res.Sent != 200 || res.Errors != 50 {
		t.Fatalf("got %+v, want two targets, 200 sent, 50 errors", res)
	}
	for i, target := range res.Targets {
		wantErrors := int64(50 * i)
		if target.Base != servers[i].URL || target.Sent != 100 || target.Errors != wantErrors ||
			target.P50 == nil || target.P99 == nil || *target.P99 > *target.Max {
			t.Errorf("target %d: %+v, want base %s, 100 sent, %d errors, percentiles", i, target,
				servers[i].URL, wantErrors)
		}
	}
}

func TestRunWithoutServerReportsErrorsAndNullPercentiles(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	base := server.URL
	server.Close() // nothing listens there any more

	cfg := config{bases: []string{base}, rate: 200, seconds: 0.1, maxConns: 4, drainTimeout: 10 * time.Second}
	res, err := run(cfg, []string{"/"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 20 || res.Errors != 20 || res.RequestsPerSecond != 0 {
		t.Errorf("got %+v, want 20 sent, 20 errors, none completed", res)
	}
	line, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(line), `"p50":null`) {
		t.Errorf("JSON %s should carry null percentiles", line)
	}
}

func TestRunGivesUpOnStuckRequestsAfterTheDrainTimeout(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer server.Close()
	defer close(release)

	cfg := config{bases: []string{server.URL}, rate: 100, seconds: 0.1, maxConns: 2,
		drainTimeout: 200 * time.Millisecond}
	res, err := run(cfg, []string{"/hang"})
	if err != nil {
		t.Fatal(err)
	}
	// Two requests hang on the two connections and the other eight queue behind them.
	if res.Sent != 10 || res.Errors != 10 || started.Load() != 2 {
		t.Errorf("got %+v with %d reaching the server, want all 10 failed and 2 started",
			res, started.Load())
	}
}

func TestSteadySysmonEnvKeepsOtherSettingsAndRunsOnce(t *testing.T) {
	env, needed := steadySysmonEnv([]string{"HOME=/root", "GODEBUG=gctrace=0"})
	if !needed || strings.Join(env, " ") != "HOME=/root GODEBUG=gctrace=0,"+steadySysmonSetting {
		t.Errorf("got %q, %v", env, needed)
	}
	env, needed = steadySysmonEnv([]string{"HOME=/root"})
	if !needed || strings.Join(env, " ") != "HOME=/root GODEBUG="+steadySysmonSetting {
		t.Errorf("got %q, %v", env, needed)
	}
	// After the re-execution, or with the user's own schedtrace, nothing changes.
	if _, needed := steadySysmonEnv(env); needed {
		t.Error("would re-execute again with the setting already in place")
	}
	if _, needed := steadySysmonEnv([]string{"GODEBUG=schedtrace=1000"}); needed {
		t.Error("would override the user's schedtrace")
	}
}

func TestSleeperNeverWakesEarlyAndIgnoresNonPositiveWaits(t *testing.T) {
	s, err := newSleeper()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.sleep(0) // must return: a zero timerfd setting would disarm the timer and block forever
	s.sleep(-time.Millisecond)
	for _, d := range []time.Duration{50 * time.Microsecond, 2 * time.Millisecond} {
		began := time.Now()
		s.sleep(d)
		if waited := time.Since(began); waited < d {
			t.Errorf("sleep(%v) returned after %v", d, waited)
		}
	}
}
