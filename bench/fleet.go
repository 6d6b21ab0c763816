package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// fleetAppliance is one appliance of a measured fleet, with the mock behind it.
type fleetAppliance struct {
	name, plane string
	mock        *mock.Server
	server      *httptest.Server
}

// danaOn is dana on an appliance of each plane: the sign-out's argument that names a
// person there, her name there and how many sessions (or tokens) she has before the
// sign-out.
var danaOn = map[string]struct {
	argument, name string
	sessions       int
}{
	"adm":     {"adm_username", "dana", 2},
	"cluster": {"cluster_user_id", "dana@example.com", 3},
	"nimble":  {"nimble_username", "dana", 2},
}

// fleetOf starts the guide's fleet (2 ADM instances, 2 Dynatrace clusters, 20 Nimble
// arrays), or only its first array, each a mock with latency on every reply and dana
// signed in.
func fleetOf(size int) []*fleetAppliance {
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
			for range danaOn["adm"].sessions {
				m.SeedSession(mock.SessionSeed{Username: danaOn["adm"].name})
			}
		case "cluster":
			m.SeedClusterSessions(mock.ClusterSessionSeed{UserID: danaOn["cluster"].name, Count: danaOn["cluster"].sessions})
		default:
			m.SeedTokens(mock.TokenSeed{Username: danaOn["nimble"].name, Count: danaOn["nimble"].sessions})
		}
		m.SetLatency(latency)
		fleet[i] = &fleetAppliance{name: n[0], plane: n[1], mock: m, server: httptest.NewServer(m)}
	}
	return fleet
}

// fleetExample is the many-appliances guide's example: one provider configuration
// holding every appliance of its variable inventory, one sign-out and a session policy
// per Dynatrace cluster.
const fleetExample = "examples/guides/many-appliances/fleet"

// oneConfiguration is the guide's example in a new working directory, its inventory
// the fleet.
func (b *bench) oneConfiguration(fleet []*fleetAppliance) string {
	dir := b.newWorkdir()
	if err := os.CopyFS(dir, os.DirFS(fleetExample)); err != nil {
		log.Fatal(err)
	}
	// The person is named on the fleet's planes only: the sign-out refuses a name for a
	// plane that no appliance has.
	inventory, person := map[string]map[string]map[string]string{}, map[string]*string{"ticket": ptr("HR-4711")}
	for _, on := range danaOn {
		person[on.argument] = nil
	}
	for _, a := range fleet {
		inventory[a.name] = map[string]map[string]string{a.plane: {"endpoint": a.server.URL}}
		person[danaOn[a.plane].argument] = ptr(danaOn[a.plane].name)
	}
	vars, err := json.Marshal(map[string]any{"inventory": inventory, "person": person})
	if err != nil {
		log.Fatal(err)
	}
	writeFile(filepath.Join(dir, "terraform.tfvars.json"), string(vars))
	return dir
}

func ptr(s string) *string { return &s }

// perAppliance is the form the guide replaced, in a new working directory: a provider
// configuration per appliance and a sign-out in each.
func (b *bench) perAppliance(fleet []*fleetAppliance) string {
	config := "terraform {\n  required_providers {\n    accessplane = { source = \"accessplane/accessplane\" }\n  }\n}\n"
	for _, a := range fleet {
		alias := strings.ReplaceAll(a.name, "-", "_")
		config += fmt.Sprintf("provider \"accessplane\" {\n  alias = %q\n  %s = { endpoint = %q }\n}\nresource \"accessplane_user_signout\" %q {\n  provider = accessplane.%s\n  %s = %q\n}\n",
			alias, a.plane, a.server.URL, alias, alias, danaOn[a.plane].argument, danaOn[a.plane].name)
	}
	return b.workdir(config)
}

