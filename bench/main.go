// Command bench measures what the provider costs users who apply hundreds of users
// from CI: wall time of apply, refresh-only plan and destroy of N accessplane_mpsuser
// against the mock, next to two floors (a no-op provider with the same schema, and
// Terraform's built-in terraform_data); HTTP requests per resource and sign-ins from
// the mock's counts; the provider's peak RSS; the apply and refresh with 100 ms of
// latency on every reply; and large list data sources. Runs alternate between the
// provider and its floors, so that drift in the machine's speed hits both alike, and
// the provider built at an earlier git revision runs in the same rounds, so that a
// change is judged against what it replaced; and the sign-out of one person from a
// fleet of 24 appliances against the same from one, both with latency. It writes
// bench/RESULTS.md.
//
//	go run ./bench [-n 500] [-runs 3] [-list 10000] [-baseline REV] [-tables crud,latency,list,fleet] [-out bench/RESULTS.md]
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

const providerBinary = "terraform-provider-accessplane"

// latency is what a real ADM takes to answer, as the latency table injects it.
const latency = 100 * time.Millisecond

// refreshesPerApply is how many refresh-only plans the latency table measures after
// each apply, for the provider and the no-op floor in turn.
const refreshesPerApply = 3

type floor string

const (
	floorReal   floor = "accessplane"
	floorNoop   floor = "no-op provider"
	floorTFData floor = "terraform_data"
	// floorBaseline is the provider built from an earlier git revision: the list
	// table compares its memory with this build's.
	floorBaseline floor = "baseline"
)

type phase string

const (
	phaseApply   phase = "apply"
	phaseRefresh phase = "refresh-only plan"
	phaseDestroy phase = "destroy"
)

var phases = []phase{phaseApply, phaseRefresh, phaseDestroy}

var phaseArgs = map[phase][]string{
	phaseApply:   {"apply", "-auto-approve", "-input=false", "-no-color"},
	phaseRefresh: {"plan", "-refresh-only", "-input=false", "-no-color"},
	phaseDestroy: {"destroy", "-auto-approve", "-input=false", "-no-color"},
}

// measurement is one terraform command.
type measurement struct {
	wall     time.Duration
	cpu      time.Duration // of terraform and the provider processes it started
	requests map[string]int
	peakRSS  int64 // bytes, of the largest provider process; 0 when none ran
}

type bench struct {
	dir       string
	terraform string
	// mock is the appliance the server answers with; each table starts a fresh one,
	// so that users left by one table never lengthen another's listings.
	mock      atomic.Pointer[mock.Server]
	endpoint  string
	cliConfig map[floor]string
	workdirs  int
	// baseline is the git revision floorBaseline was built from; empty when none was.
	baseline string
	// peakRSS is bench/peakrss, built: every floor's plugin directory holds it in the
	// provider's name, with the provider itself in real/.
	peakRSS string
}

