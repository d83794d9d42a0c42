//go:build !linux

package main

import "time"

// Elsewhere the runtime timer is the portable choice; its wake-ups may be up to ~1 ms late, which
// shows up in the lower percentiles at high rates.
type timerSleeper struct{}

func newSleeper() (sleeper, error) { return timerSleeper{}, nil }

func (timerSleeper) sleep(d time.Duration) { time.Sleep(d) }

func (timerSleeper) close() {}
