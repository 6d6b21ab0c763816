package main

import (
	"bytes"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// fleetExample is the many-appliances guide's Terraform example: one aliased provider
// block per appliance, each passed to the signout module.
const fleetExample = "examples/guides/many-appliances/terraform"

// fleetAppliance is one appliance of a measured fleet, with the mock behind it.
type fleetAppliance struct {
	name, plane string
	mock        *mock.Server
	server      *httptest.Server
}

// danaSessions is what dana has on an appliance of each plane before the sign-out.
var danaSessions = map[string]int{"adm": 2, "cluster": 3, "nimble": 2}

// fleetOf starts the guide's fleet (2 ADM instances, 2 Dynatrace clusters, 20 Nimble
// arrays), or only its first array, each a mock with delay on every reply and dana
// signed in.
func fleetOf(size int, delay time.Duration) []*fleetAppliance {
	names := [][2]string{{"adm-1", "adm"}, {"adm-2", "adm"}, {"cluster-1", "cluster"}, {"cluster-2", "cluster"}}
	for i := 1; i <= 20; i++ {
		names = append(names, [2]string{fmt.Sprintf("nimble-%02d", i), "nimble"})
	}
	if size == 1 {
		names = names[4:5]
	}
	fleet := make([]*fleetAppliance, len(names))
	for i, n := range names {
		m := mock.New(mock.Options{})
		switch n[1] {
		case "adm":
			for range danaSessions["adm"] {
				m.SeedSession(mock.SessionSeed{Username: "dana"})
			}
		case "cluster":
			m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "dana@example.com", Count: danaSessions["cluster"]})
		default:
			m.SeedTokens(mock.TokenSeed{Username: "dana", Count: danaSessions["nimble"]})
		}
		m.SetLatency(delay)
		fleet[i] = &fleetAppliance{name: n[0], plane: n[1], mock: m, server: httptest.NewServer(m)}
	}
	return fleet
}

// fleetWorkdir is the guide's Terraform example with appliances.tf written for fleet,
// in the example's form, and its modules installed.
func (b *bench) fleetWorkdir(fleet []*fleetAppliance) string {
	dir := b.newWorkdir()
	if err := os.CopyFS(dir, os.DirFS(fleetExample)); err != nil {
		log.Fatal(err)
	}
	var tf, endpoints, ended strings.Builder
	for _, a := range fleet {
		alias := strings.ReplaceAll(a.name, "-", "_")
		fmt.Fprintf(&tf, "provider \"accessplane\" {\n  alias = %q\n  %s = { endpoint = var.endpoints[%q] }\n}\n\n", alias, a.plane, a.name)
		fmt.Fprintf(&tf, "module %q {\n  source    = \"./signout\"\n  providers = { accessplane = accessplane.%s }\n  plane     = %q\n  person    = var.person\n}\n\n", alias, alias, a.plane)
		fmt.Fprintf(&endpoints, "  %q = %q\n", a.name, a.server.URL)
		fmt.Fprintf(&ended, "    %q = module.%s.ended\n", a.name, alias)
	}
	fmt.Fprintf(&tf, "output \"ended\" {\n  value = {\n%s  }\n}\n", ended.String())
	writeFile(filepath.Join(dir, "appliances.tf"), tf.String())
	writeFile(filepath.Join(dir, "terraform.tfvars"), "endpoints = {\n"+endpoints.String()+"}\n")
	b.fleetCmd(floorReal, dir, "get", "-no-color")
	return dir
}

// fleetCmd runs one terraform command in a fleet's working directory and returns its
// wall time and the CPU time of terraform and the provider processes it started. The
// endpoints come from the configuration.
func (b *bench) fleetCmd(fl floor, dir string, args ...string) (wall, cpu time.Duration) {
	var output bytes.Buffer
	cmd := b.command(fl, dir, &output, args...)
	started := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("terraform %s (%s): %v\n%s", strings.Join(args, " "), fl, err, output.String())
	}
	// On Linux a process's usage includes that of the children it waited for, here
	// the provider processes.
	return time.Since(started), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// fleetTable measures the apply that signs dana out of 24 appliances against the
