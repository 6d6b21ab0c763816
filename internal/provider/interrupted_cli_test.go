package provider

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// interruptWhileHeld runs terraform with args in w, sends it SIGINT (as Ctrl-C and a
// cancelled CI job do) once the mock holds the request to route, and releases the
// request only after the provider has received Terraform's StopProvider, which the
// provider's own log line tells: no wall-time window decides what the test sees. It
// returns the command's output; the command may fail, as an interrupted run does.
func interruptWhileHeld(t *testing.T, w cliWorkdir, env *testEnv, route string, args ...string) string {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	held, release := env.mock.Hold(route)
	defer release()
	var out bytes.Buffer
	cmd := exec.Command(w.binary, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = w.dir, &out, &out
	cmd.Env = append(append([]string{}, w.env...), "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-held:
	case err := <-exited:
		t.Fatalf("terraform %s ended before the write was held: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The framework's server logs this once it has cancelled every call under way.
	const stopped = "Closed all our contexts"
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for data, _ := os.ReadFile(logPath); !bytes.Contains(data, []byte(stopped)); data, _ = os.ReadFile(logPath) {
		select {
		case err := <-exited:
			t.Fatalf("terraform %s ended before the provider was stopped: %v\n%s", strings.Join(args, " "), err, out.String())
		case <-poll.C:
		}
	}
	release()
	if err := <-exited; err != nil {
		t.Logf("terraform %s, interrupted, ended with %v", strings.Join(args, " "), err)
	}
	return out.String()
}

// TestAccInterruptedApplyLeavesNothingBehind: SIGINT to terraform apply while a create
// is on the wire, and to terraform destroy while a delete is: the provider awaits the
// held write, the state records what it did with a warning that the apply was
// interrupted, and the next command finishes the rest without an error, a duplicate
// or a 409, leaving an empty plan. The real binary, as users run it.
func TestAccInterruptedApplyLeavesNothingBehind(t *testing.T) {
	mockOnly(t, "needs a create and a delete held on the wire until terraform is interrupted (held replies)")
	skipUnlessAcceptance(t)
	t.Parallel()
	env := newTestEnv(t)
	w := newCLIWorkdir(t, "TF_VAR_endpoint="+env.server.URL)
	writeFile(t, filepath.Join(w.dir, "main.tf"), binaryConfig+`
provider "accessplane" {
  adm = { endpoint = var.endpoint, username = "nsroot", password = "nsroot" }
}
resource "accessplane_mpsuser" "user" {
  count    = 3
  name     = "stopped-${count.index}"
  password = "Secret-123"
}
`)
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"}

	out := interruptWhileHeld(t, w, env, mock.RouteUserAdd, apply...)
	if !strings.Contains(out, "The apply was interrupted") {
		t.Errorf("no warning that the apply was interrupted:\n%s", out)
	}
	inState := strings.Fields(w.mustRun("state", "list"))
	if len(inState) != 1 || len(env.mock.Users()) != 1+1 { // nsroot besides
		t.Fatalf("after the interrupted apply: state %v, appliance %v; want the one user created, in both", inState, env.mock.Users())
	}
	w.mustRun(apply...)
	w.mustRun("plan", "-input=false", "-no-color", "-detailed-exitcode")
	env.checkUsersNamed(t, "stopped-", 3)

	destroy := []string{"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"}
	out = interruptWhileHeld(t, w, env, mock.RouteUserDelete, destroy...)
	if !strings.Contains(out, "The apply was interrupted") {
		t.Errorf("no warning that the destroy was interrupted:\n%s", out)
	}
	inState = strings.Fields(w.mustRun("state", "list"))
	env.checkUsersNamed(t, "stopped-", len(inState))
	if len(inState) != 2 {
		t.Fatalf("after the interrupted destroy: state %v; want the deleted user gone from it and two left", inState)
	}
	w.mustRun(destroy...)
	env.checkUsersNamed(t, "stopped-", 0)
}

// checkUsersNamed asserts that the appliance holds want users whose names start with
// prefix.
func (e *testEnv) checkUsersNamed(t *testing.T, prefix string, want int) {
	t.Helper()
	n := 0
	for _, user := range e.mock.Users() {
		if strings.HasPrefix(user.Name, prefix) {
			n++
		}
	}
	if n != want {
		t.Errorf("the appliance holds %d users named %s*, want %d", n, prefix, want)
	}
}