// fleetTable measures, with latency on every reply, the apply that signs dana out of
// 24 appliances from one provider configuration against the apply that signs her out
// of one, and beside them the same 24 from a provider configuration each; and the
// apply that reads where she is signed in (readType) on the 24 against
// the same read of one; in alternating runs. The no-op provider's applies of both
// sign-out forms are Terraform's own cost of each.
func (b *bench) fleetTable(report *bytes.Buffer, runs int) {
	type row struct {
		label      string
		fl         floor
		workdir    func([]*fleetAppliance) string
		appliances int
		runs       []measurement
		requests   int
		target     string
		// read marks the rows of readType, which change nothing; their
		// ratio is to the first read row's, the others' to the first row's.
		read bool
	}
	rows := []*row{
		{label: "one Nimble array, one provider configuration", fl: floorReal, workdir: b.oneConfiguration, appliances: 1, target: "(baseline)"},
		{label: "2 ADM instances, 2 Dynatrace clusters, 20 Nimble arrays, one provider configuration", fl: floorReal, workdir: b.oneConfiguration, appliances: 24, target: "≤ 1.50"},
		{label: "the same 24, a provider configuration each", fl: floorReal, workdir: b.perAppliance, appliances: 24, target: "none (the form the guide replaced)"},
		{label: "the no-op provider, the 24 in one provider configuration: Terraform's floor", fl: floorNoop, workdir: b.oneConfiguration, appliances: 24, target: "–"},
		{label: "the no-op provider, the 24 in a provider configuration each: Terraform's floor", fl: floorNoop, workdir: b.perAppliance, appliances: 24, target: "–"},
		{label: "where is dana signed in (`" + readType + "`): one Nimble array", fl: floorReal, workdir: b.readConfiguration, appliances: 1, target: "(baseline of the reads)", read: true},
		{label: "where is dana signed in (`" + readType + "`): the 24, one provider configuration", fl: floorReal, workdir: b.readConfiguration, appliances: 24, target: "≤ 1.50 of one array's read", read: true},
	}
	if *fleetRows == "reads" {
		rows = slices.DeleteFunc(rows, func(r *row) bool { return !r.read })
	}
	loadBefore := loadAverage()
	for run := 1; run <= runs; run++ {
		for _, r := range rows {
			what := "sign-out of dana"
			if r.read {
				what = "where dana is signed in"
			}
			log.Printf("%s, %s, %s latency, %s (run %d/%d)", what, r.label, latency, r.fl, run, runs)
			fleet := fleetOf(r.appliances)
			dir := r.workdir(fleet)
			measured := b.run(r.fl, dir, nil, phaseArgs[phaseApply]...)
			if r.read {
				var output bytes.Buffer
				show := b.command(r.fl, dir, &output, "output", "-raw", "total")
				if err := show.Run(); err != nil || strings.TrimSpace(output.String()) != strconv.Itoa(danaSeeded(fleet)) {
					log.Fatalf("where dana is signed in on %d appliances: total %q (%v), want %d", r.appliances, output.String(), err, danaSeeded(fleet))
				}
			}
			r.requests = 0
			for _, a := range fleet {
				a.server.Close()
				r.requests += a.mock.Total()
				left := danaLeft(a)
				if r.fl == floorReal && !r.read && left > 0 {
					log.Fatalf("%s: dana still has %d sessions after the sign-out", a.name, left)
				}
				if r.read && left != danaOn[a.plane].sessions {
					log.Fatalf("%s: reading where dana is signed in left her %d sessions of %d", a.name, left, danaOn[a.plane].sessions)
				}
			}
			r.runs = append(r.runs, measured)
		}
	}
	one, oneRead := median(rows[0].runs), time.Duration(0)
	for _, r := range rows {
		if r.read && oneRead == 0 {
			oneRead = median(r.runs)
		}
	}
	fmt.Fprintf(report, "## Signing one person out of 24 appliances, and reading where they are signed in\n\n")
	fmt.Fprintf(report, "| `terraform apply`, %s latency on every reply | appliances | requests | wall time | ratio to one appliance | target | CPU time of terraform and its provider processes | provider peak RSS, median (max) of the runs |\n|---|---|---|---|---|---|---|---|\n", latency)
	for _, r := range rows {
		base := one
		if r.read {
			base = oneRead
		}
		fmt.Fprintf(report, "| %s | %d | %d | %s | %.2f | %s | %s | %s (%s) |\n", r.label, r.appliances, r.requests, seconds(median(r.runs)), ratio(median(r.runs), base), r.target,
			seconds(medianOf(r.runs, func(m measurement) time.Duration { return m.cpu })), mebibytes(medianRSS(r.runs)), mebibytes(maxRSS(r.runs)))
	}
	fmt.Fprintf(report, "\nOne provider configuration is the many-appliances guide's example (`%s`) as it ships: its inventory holds the appliances, and it applies the sign-out and, on each Dynatrace cluster, the session policy (2 more resources for the 24, none for one array). A provider configuration each is the form it replaced, generated by the bench: an aliased provider block and a sign-out per appliance. Each run starts the appliances afresh (one mock each, dana signed in with %d ADM sessions, %d Dynatrace sessions or %d Nimble tokens), applies at Terraform's default -parallelism of 10, and alternates between the rows. Requests include each provider process's sign-ins and its sign-outs when Terraform stops it. Peak RSS is the largest provider process's maxrss at exit, recorded by bench/peakrss. The reads of `%s` apply a configuration the bench writes (the fleet in the provider's appliances, the data source naming dana on the fleet's planes, its total as an output, which the bench checks: %d on the 24), change nothing (the bench checks that every session is still there), and are compared with the same read of one Nimble array. Load average %s before the table and %s after it.\n\n",
		fleetExample, danaOn["adm"].sessions, danaOn["cluster"].sessions, danaOn["nimble"].sessions, readType, 2*danaOn["adm"].sessions+2*danaOn["cluster"].sessions+20*danaOn["nimble"].sessions, loadBefore, loadAverage())
}

// danaLeft counts what dana still has on the appliance.
func danaLeft(a *fleetAppliance) int {
	left := 0
	for _, s := range a.mock.Sessions() {
		if s.Username == danaOn["adm"].name {
			left++
		}
	}
	for _, s := range a.mock.ClusterSessions() {
		if s.UserID == danaOn["cluster"].name {
			left++
		}
	}
	for _, t := range a.mock.Tokens() {
		if t.Username == danaOn["nimble"].name {
			left++
		}
	}
	return left
}
