//go:build !linux

package rbldnsdtest

import "syscall"

// sysProcAttr has nothing to add where Pdeathsig does not exist.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