func main() {
	n := flag.Int("n", 500, "users per apply")
	runs := flag.Int("runs", 3, "runs per measurement; the median is reported")
	listSize := flag.Int("list", 10000, "users and tokens for the list data sources")
	out := flag.String("out", "bench/RESULTS.md", "where to write the results")
	tables := flag.String("tables", "crud,latency,list,fleet", "which tables to run: crud (apply, refresh, destroy against the floors), latency, list, fleet")
	baseline := flag.String("baseline", "0b270b3", "git revision of the provider the list table compares memory and time with: by default the main before batched refresh and one model per object; empty for none")
	flag.Parse()
	log.SetFlags(0)

	b, cleanup := setUp()
	defer cleanup()
	selected := strings.Split(*tables, ",")
	// Only the users and list tables run the baseline build.
	if *baseline != "" && (slices.Contains(selected, "crud") || slices.Contains(selected, "list")) {
		b.buildBaseline(*baseline)
	}

	started, loadBefore := time.Now(), loadAverage()
	var results bytes.Buffer
	for _, table := range selected {
		switch table {
		case "crud":
			b.crudTable(&results, *n, *runs)
		case "latency":
			b.latencyTable(&results, *n, *runs)
		case "list":
			b.listTable(&results, *listSize, *runs)
		case "fleet":
			b.fleetTable(&results, *runs)
		default:
			log.Fatalf("-tables: unknown table %q (crud, latency, list, fleet)", table)
		}
	}

	var report bytes.Buffer
	fmt.Fprintf(&report, "# Benchmark results\n\nWritten by `make bench`, which runs `go run ./bench -n %d -runs %d -list %d -baseline %s -tables %s`. Every figure is the median of %d runs (%d for the lists, %d for the refreshes with latency); runs alternate between the provider and its floors (provider, no-op, terraform_data, the baseline build, provider, …). The users and list tables' mock answers NITRO in the typed dialect the pages show, which the baseline build reads; the fleet's mocks answer as ADM does, in strings.\n\n", *n, *runs, *listSize, *baseline, *tables, *runs, 2**runs, refreshesPerApply**runs)
	fmt.Fprintf(&report, "Machine: %s, %d cores, %s; %s; %s. The run took %s; load average %s before it and %s after (above %d, other work shared the cores).\n\n",
		cpuModel(), runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH, runtime.Version(), b.terraformVersion(), time.Since(started).Round(time.Second), loadBefore, loadAverage(), runtime.NumCPU())
	fmt.Fprintf(&report, "Commands, each in a working directory with N `accessplane_mpsuser` (or the same values in `terraform_data`): `terraform %s`, `terraform %s`, `terraform %s`, with `-parallelism=N` added where a table says so.\n\n",
		strings.Join(phaseArgs[phaseApply], " "), strings.Join(phaseArgs[phaseRefresh], " "), strings.Join(phaseArgs[phaseDestroy], " "))
	report.Write(results.Bytes())

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
	b := &bench{dir: dir, terraform: terraformBin, cliConfig: map[floor]string{}, peakRSS: filepath.Join(dir, "peakrss")}
	log.Printf("building the provider, the no-op provider and bench/peakrss")
	if out, err := exec.Command("go", "build", "-o", b.peakRSS, "./bench/peakrss").CombinedOutput(); err != nil {
		log.Fatalf("go build ./bench/peakrss: %v\n%s", err, out)
	}
	for fl, pkg := range map[floor]string{floorReal: ".", floorNoop: "./bench/noop"} {
		if err := b.buildPlugin(fl, ".", pkg); err != nil {
			log.Fatal(err)
		}
	}
	b.cliConfig[floorTFData] = b.cliConfig[floorNoop]
	b.freshMock()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mock.Load().ServeHTTP(w, r)
	}))
	b.endpoint = server.URL
	return b, func() {
		server.Close()
		_ = os.RemoveAll(dir)
	}
}

// buildPlugin builds package pkg of the module in srcDir as floor fl's provider, behind
// bench/peakrss, and writes the CLI configuration that makes terraform use it.
func (b *bench) buildPlugin(fl floor, srcDir, pkg string) error {
	pluginDir := filepath.Join(b.dir, "plugins-"+strings.ReplaceAll(string(fl), " ", "-"))
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "real", providerBinary), pkg)
	build.Dir = srcDir
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	if err := os.Link(b.peakRSS, filepath.Join(pluginDir, providerBinary)); err != nil {
		return err
	}
	config := filepath.Join(b.dir, "terraformrc-"+filepath.Base(pluginDir))
	writeFile(config, fmt.Sprintf(`provider_installation {
  dev_overrides { "registry.terraform.io/accessplane/accessplane" = %q }
  direct {}
}
`, pluginDir))
	b.cliConfig[fl] = config
	return nil
}