// apply that signs her out of one, both with latency on every reply, in alternating
// runs. Beside them it measures what the appliances do not cost: the same fleet
// without latency, and the no-op provider's applies of the same configurations, which
// are Terraform's own cost of 24 provider configurations and of one.
func (b *bench) fleetTable(report *bytes.Buffer, runs int) {
	type row struct {
		label       string
		fl          floor
		appliances  int
		delay       time.Duration
		walls, cpus []measurement
		requests    int
		target      string
	}
	rows := []*row{
		{label: fmt.Sprintf("2 ADM instances, 2 Dynatrace clusters, 20 Nimble arrays, %s latency", latency), fl: floorReal, appliances: 24, delay: latency, target: "≤ 2.00"},
		{label: fmt.Sprintf("one Nimble array, %s latency", latency), fl: floorReal, appliances: 1, delay: latency, target: "–"},
		{label: "the same 24 appliances without latency", fl: floorReal, appliances: 24, target: "–"},
		{label: "the no-op provider in the same 24 configurations: Terraform's floor", fl: floorNoop, appliances: 24, target: "–"},
		{label: "the no-op provider in one configuration", fl: floorNoop, appliances: 1, target: "–"},
	}
	for run := 1; run <= runs; run++ {
		for _, r := range rows {
			log.Printf("sign-out of dana from %d appliances with %s latency, %s (run %d/%d)", r.appliances, r.delay, r.fl, run, runs)
			fleet := fleetOf(r.appliances, r.delay)
			dir := b.fleetWorkdir(fleet)
			wall, cpu := b.fleetCmd(r.fl, dir, phaseArgs[phaseApply]...)
			r.requests = 0
			for _, a := range fleet {
				a.server.Close()
				r.requests += a.mock.Total()
				if left := danaLeft(a); r.fl == floorReal && left > 0 {
					log.Fatalf("%s: dana still has %d sessions after the sign-out", a.name, left)
				}
			}
			r.walls, r.cpus = append(r.walls, measurement{wall: wall}), append(r.cpus, measurement{wall: cpu})
		}
	}
	one := median(rows[1].walls)
	fmt.Fprintf(report, "## Signing one person out of 24 appliances\n\n")
	fmt.Fprintf(report, "| `terraform apply` of the many-appliances guide's Terraform example | appliances | requests | wall time | ratio to one appliance with latency | target | CPU time of terraform and its provider processes |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(report, "| %s | %d | %d | %s | %.2f | %s | %s |\n", r.label, r.appliances, r.requests, seconds(median(r.walls)), ratio(median(r.walls), one), r.target, seconds(median(r.cpus)))
	}
	fmt.Fprintf(report, "\nEach run starts the appliances afresh (one mock each, dana signed in with %d ADM sessions, %d Dynatrace sessions or %d Nimble tokens) and applies at Terraform's default -parallelism of 10; the runs alternate between the rows. Requests include each provider process's sign-in and its sign-out when Terraform stops it. Terraform runs one provider process per appliance and walk (validate, plan, apply: 72 processes for 24 appliances) and starts and stops them one at a time, holding one lock (its evaluation context's ProviderLock) while a process starts, while one is closed (which waits for the process to exit, so for its sign-out, one round trip to its appliance) and while any resource looks its provider up; only the work between a start and a stop overlaps, up to -parallelism. So the no-op provider's row (the starts and stops alone) plus 24 sign-outs' round trips one after another bound the fleet's time from below, and the 2× target is out of reach on this machine while the provider signs out when Terraform stops it, as DESIGN.md requires: the floor alone is the no-op row's ratio.\n\n",
		danaSessions["adm"], danaSessions["cluster"], danaSessions["nimble"])
}

// danaLeft counts what dana still has on the appliance.
func danaLeft(a *fleetAppliance) int {
	left := 0
	for _, s := range a.mock.Sessions() {
		if s.Username == "dana" {
			left++
		}
	}
	for _, s := range a.mock.ClusterSessions() {
		if s.UserID == "dana@example.com" {
			left++
		}
	}
	for _, t := range a.mock.Tokens() {
		if t.Username == "dana" {
			left++
		}
	}
	return left
}
