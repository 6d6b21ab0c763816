package provider

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// hugePageUsers is 25,000 users besides nsroot: about 10 MiB of NITRO JSON in one page.
const hugePageUsers = 25_000

// TestAccReliability_hugePageStaysBounded: an appliance that ignores pagesize answers
// 25,000 users (about 10 MiB) to a list call. The page is the whole list, so the
// provider asks once, and the provider process, measured by /usr/bin/time around the
// real binary while terraform plans accessplane_mpsusers, peaks under 512 MiB.
func TestAccReliability_hugePageStaysBounded(t *testing.T) {
	mockOnly(t, "needs an appliance that ignores pagesize (mock option UserPaging) holding 25,000 seeded users")
	skipUnlessAcceptance(t)
	const timeBinary = "/usr/bin/time"
	if _, err := os.Stat(timeBinary); err != nil {
		t.Skip("needs GNU time at " + timeBinary + " to measure the provider's peak RSS")
	}
	t.Parallel()
	env := newTestEnvWith(t, mock.Options{UserPaging: mock.PagingIgnored})
	env.mock.SeedUsers("huge", hugePageUsers)

	cli := newCLIWorkdir(t, "TF_VAR_endpoint="+env.server.URL)
	// Terraform starts the wrapper, which runs the provider under GNU time; time writes
	// the provider's peak RSS (kB) when Terraform stops it.
	binary := cli.plugin
	if err := os.Rename(binary, binary+".measured"); err != nil {
		t.Fatal(err)
	}
	peakFile := filepath.Join(t.TempDir(), "peak-kb")
	writeFile(t, binary, "#!/bin/sh\nexec "+timeBinary+" -f %M -o '"+peakFile+"' '"+binary+".measured' \"$@\"\n")
	if err := os.Chmod(binary, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(cli.dir, "main.tf"), binaryConfig+`
provider "accessplane" {
  adm = { endpoint = var.endpoint, username = "nsroot", password = "nsroot" }
}
data "accessplane_mpsusers" "all" {}
output "users" { value = length(data.accessplane_mpsusers.all.users) }
`)
	out, err := cli.run("plan", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	if want := "users = " + strconv.Itoa(hugePageUsers+1); !strings.Contains(out, want) {
		t.Fatalf("the plan does not show %q:\n%s", want, out)
	}
	// The provider runs as its own process here, so the mock counts its requests.
	if n := env.mock.CountPath("GET", "/nitro/v2/config/mpsuser"); n != 1 {
		t.Errorf("%d list calls; a page longer than pagesize is the whole list, so want 1", n)
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(lastLine(readFile(t, peakFile))), 10, 64)
	if err != nil {
		t.Fatalf("reading the peak RSS that time wrote: %v", err)
	}
	t.Logf("provider peak RSS for one page of %d users: %d MiB", hugePageUsers+1, kb>>10)
	if kb > 512<<10 {
		t.Errorf("provider peak RSS %d MiB, want under 512 MiB", kb>>10)
	}
}

// lastLine is the last non-empty line of text: GNU time puts a note about the exit
// status before its figure when the command it ran did not exit 0.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return lines[len(lines)-1]
}
