package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccTokenDataSource reads one token of many by id, and names the id of one the
// array does not hold.
func TestAccTokenDataSource(t *testing.T) {
	env := newTestEnv(t)
	seeded := env.mock.SeedTokens(mock.TokenSeed{Count: 50})
	const one = "data.accessplane_token.one"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `data "accessplane_token" "one" { id = "` + seeded[41].ID + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(one, tfjsonpath.New("username"), knownvalue.StringExact("user-1")),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("source_ip"), knownvalue.StringExact(seeded[41].SourceIP)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("creation_time"), knownvalue.Int64Exact(seeded[41].CreationTime)),
				},
			},
			{
				Config:      env.providerConfig("") + `data "accessplane_token" "gone" { id = "1900000000000004d3ffffffffffffffffffffffff" }`,
				ExpectError: regexp.MustCompile(`(?s)Nimble session token not found.*1900000000000004d3ffffffffffffffffffffffff`),
			},
		},
	})
}
