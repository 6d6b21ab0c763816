package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// TestAccMPSUser_refreshOfFewUsersReadsByID: refreshing 1 and 10 users costs exactly
// one GET by id each, and no listing.
func TestAccMPSUser_refreshOfFewUsersReadsByID(t *testing.T) {
	env := newTestEnv(t)
	config := func(n int) string { return env.providerConfig("") + manyUsers("few", n) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             destroyCheck(t, env.checkNoUsers("few")),
		Steps: []resource.TestStep{
			{Config: config(1)},
			{PreConfig: env.mock.ResetCounts, Config: config(1), Check: env.checkRefreshCost(1, 0)},
			{Config: config(10)},
			{PreConfig: env.mock.ResetCounts, Config: config(10), Check: env.checkRefreshCost(10, 0)},
		},
	})
}

// TestAccMPSUser_refreshOfManyUsersListsInPages: refreshing 300 users, at
// -parallelism 10 and 1, costs the ten GETs by id made before the provider switches
// to listing and one page, which holds every user; users deleted or changed behind Terraform's back
// are still found, the deleted one confirmed with one GET by id.
func TestAccMPSUser_refreshOfManyUsersListsInPages(t *testing.T) {
	env := newTestEnv(t)
	config := env.providerConfig("") + manyUsers("batch", 300)
	parallelism := func(flag string) func() {
		return func() {
			t.Setenv("TF_CLI_ARGS_plan", flag)
			env.mock.ResetCounts()
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             destroyCheck(t, env.checkNoUsers("batch")),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: parallelism("-parallelism=1"), Config: config, Check: env.checkRefreshCost(10, 1)},
			{PreConfig: parallelism("-parallelism=10"), Config: config, Check: env.checkRefreshCost(10, 1)},
			env.driftStep(t, config, "batch", 123, 200),
		},
	})
}

// TestAccMPSUser_refreshSurvivesQuirkyPaging: appliances that ignore pagesize or
// repeat users across pages still give a refresh where nothing is missing. 1,500
// users Terraform does not manage come first, so the 30 managed users are on the
// second page of 1,000.
func TestAccMPSUser_refreshSurvivesQuirkyPaging(t *testing.T) {
	// With pagesize ignored, the first page holds every user; with overlapping pages
	// it is full, so the provider counts the users and lists both pages.
	lists := map[string]int{mock.PagingIgnored: 1, mock.PagingOverlapping: 1 + 1 + 2}
	for _, paging := range []string{mock.PagingIgnored, mock.PagingOverlapping} {
		t.Run(paging, func(t *testing.T) {
			env := newTestEnvWith(t, mock.Options{UserPaging: paging})
			env.mock.SeedUsers("unmanaged", 1500)
			config := env.providerConfig("") + manyUsers("quirk", 30)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             destroyCheck(t, env.checkNoUsers("quirk")),
				Steps: []resource.TestStep{
					{Config: config},
					{PreConfig: env.mock.ResetCounts, Config: config, Check: env.checkRefreshCost(10, lists[paging])},
					env.driftStep(t, config, "quirk", 25, 27),
				},
			})
		})
	}
}
