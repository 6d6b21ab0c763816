package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccTokenDataSource reads one of the Nimble person's tokens by id, as the array
// reports it, and names the id of one the array does not hold.
func TestAccTokenDataSource(t *testing.T) {
	t.Parallel() // before holding the person, which a paused parallel test would keep
	env := newTestEnv(t, nimbleBackend)
	person, password := env.nimblePerson(t)
	env.nimbleSignIn(t, person, password)
	id := env.nimbleSignIn(t, person, password)
	env.nimbleSignIn(t, person, password)
	ctx, cancel := env.ctx()
	defer cancel()
	token, err := env.nimble.GetToken(ctx, id)
	if err != nil {
		t.Fatalf("reading the person's token %s: %v", id, err)
	}
	const one = "data.accessplane_token.one"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `data "accessplane_token" "one" { id = "` + id + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(one, tfjsonpath.New("username"), knownvalue.StringExact(person)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("source_ip"), knownvalue.StringExact(token.SourceIP)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("creation_time"), knownvalue.Int64Exact(token.CreationTime)),
				},
			},
			{
				Config:      env.providerConfig("") + `data "accessplane_token" "gone" { id = "1900000000000004d3ffffffffffffffffffffffff" }`,
				ExpectError: regexp.MustCompile(`(?s)Nimble session token not found.*1900000000000004d3ffffffffffffffffffffffff`),
			},
		},
	})
}