// buildBaseline builds the provider as it was at git revision rev. Without git or the
// revision (a shallow clone, say) the list table has no baseline column.
func (b *bench) buildBaseline(rev string) {
	log.Printf("building the provider at %s", rev)
	src := filepath.Join(b.dir, "baseline-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		log.Fatal(err)
	}
	extract := exec.Command("sh", "-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", rev, src)
	if out, err := extract.CombinedOutput(); err != nil {
		log.Printf("no baseline: git archive %s: %v\n%s", rev, err, out)
		return
	}
	if err := b.buildPlugin(floorBaseline, src, "."); err != nil {
		log.Printf("no baseline: %v", err)
		return
	}
	b.baseline = rev
}

// freshMock replaces the appliance with an empty one (only the built-in nsroot user).
func (b *bench) freshMock() *mock.Server {
	// The typed dialect (the NITRO pages' JSON), because the baseline build predates
	// the strings dialect and cannot read it; both builds face the same replies.
	m := mock.New(mock.Options{NITRODialect: mock.DialectTyped})
	b.mock.Store(m)
	return m
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

// terraformCmd runs one terraform command in dir against the users tables' appliance
// and measures it.
func (b *bench) terraformCmd(fl floor, dir string, args ...string) measurement {
	m := b.mock.Load()
	m.ResetCounts()
	measured := b.run(fl, dir, []string{"ACCESSPLANE_ADM_ENDPOINT=" + b.endpoint, "ACCESSPLANE_NIMBLE_ENDPOINT=" + b.endpoint}, args...)
	measured.requests = m.Counts()
	return measured
}

// run runs one terraform command in dir, with env added to its environment, and
// measures it: wall time, CPU time and the provider processes' peak RSS, which
// bench/peakrss writes to a file of the command's own.
func (b *bench) run(fl floor, dir string, env []string, args ...string) measurement {
	peaks := filepath.Join(dir, "peak-rss")
	if err := os.Remove(peaks); err != nil && !os.IsNotExist(err) {
		log.Fatal(err)
	}
	var output bytes.Buffer
	cmd := b.command(fl, dir, &output, args...)
	cmd.Env = append(append(cmd.Env, env...), "BENCH_PEAK_RSS_FILE="+peaks)
	started := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("terraform %s (%s): %v\n%s", strings.Join(args, " "), fl, err, output.String())
	}
	// On Linux a process's usage includes that of the children it waited for: the
	// provider processes, and the providers under bench/peakrss.
	measured := measurement{wall: time.Since(started), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	data, err := os.ReadFile(peaks)
	if err != nil && !os.IsNotExist(err) {
		log.Fatal(err)
	}
	for _, line := range strings.Fields(string(data)) {
		kib, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			log.Fatalf("%s: %v", peaks, err)
		}
		measured.peakRSS = max(measured.peakRSS, kib*1024)
	}
	return measured
}

// command is terraform with args in dir, using floor fl's provider, with the
// appliances' credentials in the environment as the guides say, its output collected
// in output.
func (b *bench) command(fl floor, dir string, output *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.Command(b.terraform, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+b.cliConfig[fl], "TF_IN_AUTOMATION=1", "TF_LOG=",
		"ACCESSPLANE_ADM_USERNAME=nsroot", "ACCESSPLANE_ADM_PASSWORD=nsroot",
		"ACCESSPLANE_CLUSTER_API_TOKEN=mock-cluster-token",
		"ACCESSPLANE_NIMBLE_USERNAME=admin", "ACCESSPLANE_NIMBLE_PASSWORD=admin",
	)
	cmd.Stdout, cmd.Stderr = output, output
	return cmd
}

// newWorkdir names a new working directory.
func (b *bench) newWorkdir() string {
	b.workdirs++
	return filepath.Join(b.dir, fmt.Sprintf("work-%d", b.workdirs))
}

// workdir is a new working directory holding config.
func (b *bench) workdir(config string) string {
	dir := b.newWorkdir()
	writeFile(filepath.Join(dir, "main.tf"), config)
	return dir
}

func withParallelism(args []string, parallelism int) []string {
	return append(append([]string{}, args...), "-parallelism="+strconv.Itoa(parallelism))
}

