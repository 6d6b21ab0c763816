package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccMPSSessionList: terraform query finds a person's live session with the data
// source's filters, on current ADM (NITRO v2, paged) and on legacy MAS (v1, one reply), names
// each "<username>@<ip_address> (<id>)", identifies it by id, and with
// include_resource holds what the resource stores; limit caps the results and the
// pages; a bad filter fails at validation.
func TestAccMPSSessionList(t *testing.T) {
	for _, generation := range []string{mock.GenerationCurrent, mock.GenerationLegacy} {
		t.Run(generation, func(t *testing.T) {
			var env *testEnv
			if generation == mock.GenerationLegacy {
				mockOnly(t, "the legacy MAS generation (NITRO v1 sessions) is a mock option")
				env = newTestEnvWith(t, mock.Options{ADMGeneration: generation})
			} else {
				env = newTestEnv(t, admBackend)
			}
			// sam's one session among eight of another person, all made by signing in.
			sam, other := env.name("sam"), env.name("other")
			env.createUser(t, sam, personPassword)
			env.createUser(t, other, personPassword)
			id := env.signIn(t, sam, personPassword)
			for range 8 {
				env.signIn(t, other, personPassword)
			}
			reported := env.session(t, id)
			bySam := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "appliance": knownvalue.Null()})
			// Legacy: the one reply of every session. Current: the probe that learns the
			// generation (count=yes), then one page of 3 and no further page.
			listRequests := 1
			if generation == mock.GenerationCurrent {
				listRequests = 2
			}
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsQuery},
				Steps: []tfresource.TestStep{
					{
						Query: true,
						Config: env.queryConfig(fmt.Sprintf(`
list "accessplane_mpssession" "sam" {
  provider         = accessplane
  include_resource = true
  config {
    username    = %q
    client_type = %q
  }
}
`, sam, reported.ClientType)),
						QueryResultChecks: []querycheck.QueryResultCheck{
							querycheck.ExpectLength("accessplane_mpssession.sam", 1),
							querycheck.ExpectIdentity("accessplane_mpssession.sam", map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "appliance": knownvalue.Null()}),
							querycheck.ExpectResourceDisplayName("accessplane_mpssession.sam", bySam, knownvalue.StringExact(sam+"@"+reported.IPAddress+" ("+id+")")),
							querycheck.ExpectResourceKnownValues("accessplane_mpssession.sam", bySam, []querycheck.KnownValueCheck{
								{Path: tfjsonpath.New("username"), KnownValue: knownvalue.StringExact(sam)},
								{Path: tfjsonpath.New("client_type"), KnownValue: knownvalue.StringExact(reported.ClientType)},
								{Path: tfjsonpath.New("ip_address"), KnownValue: knownvalue.StringExact(reported.IPAddress)},
								{Path: tfjsonpath.New("is_self"), KnownValue: knownvalue.Bool(false)},
							}),
						},
					},
					{
						PreConfig: env.resetCounts,
						Query:     true,
						Config: env.queryConfig(`
list "accessplane_mpssession" "three" {
  provider = accessplane
  limit    = 3
  config {
    is_self = false
  }
}
`),
						QueryResultChecks: []querycheck.QueryResultCheck{
							querycheck.ExpectLength("accessplane_mpssession.three", 3),
							applianceQueryCheck{env.checkCount(sessionListRoute(generation), listRequests)},
						},
					},
					{
						Query: true,
						Config: env.queryConfig(`
list "accessplane_mpssession" "bad" {
  provider = accessplane
  config {
    ip_address = ""
  }
}
`),
						ExpectError: regexp.MustCompile(lengthError("ip_address", "between 1 and 255")),
					},
				},
			})
		})
	}
}

// sessionListRoute is the mock route that lists sessions on an ADM generation.
func sessionListRoute(generation string) string {
	if generation == mock.GenerationLegacy {
		return mock.RouteSessionListV1
	}
	return mock.RouteSessionListV2
}
