package provider

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccClusterSessionsDataSource lists the cluster's live Dynatrace sessions, all of
// them and those of one user, each with RFC 3339 times and idle_seconds, in one list
// request each. Dynatrace sessions come only from browsers, so the user filtered for is
// a tfacc- person without any: the list is empty, not an error.
func TestAccClusterSessionsDataSource(t *testing.T) {
	env := newTestEnv(t, clusterBackend)
	const all, nobody = "data.accessplane_cluster_sessions.all", "data.accessplane_cluster_sessions.nobody"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config: env.providerConfig("") + fmt.Sprintf(`
data "accessplane_cluster_sessions" "all" {}
data "accessplane_cluster_sessions" "nobody" { user_id = "%s@example.com" }
`, env.name("nobody")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(nobody, tfjsonpath.New("sessions"), knownvalue.ListSizeExact(0)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkCount(mock.RouteClusterSessionList, 2),
				func(s *terraform.State) error {
					attributes := s.RootModule().Resources[all].Primary.Attributes
					n, err := strconv.Atoi(attributes["sessions.#"])
					if err != nil {
						return fmt.Errorf("%s.sessions.# = %q: %v", all, attributes["sessions.#"], err)
					}
					now := env.providerNow()
					for i := 0; i < n; i++ {
						at := func(key string) string { return attributes[fmt.Sprintf("sessions.%d.%s", i, key)] }
						if at("user_id") == "" {
							return fmt.Errorf("session %d has no user_id", i)
						}
						for _, key := range []string{"creation_time", "last_accessed"} {
							if err := checkTimeBetween(at(key), time.Time{}, now.Add(time.Minute)); err != nil {
								return fmt.Errorf("session %d %s: %v", i, key, err)
							}
						}
						if idle, err := strconv.ParseInt(at("idle_seconds"), 10, 64); err != nil || idle < 0 {
							return fmt.Errorf("session %d idle_seconds %q: want a whole number of 0 or more", i, at("idle_seconds"))
						}
					}
					return nil
				},
			),
		}},
	})
}

// TestAccClusterSessionsDataSource_seeded lists seeded Dynatrace sessions, filtered
// and not, with every field, exact times and idle_seconds, and stores no session id.
func TestAccClusterSessionsDataSource_seeded(t *testing.T) {
	mockOnly(t, "Dynatrace sessions come only from browsers; the mock seeds them (and exact idle_seconds need the mock's clock)")
	env := newTestEnvWith(t, mock.Options{})
	seeded := env.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "alice@example.com", Count: 2, LoginType: "LDAP", Device: "Firefox on Linux", IdleFor: time.Hour})
	env.mock.SeedClusterSessions(mock.ClusterSessionSeed{UserID: "bob", TenantUUID: "env-7"})
	const all, alice = "data.accessplane_cluster_sessions.all", "data.accessplane_cluster_sessions.alice"
	first := tfjsonpath.New("sessions").AtSliceIndex(0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config: env.providerConfig("") + `
data "accessplane_cluster_sessions" "all" {}
data "accessplane_cluster_sessions" "alice" { user_id = "alice@example.com" }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, tfjsonpath.New("sessions"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("sessions").AtSliceIndex(2).AtMapKey("tenant_uuid"), knownvalue.StringExact("env-7")),
				statecheck.ExpectKnownValue(alice, tfjsonpath.New("sessions"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("user_id"), knownvalue.StringExact("alice@example.com")),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("login_type"), knownvalue.StringExact("LDAP")),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("device"), knownvalue.StringExact("Firefox on Linux")),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("ip"), knownvalue.StringExact(seeded[0].IP)),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("node_id"), knownvalue.Int64Exact(seeded[0].NodeID)),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("creation_time"), knownvalue.StringExact(seeded[0].CreationTime.UTC().Format(time.RFC3339))),
				statecheck.ExpectKnownValue(alice, first.AtMapKey("last_accessed"), knownvalue.StringExact(seeded[0].LastAccessed.UTC().Format(time.RFC3339))),
				// Exact: the provider and the mock share the test clock.
				statecheck.ExpectKnownValue(alice, first.AtMapKey("idle_seconds"), knownvalue.Int64Exact(3600)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkCount(mock.RouteClusterSessionList, 2),
				func(s *terraform.State) error {
					for _, address := range []string{all, alice} {
						for key, value := range s.RootModule().Resources[address].Primary.Attributes {
							for _, secret := range env.mock.IssuedCredentials() {
								if strings.Contains(value, secret) {
									return fmt.Errorf("%s.%s holds a session credential", address, key)
								}
							}
						}
					}
					return nil
				},
			),
		}},
	})
}
