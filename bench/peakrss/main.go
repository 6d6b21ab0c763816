// Command peakrss stands in for a provider binary in the bench's plugin directories. It
// runs the real provider, real/<its own name> beside it, as its child with the same
// arguments, environment and standard streams, and when the child exits appends the
// child's peak RSS (rusage maxrss, KiB) to the file named by BENCH_PEAK_RSS_FILE.
// Sampling /proc from outside misses the last moments of a short-lived process, its
// sign-out at the stop among them; the kernel's count at exit misses nothing. Terraform
// cannot be asked instead: Linux starts a process's maxrss at the RSS of the process
// that exec'd it, which for a provider started by terraform is terraform's; under this
// stand-in it is this small program's, a few MiB, below any provider's.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

func main() {
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	provider := exec.Command(filepath.Join(filepath.Dir(self), "real", filepath.Base(self)), os.Args[1:]...)
	provider.Stdin, provider.Stdout, provider.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Terraform kills a provider that does not stop in time: the child goes too, so
	// that no provider outlives a measured command on the shared machine.
	provider.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err = provider.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		log.Fatal(err)
	}
	if path := os.Getenv("BENCH_PEAK_RSS_FILE"); path != "" {
		usage, ok := provider.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			log.Fatalf("no resource usage of the provider: %T", provider.ProcessState.SysUsage())
		}
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		// One short O_APPEND write per process: concurrent providers never interleave.
		_, err = fmt.Fprintf(f, "%d\n", usage.Maxrss)
		if err = errors.Join(err, f.Close()); err != nil {
			log.Fatal(err)
		}
	}
	os.Exit(provider.ProcessState.ExitCode())
}
