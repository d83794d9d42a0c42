// Command openloop sends open-loop HTTP GETs at a fixed rate and prints one JSON line of results:
//
//	openloop -base http://127.0.0.1:3000 -paths paths.txt -rate 5000 -seconds 5 [-warmup-seconds 1]
//
// Evenly spaced arrivals over a rotating list of paths (with several comma-separated bases, to
// each base in turn, each getting its own results), latency counted from each request's
// scheduled start (no coordinated omission), a bounded keep-alive pool, non-200 or a failed
// request counted as an error. It replaced a Node generator whose 1 ms timer loop and event-loop
// pauses ended up in the latencies it measured (about 1 ms at p50, several at p99), and it runs
// in its own process so that its CPU can be reported apart from the server's. Used through
// bench/support/open-loop.ts.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// latencyStats describes a set of requests: the whole run, or those sent to one base. Durations
// are milliseconds; a percentile is null when no request completed (JSON has no NaN).
type latencyStats struct {
	RequestsPerSecond float64  `json:"requestsPerSecond"`
	P50               *float64 `json:"p50"`
	P99               *float64 `json:"p99"`
	Max               *float64 `json:"max"`
	Errors            int64    `json:"errors"`
	Sent              int      `json:"sent"`
}

// result is the JSON line on stdout: the whole run's latencyStats fields at the top level.
type result struct {
	latencyStats
	CPUSeconds float64 `json:"cpuSeconds"`
	// How late requests started after their scheduled time: the generator's own lateness plus
	// any wait for a free connection. Large while the server kept up (p50 small, no errors), it
	// says the generator or the machine fell behind, and the latencies include that.
	StartLagP99 *float64 `json:"startLagP99"`
	// One entry per -base, in the order given: the same fields for the requests sent there.
	Targets []targetResult `json:"targets"`
}

type targetResult struct {
	Base string `json:"base"`
	latencyStats
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		if !errors.Is(err, errFlagsReported) {
			fmt.Fprintln(os.Stderr, "openloop:", err)
		}
		os.Exit(2)
	}
	paths, err := readPaths(cfg.pathsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop:", err)
		os.Exit(2)
	}
	if cfg.steadySysmon {
		if err := reexecWithSteadySysmon(); err != nil {
			fmt.Fprintln(os.Stderr, "openloop: note: running with the default sysmon:", err)
		}
	}
	runtime.GOMAXPROCS(cfg.procs)
	res, err := run(cfg, paths)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop:", err)
		os.Exit(1)
	}
	line, err := json.Marshal(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openloop:", err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}

// runner holds what the scheduler and the workers share. Request i (warm-up first, then measured)
// is due at start + i*interval and goes to target i % len(urls), path (i / len(urls)) % paths;
// workers record into latencies[i-warm], so no locking is needed.
type runner struct {
	start     time.Time
	nsPerReq  float64
	warm      int
	urls      [][]*url.URL // [target][path]
	ctx       context.Context
	transport *http.Transport
	jobs      chan int
	latencies []time.Duration // measured requests; -1 for a transport error
	startLags []time.Duration
	errors    []atomic.Int64 // per target
}

func (r *runner) target(i int) int { return i % len(r.urls) }

func (r *runner) url(i int) *url.URL {
	paths := r.urls[r.target(i)]
	return paths[(i/len(r.urls))%len(paths)]
}

func (r *runner) due(i int) time.Duration {
	return time.Duration(float64(i) * r.nsPerReq)
}

func run(cfg config, paths []string) (result, error) {
	urls := make([][]*url.URL, len(cfg.bases))
	for t, base := range cfg.bases {
		for _, p := range paths {
			u, err := url.Parse(base + p)
			if err != nil {
				return result{}, fmt.Errorf("path %q: %w", p, err)
			}
			urls[t] = append(urls[t], u)
		}
	}
	s, err := newSleeper()
	if err != nil {
		return result{}, err
	}
	defer s.close()
	measured := int(math.Round(cfg.rate * cfg.seconds))
	warm := int(math.Round(cfg.rate * cfg.warmupSeconds))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &runner{
		nsPerReq: 1e9 / cfg.rate,
		warm:     warm,
		urls:     urls,
		ctx:      ctx,
		transport: &http.Transport{
			// Never a proxy: the target is a local server under test.
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxConnsPerHost:     cfg.maxConns,
			MaxIdleConns:        cfg.maxConns,
			MaxIdleConnsPerHost: cfg.maxConns,
			// API clients of a cached GET rarely ask for compression; the server's work stays
			// that of the plain answer.
			DisableCompression: true,
		},
		// The scheduler rarely blocks on a full queue, and when it does the latency is still
		// charged from the schedule, so the buffer only needs to absorb a stall, not the run.
		jobs:      make(chan int, min(warm+measured, 1<<16)),
		latencies: make([]time.Duration, measured),
		startLags: make([]time.Duration, measured),
		errors:    make([]atomic.Int64, len(urls)),
	}
	defer r.transport.CloseIdleConnections()

	// One worker per connection: a worker holds at most one connection at a time, so a request
	// waiting in the queue is exactly a request waiting for a connection, and its wait counts.
	var workers sync.WaitGroup
	r.start = time.Now()
	for range cfg.maxConns {
		workers.Add(1)
		go func() {
			defer workers.Done()
			r.work()
		}()
	}
	r.schedule(warm+measured, s)

	drained := make(chan struct{})
	go func() {
		workers.Wait()
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(cfg.drainTimeout):
		// Requests still open after the drain budget fail now instead of holding the run open.
		cancel()
		<-drained
	}
	elapsed := time.Since(r.start) - r.due(warm)
	cpu, err := cpuSeconds()
	if err != nil {
		return result{}, fmt.Errorf("getrusage: %w", err)
	}
	return r.summarize(elapsed, cpu, cfg.bases), nil
}

// sleeper waits out the gap to the next scheduled request (see sleep_linux.go for why not
// time.Sleep).
type sleeper interface {
	sleep(d time.Duration)
	close()
}

// schedule hands request indices to the workers at their due times, batching any that are
// already due after a wake-up.
func (r *runner) schedule(total int, s sleeper) {
	for i := 0; i < total; {
		now := time.Since(r.start)
		if next := r.due(i); next > now {
			s.sleep(next - now)
			now = time.Since(r.start)
		}
		for ; i < total && r.due(i) <= now; i++ {
			r.jobs <- i
		}
	}
	close(r.jobs)
}

func (r *runner) work() {
	req := r.newRequest()
	for i := range r.jobs {
		scheduled := r.due(i)
		startedAt := time.Since(r.start)
		req.URL = r.url(i)
		resp, err := r.transport.RoundTrip(req)
		ok := false
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ok = resp.StatusCode == http.StatusOK
		}
		finished := time.Since(r.start)
		if err != nil {
			// After a failed round trip the transport may still hold the request in a
			// goroutine of its own, so it is not reused.
			req = r.newRequest()
		}
		if i < r.warm {
			continue
		}
		m := i - r.warm
		r.startLags[m] = startedAt - scheduled
		switch {
		case err != nil:
			r.latencies[m] = -1
			r.errors[r.target(i)].Add(1)
		case !ok:
			// A non-200 answer is an error but still a completed request (it has a latency).
			r.latencies[m] = finished - scheduled
			r.errors[r.target(i)].Add(1)
		default:
			r.latencies[m] = finished - scheduled
		}
	}
}

