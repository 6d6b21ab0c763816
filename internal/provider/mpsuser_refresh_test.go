package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccMPSUser_refreshOfFewUsersListsOnce: refreshing 1 and 10 users costs one
// listing page and no GET by id: the first read lists, so the refresh waits for one
// round trip.
func TestAccMPSUser_refreshOfFewUsersListsOnce(t *testing.T) {
	env := newTestEnv(t, admBackend)
	few := env.name("few")
	config := func(n int) string { return env.providerConfig("") + manyUsers(few, n) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkNoUsers(few)),
		Steps: []resource.TestStep{
			{Config: config(1)},
			{PreConfig: env.resetCounts, Config: config(1), Check: env.checkRefreshCost(0, 1)},
			{Config: config(10)},
			{PreConfig: env.resetCounts, Config: config(10), Check: env.checkRefreshCost(0, 1)},
		},
	})
}

// TestAccMPSUser_refreshOfManyUsersListsInPages: refreshing 300 users, at
// -parallelism 10 and 1, costs one page, which holds every user, and no GET by id;
// users deleted or changed behind Terraform's back are still found, the deleted one
// confirmed with one GET by id.
func TestAccMPSUser_refreshOfManyUsersListsInPages(t *testing.T) {
	env := newTestEnv(t, admBackend)
	batch := env.name("batch")
	config := env.providerConfig("") + manyUsers(batch, 300)
	parallelism := func(flag string) func() {
		return func() {
			t.Setenv("TF_CLI_ARGS_plan", flag)
			env.resetCounts()
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             destroyCheck(t, env.checkNoUsers(batch)),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: parallelism("-parallelism=1"), Config: config, Check: env.checkRefreshCost(0, 1)},
			{PreConfig: parallelism("-parallelism=10"), Config: config, Check: env.checkRefreshCost(0, 1)},
			env.driftStep(t, config, batch, 123, 200),
		},
	})
}

// TestAccMPSUser_refreshSurvivesQuirkyPaging: appliances that ignore pagesize or
// repeat users across pages still give a refresh where nothing is missing. 1,500
// users Terraform does not manage come first, so the 30 managed users are on the
// second page of 1,000.
func TestAccMPSUser_refreshSurvivesQuirkyPaging(t *testing.T) {
	mockOnly(t, "needs an appliance that ignores pagesize or repeats users across pages (mock option UserPaging), and 1,500 seeded users")
	// With pagesize ignored, the first page holds every user; with overlapping pages
	// it is full and holds none of them, so the provider reads ten by id, then counts
	// the users and lists both pages.
	gets := map[string]int{mock.PagingIgnored: 0, mock.PagingOverlapping: 10}
	lists := map[string]int{mock.PagingIgnored: 1, mock.PagingOverlapping: 1 + 1 + 2}
	for _, paging := range []string{mock.PagingIgnored, mock.PagingOverlapping} {
		t.Run(paging, func(t *testing.T) {
			env := newTestEnvWith(t, mock.Options{UserPaging: paging})
			env.mock.SeedUsers("unmanaged", 1500)
			config := env.providerConfig("") + manyUsers("quirk", 30)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             destroyCheck(t, env.checkNoUsers("quirk")),
				Steps: []resource.TestStep{
					{Config: config},
					{PreConfig: env.resetCounts, Config: config, Check: env.checkRefreshCost(gets[paging], lists[paging])},
					env.driftStep(t, config, "quirk", 25, 27),
				},
			})
		})
	}
}
