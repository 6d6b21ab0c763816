package provider

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func TestAccTokensDataSource(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedTokens(mock.TokenSeed{Count: 2500})
	env.mock.SeedTokens(mock.TokenSeed{Count: 3, Username: "backup-svc", AppName: "nimble-backup", SourceIP: "192.0.2.7"})
	count := func(address string, n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(address, tfjsonpath.New("tokens"), knownvalue.ListSizeExact(n))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    env.providerConfig("") + `data "accessplane_tokens" "all" {}`,
				// 2,503 seeded tokens and the provider's own, 1,024 per page.
				ConfigStateChecks: []statecheck.StateCheck{count("data.accessplane_tokens.all", 2504)},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkCount(mock.RouteTokenList, 3),
					env.checkCount(mock.RouteNimbleSignIn, 1),
				),
			},
			{
				Config: env.providerConfig("") + `
data "accessplane_tokens" "by_user" {
  username = "backup-svc"
}
data "accessplane_tokens" "by_app" {
  app_name = "nimble-backup"
}
data "accessplane_tokens" "by_ip" {
  source_ip = "192.0.2.7"
}
data "accessplane_tokens" "user_3" {
  username = "user-3"
}
data "accessplane_tokens" "nobody" {
  username = "nobody"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					count("data.accessplane_tokens.by_user", 3),
					count("data.accessplane_tokens.by_app", 3),
					count("data.accessplane_tokens.by_ip", 3),
					count("data.accessplane_tokens.user_3", 250),
					count("data.accessplane_tokens.nobody", 0),
					statecheck.ExpectKnownValue("data.accessplane_tokens.by_user", tfjsonpath.New("tokens").AtSliceIndex(0).AtMapKey("source_ip"), knownvalue.StringExact("192.0.2.7")),
				},
			},
		},
	})
}

// TestAccTokensDataSource_renewsExpiredSignIn: the array forgets the provider's token
// between two reads of one run; the second read signs in again and succeeds.
func TestAccTokensDataSource_renewsExpiredSignIn(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedTokens(mock.TokenSeed{Count: 5})
	var expired atomic.Bool
	env.mock.OnRequest(mock.RouteTokenList, func() {
		if expired.CompareAndSwap(false, true) {
			env.mock.ExpireSessions()
		}
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig("") + `
data "accessplane_tokens" "first" {}
data "accessplane_tokens" "second" {
  username   = "user-1"
  depends_on = [data.accessplane_tokens.first]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.accessplane_tokens.second", tfjsonpath.New("tokens"), knownvalue.ListSizeExact(1)),
			},
			Check: func(*terraform.State) error {
				if !expired.Load() || env.count(mock.RouteTokenList) < 2 {
					return fmt.Errorf("the sign-in was not expired between the reads: %v", env.counts())
				}
				return nil
			},
		}},
	})
}

// TestAccTokensDataSource_partialLastPage: an array answers 206 on every partial page,
// the last one included; the list is complete and costs one call per page.
func TestAccTokensDataSource_partialLastPage(t *testing.T) {
	env := newTestEnv(t)
	env.mock.SeedTokens(mock.TokenSeed{Count: 1100})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.resetCounts,
			Config:    env.providerConfig("") + `data "accessplane_tokens" "all" {}`,
			// 1,100 seeded tokens and the provider's own, in pages of 1,024 and 77.
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.accessplane_tokens.all", tfjsonpath.New("tokens"), knownvalue.ListSizeExact(1101)),
			},
			Check: env.checkCount(mock.RouteTokenList, 2),
		}},
	})
}