// newRequest builds one worker's reusable GET; only its URL changes between round trips, which is
// allowed once the previous response body is closed.
func (r *runner) newRequest() *http.Request {
	req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, r.urls[0][0].String(), nil)
	if err != nil {
		panic(err) // the URL was parsed already
	}
	return req
}

func (r *runner) summarize(elapsed time.Duration, cpu float64, bases []string) result {
	res := result{CPUSeconds: cpu}
	byTarget := make([][]time.Duration, len(bases))
	for m, latency := range r.latencies {
		t := r.target(m + r.warm)
		byTarget[t] = append(byTarget[t], latency)
	}
	var errorCount int64
	for t, base := range bases {
		target := targetResult{Base: base,
			latencyStats: summarizeLatencies(byTarget[t], r.errors[t].Load(), elapsed)}
		res.Targets = append(res.Targets, target)
		errorCount += target.Errors
	}
	res.latencyStats = summarizeLatencies(r.latencies, errorCount, elapsed)
	if len(r.startLags) > 0 {
		slices.Sort(r.startLags)
		res.StartLagP99 = millis(nearestRank(r.startLags, 0.99))
	}
	return res
}

// summarizeLatencies of measured requests (-1 marks a failed one; the slice is not changed).
func summarizeLatencies(latencies []time.Duration, errorCount int64, elapsed time.Duration) latencyStats {
	completed := slices.DeleteFunc(slices.Clone(latencies), func(d time.Duration) bool { return d < 0 })
	slices.Sort(completed)
	stats := latencyStats{
		RequestsPerSecond: float64(len(completed)) / elapsed.Seconds(),
		Errors:            errorCount,
		Sent:              len(latencies),
	}
	if len(completed) > 0 {
		stats.P50 = millis(median(completed))
		stats.P99 = millis(nearestRank(completed, 0.99))
		stats.Max = millis(completed[len(completed)-1])
	}
	return stats
}

// median and nearestRank match summarizeLatencies in bench/recommender/support/latency.ts (p50 is
// the median, the mean of the middle two for an even count; p99 is nearest-rank), so numbers from
// this tool and from the other benchmarks mean the same thing.
func median(sorted []time.Duration) time.Duration {
	middle := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[middle]
	}
	return (sorted[middle-1] + sorted[middle]) / 2
}

func nearestRank(sorted []time.Duration, fraction float64) time.Duration {
	rank := int(math.Ceil(fraction*float64(len(sorted)))) - 1
	return sorted[min(len(sorted)-1, max(0, rank))]
}

func millis(d time.Duration) *float64 {
	ms := float64(d) / 1e6
	return &ms
}

// cpuSeconds is user plus system time of this whole process, so a benchmark can tell how much of
// the machine the generator took from the server.
func cpuSeconds() (float64, error) {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0, err
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds(), nil
}