func (b *bench) crudTable(report *bytes.Buffer, n, runs int) {
	b.freshMock()
	results := map[floor]map[phase][]measurement{}
	floors := []floor{floorReal, floorNoop, floorTFData}
	if b.baseline != "" {
		floors = append(floors, floorBaseline)
	}
	for _, fl := range floors {
		results[fl] = map[phase][]measurement{}
	}
	for run := 1; run <= runs; run++ {
		for _, fl := range floors {
			log.Printf("%s: apply, refresh-only plan, destroy of %d users (run %d/%d)", fl, n, run, runs)
			dir := b.workdir(usersConfig(fl, n))
			for _, ph := range phases {
				results[fl][ph] = append(results[fl][ph], b.terraformCmd(fl, dir, phaseArgs[ph]...))
			}
		}
	}
	fmt.Fprintf(report, "## %d accessplane_mpsuser, no latency: time against the floors\n\n", n)
	header, rule := "| command | accessplane | no-op provider | terraform_data | ratio to no-op (target ≤ 1.25) | ratio to terraform_data | user requests per user, by route | sign-ins | provider peak RSS |", "|---|---|---|---|---|---|---|---|---|"
	if b.baseline != "" {
		header += fmt.Sprintf(" built at %s | its ratio to no-op |", b.baseline)
		rule += "---|---|"
	}
	fmt.Fprintf(report, "%s\n%s\n", header, rule)
	for _, ph := range phases {
		provider, noop, tfdata := median(results[floorReal][ph]), median(results[floorNoop][ph]), median(results[floorTFData][ph])
		last := results[floorReal][ph][len(results[floorReal][ph])-1]
		fmt.Fprintf(report, "| %s | %s | %s | %s | %.2f | %.2f | %s | %d | %s |", ph, seconds(provider), seconds(noop), seconds(tfdata),
			ratio(provider, noop), ratio(provider, tfdata), perUser(last.requests, n), last.requests[mock.RouteNITROLogin], mebibytes(maxRSS(results[floorReal][ph])))
		if b.baseline != "" {
			baseline := median(results[floorBaseline][ph])
			fmt.Fprintf(report, " %s | %.2f |", seconds(baseline), ratio(baseline, noop))
		}
		fmt.Fprintln(report)
	}
	fmt.Fprintf(report, "\nRequests count the mock's user routes (add, get by id, list and count, update, delete) in the last run's command, divided by %d; `GET /nitro/v2/config/mpsuser` is the pages (and, after a full first page, the count) of the batched refresh. Sign-ins count NITRO logins in that command: one per provider process, and `destroy` starts two (its refresh and its deletes).", n)
	if b.baseline != "" {
		fmt.Fprintf(report, " The provider built at %s (`-baseline`) runs the same commands in the same rounds.", b.baseline)
	}
	fmt.Fprint(report, "\n\n")
}

// perUser renders the user-route requests per user: the total, then by route.
func perUser(counts map[string]int, n int) string {
	total := 0
	var parts []string
	for _, route := range sortedKeys(counts) {
		if strings.Contains(route, "/mpsuser") {
			total += counts[route]
			parts = append(parts, fmt.Sprintf("%s %.3f", route, float64(counts[route])/float64(n)))
		}
	}
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%.3f (%s)", float64(total)/float64(n), strings.Join(parts, "; "))
}

