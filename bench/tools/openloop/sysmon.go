package main

import (
	"os"
	"slices"
	"strings"
	"syscall"
)

// steadySysmonSetting is the longest schedtrace period (int32 milliseconds, 24.8 days): it never
// prints within a run, unless the machine has been up longer than that, in which case one
// scheduler line goes to stderr at start.
const steadySysmonSetting = "schedtrace=2147483647"

// reexecWithSteadySysmon replaces this process with itself under GODEBUG=schedtrace (same pid, so
// stdout and the CPU accounting carry on) unless a schedtrace is already set.
//
// Why: between two requests every thread of the generator is idle, so the runtime's sysmon thread
// goes into deep sleep; the next system call (each request makes several) wakes it and resets it
// to polling every 20 µs until the process is idle again. At 5,000 requests/s that was about
// half of the generator's context switches and a third of its CPU. A set schedtrace keeps sysmon
// out of deep sleep (runtime/proc.go, sysmon), so it backs off to its 10 ms period and stays
// there. Measured on the 2-core VM against a trivial server: the same or lower latencies.
func reexecWithSteadySysmon() error {
	env, needed := steadySysmonEnv(os.Environ())
	if !needed {
		return nil
	}
	executable, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(executable, os.Args, env)
}

// steadySysmonEnv adds the schedtrace setting to GODEBUG, keeping the other settings; not needed
// when a schedtrace is already set, by this tool's re-execution or by the user.
func steadySysmonEnv(environ []string) (env []string, needed bool) {
	godebug := ""
	env = slices.DeleteFunc(slices.Clone(environ), func(v string) bool {
		value, found := strings.CutPrefix(v, "GODEBUG=")
		if found {
			godebug = value
		}
		return found
	})
	if strings.Contains(godebug, "schedtrace=") {
		return environ, false
	}
	if godebug != "" {
		godebug += ","
	}
	return append(env, "GODEBUG="+godebug+steadySysmonSetting), true
}
