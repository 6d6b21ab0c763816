// Command bench measures what the provider costs users who apply hundreds of users
// from CI: wall time of apply, refresh-only plan and destroy of N accessplane_mpsuser
// against the mock, next to two floors (a no-op provider with the same schema, and
// Terraform's built-in terraform_data); HTTP requests per resource and sign-ins from
// the mock's counts; the provider's peak RSS; large list data sources; and applies
// with injected latency. It writes bench/RESULTS.md.
//
//	go run ./bench [-n 500] [-runs 3] [-out bench/RESULTS.md]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

const providerBinary = "terraform-provider-accessplane"

type floor string

const (
	floorReal   floor = "accessplane"
	floorNoop   floor = "no-op provider"
	floorTFData floor = "terraform_data"
)

type phase string

const (
	phaseApply   phase = "apply"
	phaseRefresh phase = "refresh-only plan"
	phaseDestroy phase = "destroy"
)

var phases = []phase{phaseApply, phaseRefresh, phaseDestroy}

// measurement is one terraform command.
type measurement struct {
	wall     time.Duration
	requests map[string]int
	peakRSS  int64 // bytes, of the provider process; 0 when none ran
}

type bench struct {
	dir       string
	terraform string
	mock      *mock.Server
	endpoint  string
	cliConfig map[floor]string
	applies   int
}