// latencyTable applies and refresh-plans n users with latency on every reply of the
// appliance, at -parallelism 10 (Terraform's default) and 1 (what users of appliances
// that refuse concurrent requests run), against the no-op provider without latency.
func (b *bench) latencyTable(report *bytes.Buffer, n, runs int) {
	type row struct {
		ph          phase
		parallelism int
		real, noop  []measurement
	}
	var rows []*row
	for _, parallelism := range []int{10, 1} {
		apply, refresh := &row{ph: phaseApply, parallelism: parallelism}, &row{ph: phaseRefresh, parallelism: parallelism}
		rows = append(rows, apply, refresh)
		for run := 1; run <= runs; run++ {
			log.Printf("apply and refresh-only plan of %d users at -parallelism=%d, %s latency and the no-op floor (run %d/%d)", n, parallelism, latency, run, runs)
			b.freshMock().SetLatency(latency)
			realDir, noopDir := b.workdir(usersConfig(floorReal, n)), b.workdir(usersConfig(floorNoop, n))
			apply.real = append(apply.real, b.terraformCmd(floorReal, realDir, withParallelism(phaseArgs[phaseApply], parallelism)...))
			apply.noop = append(apply.noop, b.terraformCmd(floorNoop, noopDir, withParallelism(phaseArgs[phaseApply], parallelism)...))
			// A refresh takes seconds where an apply with latency takes up to a minute,
			// so each apply is refreshed several times, alternating with the floor.
			for range refreshesPerApply {
				refresh.real = append(refresh.real, b.terraformCmd(floorReal, realDir, withParallelism(phaseArgs[phaseRefresh], parallelism)...))
				refresh.noop = append(refresh.noop, b.terraformCmd(floorNoop, noopDir, withParallelism(phaseArgs[phaseRefresh], parallelism)...))
			}
		}
	}
	fmt.Fprintf(report, "## %d accessplane_mpsuser with %s latency on every appliance reply\n\n", n, latency)
	fmt.Fprintf(report, "| command | -parallelism | accessplane, %s latency | no-op provider, no latency | ratio to no-op | target | user requests per user, by route |\n|---|---|---|---|---|---|---|\n", latency)
	for _, r := range rows {
		provider, noop := median(r.real), median(r.noop)
		// DESIGN.md §5: latency is paid once, at either parallelism.
		target := "≤ 1.15"
		if r.ph == phaseApply {
			// Creates cannot be batched: NITRO adds one user per POST.
			target = fmt.Sprintf("none: %d POSTs × %s ÷ %d add at least %s", n, latency, r.parallelism, seconds(time.Duration(n)*latency/time.Duration(r.parallelism)))
		}
		fmt.Fprintf(report, "| %s | %d | %s | %s | %.2f | %s | %s |\n", r.ph, r.parallelism, seconds(provider), seconds(noop), ratio(provider, noop), target, perUser(r.real[len(r.real)-1].requests, n))
	}
	fmt.Fprintf(report, "\nEach run starts an empty mock with latency, applies the users with the provider and with the no-op provider (which makes no calls, so has no latency), then refresh-plans both %d times, alternating; refresh figures are the medians of those %d samples. The refresh answers even its first read from the first page of 1,000 users, which holds them all, and every other read from that page; so its latency is three round trips (sign-in, the page, sign-out) whatever the number of users or the parallelism.\n\n", refreshesPerApply, refreshesPerApply*runs)
}

