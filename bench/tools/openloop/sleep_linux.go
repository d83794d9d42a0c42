package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// timerfdSleeper parks the scheduling goroutine on a timerfd registered with the runtime's network
// poller. time.Sleep wakes through epoll's millisecond timeout, so on an otherwise idle process a
// sub-millisecond wait ends up to a millisecond late, and that lateness would be charged to the
// server as latency. A timerfd expires on a high-resolution kernel timer and wakes the poller
// within tens of microseconds, without a dedicated thread or a spin.
type timerfdSleeper struct {
	fd      uintptr // kept apart because File.Fd would switch the descriptor to blocking mode
	file    *os.File
	setting itimerspec
	expired [8]byte
}

// itimerspec is struct itimerspec from <linux/time.h>.
type itimerspec struct {
	interval syscall.Timespec
	value    syscall.Timespec
}

const clockMonotonic = 1

func newSleeper() (sleeper, error) {
	fd, _, errno := syscall.RawSyscall(syscall.SYS_TIMERFD_CREATE, clockMonotonic,
		syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		return nil, fmt.Errorf("timerfd_create: %w", errno)
	}
	// Non-blocking, so os.NewFile registers it with the poller and Read parks the goroutine.
	return &timerfdSleeper{fd: fd, file: os.NewFile(fd, "openloop-timerfd")}, nil
}

func (s *timerfdSleeper) sleep(d time.Duration) {
	if d <= 0 {
		return // a zero it_value would disarm the timer and the read would never return
	}
	s.setting.value = syscall.NsecToTimespec(int64(d))
	// Raw because it never blocks: an ordinary syscall would also wake the runtime's sysmon thread.
	_, _, errno := syscall.RawSyscall6(syscall.SYS_TIMERFD_SETTIME, s.fd, 0,
		uintptr(unsafe.Pointer(&s.setting)), 0, 0, 0)
	if errno != 0 {
		time.Sleep(d)
		return
	}
	if _, err := s.file.Read(s.expired[:]); err != nil {
		time.Sleep(d)
	}
}

func (s *timerfdSleeper) close() { s.file.Close() }