func main() {
	n := flag.Int("n", 500, "users per apply")
	runs := flag.Int("runs", 3, "runs per phase; the median is reported")
	listSize := flag.Int("list", 10000, "users and tokens for the list data sources")
	out := flag.String("out", "bench/RESULTS.md", "where to write the results table")
	flag.Parse()
	log.SetFlags(0)

	b, cleanup := setUp()
	defer cleanup()

	var report bytes.Buffer
	fmt.Fprintf(&report, "# Benchmark results\n\nWritten by `make bench` (`go run ./bench -n %d -runs %d -list %d`). Medians of %d runs.\n\n", *n, *runs, *listSize, *runs)
	fmt.Fprintf(&report, "Machine: %s, %d cores, %s; %s; %s.\n\n", cpuModel(), runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH, runtime.Version(), b.terraformVersion())

	b.crudTable(&report, *n, *runs)
	b.listTable(&report, *listSize)
	b.latencyTable(&report, *n, *runs)

	fmt.Print(report.String())
	if err := os.WriteFile(*out, report.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("results written to %s", *out)
}

func setUp() (*bench, func()) {
	terraformBin, err := exec.LookPath("terraform")
	if err != nil {
		log.Fatal("terraform is not on PATH (make bench installs one)")
	}
	dir, err := os.MkdirTemp("", "accessplane-bench-")
	if err != nil {
		log.Fatal(err)
	}
	b := &bench{dir: dir, terraform: terraformBin, cliConfig: map[floor]string{}}
	log.Printf("building the provider and the no-op provider")
	for fl, pkg := range map[floor]string{floorReal: ".", floorNoop: "./bench/noop"} {
		pluginDir := filepath.Join(dir, "plugins-"+strings.ReplaceAll(string(fl), " ", "-"))
		run("go", "build", "-o", filepath.Join(pluginDir, providerBinary), pkg)
		config := filepath.Join(dir, "terraformrc-"+filepath.Base(pluginDir))
		writeFile(config, fmt.Sprintf(`provider_installation {
  dev_overrides { "registry.terraform.io/accessplane/accessplane" = %q }
  direct {}
}
`, pluginDir))
		b.cliConfig[fl] = config
	}
	b.cliConfig[floorTFData] = b.cliConfig[floorNoop]
	b.mock = mock.New(mock.Options{})
	server := httptest.NewServer(b.mock)
	b.endpoint = server.URL
	return b, func() {
		server.Close()
		_ = os.RemoveAll(dir)
	}
}

func (b *bench) terraformVersion() string {
	out, err := exec.Command(b.terraform, "version").Output()
	if err != nil {
		return "terraform (version unknown)"
	}
	return strings.SplitN(string(out), "\n", 2)[0]
}

// usersConfig is N users for the real and no-op providers, or the same values held by
// terraform_data.
func usersConfig(fl floor, n int) string {
	if fl == floorTFData {
		return fmt.Sprintf(`
resource "terraform_data" "user" {
  count = %d
  input = {
    name     = "bench-${count.index}"
    password = "Bench-Secret-${count.index}"
    groups   = ["readonly"]
  }
}
`, n)
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    accessplane = { source = "accessplane/accessplane" }
  }
}
provider "accessplane" {}
resource "accessplane_mpsuser" "user" {
  count    = %d
  name     = "bench-${count.index}"
  password = "Bench-Secret-${count.index}"
  groups   = ["readonly"]
}
`, n)
}

// terraformCmd runs one terraform command in dir and measures it.
func (b *bench) terraformCmd(fl floor, dir string, args ...string) measurement {
	b.mock.ResetCounts()
	cmd := exec.Command(b.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+b.cliConfig[fl], "TF_IN_AUTOMATION=1", "TF_LOG=",
		"ACCESSPLANE_ADM_ENDPOINT="+b.endpoint, "ACCESSPLANE_ADM_USERNAME=nsroot", "ACCESSPLANE_ADM_PASSWORD=nsroot",
		"ACCESSPLANE_NIMBLE_ENDPOINT="+b.endpoint, "ACCESSPLANE_NIMBLE_USERNAME=admin", "ACCESSPLANE_NIMBLE_PASSWORD=admin",
	)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	stopWatch := watchRSS()
	started := time.Now()
	err := cmd.Run()
	wall := time.Since(started)
	peak := stopWatch()
	if err != nil {
		log.Fatalf("terraform %s (%s): %v\n%s", strings.Join(args, " "), fl, err, output.String())
	}
	return measurement{wall: wall, requests: b.mock.Counts(), peakRSS: peak}
}

func (b *bench) workdir(name, config string) string {
	dir := filepath.Join(b.dir, name)
	_ = os.RemoveAll(dir)
	writeFile(filepath.Join(dir, "main.tf"), config)
	return dir
}

var phaseArgs = map[phase][]string{
	phaseApply:   {"apply", "-auto-approve", "-input=false", "-no-color"},
	phaseRefresh: {"plan", "-refresh-only", "-input=false", "-no-color"},
	phaseDestroy: {"destroy", "-auto-approve", "-input=false", "-no-color"},
}

// cycle applies, refresh-plans and destroys once.
func (b *bench) cycle(fl floor, n int) map[phase]measurement {
	dir := b.workdir("cycle", usersConfig(fl, n))
	out := map[phase]measurement{}
	for _, ph := range phases {
		out[ph] = b.terraformCmd(fl, dir, phaseArgs[ph]...)
	}
	return out
}

func (b *bench) crudTable(report *bytes.Buffer, n, runs int) {
	results := map[floor]map[phase][]measurement{}
	for _, fl := range []floor{floorReal, floorNoop, floorTFData} {
		results[fl] = map[phase][]measurement{}
		for run := 1; run <= runs; run++ {
			log.Printf("%s: apply, refresh-only plan, destroy of %d users (run %d/%d)", fl, n, run, runs)
			for ph, m := range b.cycle(fl, n) {
				results[fl][ph] = append(results[fl][ph], m)
			}
		}
	}
	fmt.Fprintf(report, "## %d accessplane_mpsuser: time against the floors\n\n", n)
	fmt.Fprintf(report, "| phase | accessplane | no-op provider | terraform_data | ratio to no-op (target ≤ 1.25) | ratio to terraform_data | HTTP requests per resource | sign-ins | provider peak RSS |\n")
	fmt.Fprintf(report, "|---|---|---|---|---|---|---|---|---|\n")
	for _, ph := range phases {
		provider, noop, tfdata := median(results[floorReal][ph]), median(results[floorNoop][ph]), median(results[floorTFData][ph])
		last := results[floorReal][ph][len(results[floorReal][ph])-1]
		fmt.Fprintf(report, "| %s | %s | %s | %s | %.2f | %.2f | %s | %d | %s |\n", ph, seconds(provider), seconds(noop), seconds(tfdata),
			ratio(provider, noop), ratio(provider, tfdata), perResource(last.requests, n), last.requests["POST /nitro/v1/config/login"], mebibytes(maxRSS(results[floorReal][ph])))
	}
	fmt.Fprintf(report, "\nRequests per resource count the mock's user routes (add, get, update, delete) of the last run, divided by %d; sign-ins count NITRO logins in that one terraform command (one provider process).\n\n", n)
}

// perResource renders the user-route requests per resource, by route.
func perResource(counts map[string]int, n int) string {
	var parts []string
	for _, route := range sortedKeys(counts) {
		if strings.Contains(route, "/mpsuser") {
			parts = append(parts, fmt.Sprintf("%s %.2f", route, float64(counts[route])/float64(n)))
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "; ")
}

func (b *bench) listTable(report *bytes.Buffer, size int) {
	b.mock.SeedUsers("list", size)
	b.mock.SeedTokens(mock.TokenSeed{Count: size})
	fmt.Fprintf(report, "## List data sources over %d objects\n\n", size)
	fmt.Fprintf(report, "| data source | objects | wall time (terraform plan) | list requests | provider peak RSS |\n|---|---|---|---|---|\n")
	// Terraform's own cost of carrying as many objects of the same shape through a
	// plan, with no provider: the floor under any list data source.
	floorConfig := fmt.Sprintf(`
locals {
  # range() stops at 1,024 values, hence two levels.
  users = flatten([for outer in range(%d) : [for inner in range(1000) : {
    id = "id-${outer}-${inner}", name = "list-${outer}-${inner}", groups = ["readonly"], tenant_id = "owner-tenant",
    external_authentication = false, external_group_mapping_oid = "", enable_session_timeout = false,
    session_timeout = 0, session_timeout_unit = "Minutes", mpsuser_name = "", permission = "readonly",
    tenant_name = "Owner", is_default = false, issuperuser = false, nsroot_user = "",
    force_change_password = false, encrypted = true
  } if outer * 1000 + inner < %d]])
}
resource "terraform_data" "users" {
  input = local.users
}
`, (size+999)/1000, size)
	floor := b.terraformCmd(floorTFData, b.workdir("list-floor", floorConfig), "plan", "-input=false", "-no-color")
	fmt.Fprintf(report, "| terraform_data floor (same %d objects, no provider) | %d | %s | – | – |\n", size, size, seconds(floor.wall))
	for _, tc := range []struct{ name, list, route string }{
		{"accessplane_mpsusers", "users", "GET /nitro/v2/config/mpsuser"},
		{"accessplane_tokens", "tokens", "GET /v1/tokens/detail"},
	} {
		log.Printf("%s over %d objects", tc.name, size)
		config := fmt.Sprintf("data %q \"all\" {}\noutput \"count\" { value = length(data.%s.all.%s) }\n", tc.name, tc.name, tc.list)
		dir := b.workdir("list", usersConfig(floorReal, 0)+config)
		m := b.terraformCmd(floorReal, dir, "plan", "-input=false", "-no-color")
		fmt.Fprintf(report, "| %s | %d | %s | %d | %s |\n", tc.name, size, seconds(m.wall), m.requests[tc.route], mebibytes(m.peakRSS))
	}
	fmt.Fprintf(report, "\nTargets: under 2 s and under 150 MB peak RSS for the 10,000-user list.\n\n")
}

func (b *bench) latencyTable(report *bytes.Buffer, n, runs int) {
	const latency = 20 * time.Millisecond
	fmt.Fprintf(report, "## Apply of %d users with %s injected latency per request\n\n", n, latency)
	fmt.Fprintf(report, "| -parallelism | apply with latency | apply without latency | added by latency | ideal added (N × latency ÷ parallelism) | added ÷ ideal (target ≤ 1.3) |\n|---|---|---|---|---|---|\n")
	for _, parallelism := range []int{10, 50} {
		flag := "-parallelism=" + strconv.Itoa(parallelism)
		var base, slow []measurement
		// Interleaved, so that drift in the machine's speed hits both sides alike.
		for run := 1; run <= runs; run++ {
			log.Printf("apply of %d users at %s without and with latency (run %d/%d)", n, flag, run, runs)
			base = append(base, b.freshApply(n, 0, flag))
			slow = append(slow, b.freshApply(n, latency, flag))
		}
		ideal := time.Duration(n) * latency / time.Duration(parallelism)
		added := median(slow) - median(base)
		fmt.Fprintf(report, "| %d | %s | %s | %s | %s | %.2f |\n", parallelism, seconds(median(slow)), seconds(median(base)), seconds(added), seconds(ideal), float64(added)/float64(ideal))
	}
	fmt.Fprintf(report, "\nTerraform's fixed cost of an apply (see the no-op floor above) is the same with and without latency, so the table compares the time latency adds with N × latency ÷ parallelism. On a busy 2-core machine the run-to-run spread of an apply (about ±0.5 s) is larger than the ideal added time at -parallelism=50 (0.2 s), so that ratio is noise.\n")
}

// freshApply times the apply of n new users (a new workdir and new names, so no
// destroy is needed between runs; the mock only keeps them in memory).
func (b *bench) freshApply(n int, latency time.Duration, parallelism string) measurement {
	b.applies++
	config := strings.ReplaceAll(usersConfig(floorReal, n), `"bench-`, fmt.Sprintf(`"latency%d-`, b.applies))
	dir := b.workdir(fmt.Sprintf("latency-%d", b.applies), config)
	b.mock.SetLatency(latency)
	defer b.mock.SetLatency(0)
	return b.terraformCmd(floorReal, dir, append(append([]string{}, phaseArgs[phaseApply]...), parallelism)...)
}

func median(ms []measurement) time.Duration {
	walls := make([]time.Duration, len(ms))
	for i, m := range ms {
		walls[i] = m.wall
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	return walls[len(walls)/2]
}

func maxRSS(ms []measurement) int64 {
	var peak int64
	for _, m := range ms {
		peak = max(peak, m.peakRSS)
	}
	return peak
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mebibytes(bytes int64) string {
	if bytes == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(bytes)/(1<<20))
}

// watchRSS samples the peak RSS (VmHWM) of every running provider process until the
// returned function is called, and returns the highest seen.
func watchRSS() func() int64 {
	var peak atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ticker := time.NewTicker(20 * time.Millisecond)
		defer ticker.Stop()
		for {
			for _, rss := range providerHWMs() {
				if rss > peak.Load() {
					peak.Store(rss)
				}
			}
			select {
			case <-done:
				return
			case <-ticker.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

func providerHWMs() []int64 {
	entries, _ := os.ReadDir("/proc")
	var out []int64
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(comm)), "terraform-provi") {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmHWM:" {
				kb, _ := strconv.ParseInt(fields[1], 10, 64)
				out = append(out, kb*1024)
			}
		}
	}
	return out
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func writeFile(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}