func (b *bench) listTable(report *bytes.Buffer, size, runs int) {
	m := b.freshMock()
	m.SeedUsers("list", size)
	m.SeedTokens(mock.TokenSeed{Count: size})
	// Terraform's own cost of carrying as many objects of the same shape through a
	// plan, with no provider: the floor under any list data source.
	floorDir := b.workdir(fmt.Sprintf(`
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
`, (size+999)/1000, size))
	// The baseline build reads users only: 0b270b3 and older builds stop at the 206 a
	// Nimble array answers for the last page of tokens.
	lists := []struct {
		name, list, route string
		baseline          bool
	}{
		{"accessplane_mpsusers", "users", mock.RouteUserList, true},
		{"accessplane_tokens", "tokens", mock.RouteTokenList, false},
	}
	dirs := make([]string, len(lists))
	for i, l := range lists {
		dirs[i] = b.workdir(usersConfig(floorReal, 0) + fmt.Sprintf("data %q \"all\" {}\noutput \"count\" { value = length(data.%s.all.%s) }\n", l.name, l.name, l.list))
	}
	// A provider's peak RSS moves by 10 to 30 MiB from run to run with the moment the
	// garbage collector runs, so this table runs twice as often as the others.
	runs *= 2
	var floorRuns []measurement
	listRuns, baselineRuns := make([][]measurement, len(lists)), make([][]measurement, len(lists))
	plan := []string{"plan", "-input=false", "-no-color"}
	for run := 1; run <= runs; run++ {
		log.Printf("lists of %d objects, their terraform_data floor and the baseline build (run %d/%d)", size, run, runs)
		floorRuns = append(floorRuns, b.terraformCmd(floorTFData, floorDir, plan...))
		for i, l := range lists {
			listRuns[i] = append(listRuns[i], b.terraformCmd(floorReal, dirs[i], plan...))
			if b.baseline != "" && l.baseline {
				baselineRuns[i] = append(baselineRuns[i], b.terraformCmd(floorBaseline, dirs[i], plan...))
			}
		}
	}
	floorWall := median(floorRuns)
	fmt.Fprintf(report, "## List data sources over %d objects\n\n", size)
	header, rule, baselineCells := "| `terraform plan` of | objects | wall time | ratio to the terraform_data floor | list requests | provider peak RSS, median (max) of the runs |", "|---|---|---|---|---|---|", ""
	if b.baseline != "" {
		header += fmt.Sprintf(" built at %s: wall time | built at %s: provider peak RSS, median (max) |", b.baseline, b.baseline)
		rule += "---|---|"
		baselineCells = " – | – |"
	}
	fmt.Fprintf(report, "%s\n%s\n", header, rule)
	fmt.Fprintf(report, "| terraform_data holding the same %d objects, no provider (the floor) | %d | %s | 1.00 | – | – |%s\n", size, size, seconds(floorWall), baselineCells)
	for i, l := range lists {
		wall := median(listRuns[i])
		fmt.Fprintf(report, "| data source %s | %d | %s | %.2f | %d | %s (%s) |", l.name, size, seconds(wall), ratio(wall, floorWall),
			listRuns[i][len(listRuns[i])-1].requests[l.route], mebibytes(medianRSS(listRuns[i])), mebibytes(maxRSS(listRuns[i])))
		switch {
		case len(baselineRuns[i]) > 0:
			fmt.Fprintf(report, " %s | %s (%s) |", seconds(median(baselineRuns[i])), mebibytes(medianRSS(baselineRuns[i])), mebibytes(maxRSS(baselineRuns[i])))
		case b.baseline != "":
			fmt.Fprint(report, " not run | not run |")
		}
		fmt.Fprintln(report)
	}
	fmt.Fprintf(report, "\nThe floor is what Terraform itself takes to carry as many objects of the same shape through a plan; a list data source cannot be cheaper than its result. Peak RSS is the provider process's high-water mark (its maxrss at exit, recorded by bench/peakrss); it moves with the moment the garbage collector runs, so each figure is the median of %d runs.", runs)
	if b.baseline != "" {
		fmt.Fprintf(report, " The provider built at %s (`-baseline`) reads the same users from the same mock in the same runs, interleaved with this build; it is not run on tokens, as builds of that time stop at the 206 a Nimble array answers for the last page.", b.baseline)
	}
	fmt.Fprintln(report)
}

func median(ms []measurement) time.Duration {
	return medianOf(ms, func(m measurement) time.Duration { return m.wall })
}

// medianOf is the median of one figure of the measurements.
func medianOf[T cmp.Ordered](ms []measurement, figure func(measurement) T) T {
	values := make([]T, len(ms))
	for i, m := range ms {
		values[i] = figure(m)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

func maxRSS(ms []measurement) int64 {
	var peak int64
	for _, m := range ms {
		peak = max(peak, m.peakRSS)
	}
	return peak
}

func medianRSS(ms []measurement) int64 {
	return medianOf(ms, func(m measurement) int64 { return m.peakRSS })
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mebibytes(bytes int64) string {
	if bytes == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MiB", float64(bytes)/(1<<20))
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
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

func writeFile(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		log.Fatal(err)
	}
}
