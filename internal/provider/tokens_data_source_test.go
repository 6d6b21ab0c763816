package provider

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccTokensDataSource lists the array's tokens, all of them and filtered by user,
// application and address, with one sign-in: the Nimble person's three tokens are in
// each list they match, and a filter matches nothing else.
func TestAccTokensDataSource(t *testing.T) {
	t.Parallel() // before holding the person, which a paused parallel test would keep
	env := newTestEnv(t, nimbleBackend)
	person, password := env.nimblePerson(t)
	ids := []string{env.nimbleSignIn(t, person, password), env.nimbleSignIn(t, person, password), env.nimbleSignIn(t, person, password)}
	ctx, cancel := env.ctx()
	defer cancel()
	token, err := env.nimble.GetToken(ctx, ids[0])
	if err != nil {
		t.Fatalf("reading the person's token %s: %v", ids[0], err)
	}
	count := func(address string, n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(address, tfjsonpath.New("tokens"), knownvalue.ListSizeExact(n))
	}
	// holds asserts that the list at address holds the person's tokens, and that each
	// token in it has want as its attribute (none: any).
	holds := func(address, attribute, want string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			attributes := s.RootModule().Resources[address].Primary.Attributes
			n, err := strconv.Atoi(attributes["tokens.#"])
			if err != nil {
				return fmt.Errorf("%s.tokens.# = %q: %v", address, attributes["tokens.#"], err)
			}
			listed := map[string]bool{}
			for i := 0; i < n; i++ {
				listed[attributes[fmt.Sprintf("tokens.%d.id", i)]] = true
				if got := attributes[fmt.Sprintf("tokens.%d.%s", i, attribute)]; attribute != "" && got != want {
					return fmt.Errorf("%s lists token %d with %s %q, want %q", address, i, attribute, got, want)
				}
			}
			for _, id := range ids {
				if !listed[id] {
					return fmt.Errorf("%s lacks the person's token %s", address, id)
				}
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.resetCounts,
				Config:    env.providerConfig("") + `data "accessplane_tokens" "all" {}`,
				Check: resource.ComposeAggregateTestCheckFunc(
					holds("data.accessplane_tokens.all", "", ""),
					env.checkCount(mock.RouteNimbleSignIn, 1),
				),
			},
			{
				Config: env.providerConfig("") + fmt.Sprintf(`
data "accessplane_tokens" "by_user" {
  username = %[1]q
}
data "accessplane_tokens" "by_app" {
  app_name = %[2]q
}
data "accessplane_tokens" "by_ip" {
  source_ip = %[3]q
}
data "accessplane_tokens" "nobody" {
  username = %[4]q
}
`, person, token.AppName, token.SourceIP, env.name("nobody")),
				ConfigStateChecks: []statecheck.StateCheck{
					count("data.accessplane_tokens.by_user", 3),
					count("data.accessplane_tokens.nobody", 0),
					statecheck.ExpectKnownValue("data.accessplane_tokens.by_user", tfjsonpath.New("tokens").AtSliceIndex(0).AtMapKey("source_ip"), knownvalue.StringExact(token.SourceIP)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					holds("data.accessplane_tokens.by_user", "username", person),
					holds("data.accessplane_tokens.by_app", "app_name", token.AppName),
					holds("data.accessplane_tokens.by_ip", "source_ip", token.SourceIP),
				),
			},
		},
	})
}

// TestAccTokensDataSource_manyPages lists 2,504 tokens in pages of 1,024 with one
// sign-in, and filters them by user, application and address.
func TestAccTokensDataSource_manyPages(t *testing.T) {
	mockOnly(t, "needs 2,503 tokens of made-up users seeded in the mock; an array is given tokens only by sign-ins")
	env := newTestEnvWith(t, mock.Options{})
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
	mockOnly(t, "the array forgetting the provider's token between two reads is injected by the mock")
	env := newTestEnvWith(t, mock.Options{})
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
	mockOnly(t, "needs 1,100 tokens seeded in the mock to fill a partial last page; an array is given tokens only by sign-ins")
	env := newTestEnvWith(t, mock.Options{})
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
