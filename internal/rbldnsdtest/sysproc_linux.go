package rbldnsdtest

import "syscall"

// sysProcAttr makes the kernel kill rbldnsd if the process that started it
// dies (a test binary killed by a timeout must not leave servers behind).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
