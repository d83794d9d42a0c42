package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"
	"time"
)

type config struct {
	// Servers under test. Requests go to them in turn (request i to bases[i % len(bases)]), so
	// several servers measured together share the same moments of a noisy machine.
	bases         []string
	pathsFile     string
	rate          float64
	seconds       float64
	warmupSeconds float64
	maxConns      int
	procs         int
	steadySysmon  bool
	drainTimeout  time.Duration
}

// errFlagsReported marks a flag syntax error that the flag package has already printed, with the
// usage, to stderr.
var errFlagsReported = errors.New("bad flags")

func parseFlags(args []string) (config, error) {
	var cfg config
	var bases string
	fs := flag.NewFlagSet("openloop", flag.ContinueOnError)
	fs.StringVar(&bases, "base", "",
		"base URL the paths are appended to, e.g. http://127.0.0.1:3000 (required); several, comma-separated, take requests in turn and get results each")
	fs.StringVar(&cfg.pathsFile, "paths", "", "file with one request path per line, each starting with / (required)")
	fs.Float64Var(&cfg.rate, "rate", 0, "requests per second, evenly spaced (required)")
	fs.Float64Var(&cfg.seconds, "seconds", 0, "length of the measured run in seconds (required)")
	fs.Float64Var(&cfg.warmupSeconds, "warmup-seconds", 0, "seconds at the same rate before the measured run, not recorded")
	fs.IntVar(&cfg.maxConns, "max-conns", 64, "most keep-alive connections to the server")
	fs.IntVar(&cfg.procs, "procs", 1,
		"threads running Go code at once (GOMAXPROCS); 1 keeps the generator to about one core and spares it cross-thread wake-ups")
	fs.BoolVar(&cfg.steadySysmon, "steady-sysmon", true,
		"keep the Go runtime's sysmon thread out of deep sleep (GODEBUG=schedtrace, set by re-executing), which cut the generator's CPU by about 30%")
	fs.DurationVar(&cfg.drainTimeout, "drain-timeout", 30*time.Second,
		"after the last scheduled request, how long to wait for the ones in flight before counting them as errors")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, fmt.Errorf("%w: %w", errFlagsReported, err)
	}
	switch {
	case fs.NArg() > 0:
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case bases == "":
		return cfg, errors.New("-base is required (e.g. -base http://127.0.0.1:3000)")
	case cfg.pathsFile == "":
		return cfg, errors.New("-paths is required: a file with one request path per line")
	case !(cfg.rate > 0) || math.IsInf(cfg.rate, 0):
		return cfg, fmt.Errorf("-rate must be a positive number of requests per second, got %v", cfg.rate)
	case !(cfg.seconds > 0) || math.IsInf(cfg.seconds, 0):
		return cfg, fmt.Errorf("-seconds must be positive, got %v", cfg.seconds)
	case !(cfg.warmupSeconds >= 0) || math.IsInf(cfg.warmupSeconds, 0):
		return cfg, fmt.Errorf("-warmup-seconds must be zero or positive, got %v", cfg.warmupSeconds)
	case cfg.maxConns < 1:
		return cfg, fmt.Errorf("-max-conns must be at least 1, got %d", cfg.maxConns)
	case cfg.procs < 1:
		return cfg, fmt.Errorf("-procs must be at least 1, got %d", cfg.procs)
	case cfg.drainTimeout <= 0:
		return cfg, fmt.Errorf("-drain-timeout must be positive, got %v", cfg.drainTimeout)
	case math.Round(cfg.rate*cfg.seconds) < 1:
		return cfg, fmt.Errorf("-rate %v for -seconds %v sends no request", cfg.rate, cfg.seconds)
	}
	for _, raw := range strings.Split(bases, ",") {
		base, err := url.Parse(raw)
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" ||
			base.RawQuery != "" || base.Fragment != "" {
			return cfg, fmt.Errorf("-base must be http(s) URLs without query, e.g. http://127.0.0.1:3000, got %q", raw)
		}
		cfg.bases = append(cfg.bases, strings.TrimRight(raw, "/"))
	}
	return cfg, nil
}

// readPaths returns the non-blank lines of the file; every one must be a path (with an optional
// query) so that a stray full URL or typo fails loudly instead of being sent as a 404.
func readPaths(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read -paths file: %w", err)
	}
	defer f.Close()
	var paths []string
	scanner := bufio.NewScanner(f)
	for lineNumber := 1; scanner.Scan(); lineNumber++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "/") {
			return nil, fmt.Errorf("-paths file %s line %d: %q does not start with /", file, lineNumber, line)
		}
		paths = append(paths, line)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("cannot read -paths file %s: %w", file, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("-paths file %s has no paths", file)
	}
	return paths, nil
}
