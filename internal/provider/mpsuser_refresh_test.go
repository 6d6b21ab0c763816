package provider

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// checkRefreshCost asserts what the refresh of a step cost, in a step whose plan is
// empty: gets GETs by id, lists calls to the user collection (count=yes and pages),
// no writes, and at most 15 user requests in all.
func (e *testEnv) checkRefreshCost(gets, lists int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		counts := e.mock.Counts()
		total := 0
		for route, n := range counts {
			if strings.Contains(route, "/mpsuser") {
				total += n
			}
		}
		if counts[mock.RouteUserGet] != gets || counts[mock.RouteUserList] != lists || total != gets+lists || total > 15 {
			return fmt.Errorf("refresh cost %d GETs by id, %d list calls, %d user requests in all; want %d, %d and no writes: %v",
				counts[mock.RouteUserGet], counts[mock.RouteUserList], total, gets, lists, counts)
		}
		return nil
	}
}

// driftStep deletes user <prefix>-<deleted> and moves <prefix>-<edited> to the admin
// group behind Terraform's back, then applies config (users named <prefix>-<index> in
// accessplane_mpsuser.many): the plan creates the one and updates the other, the
// deleted user is confirmed gone with one GET by id, and no other user is read by id
// beyond the first ten reads and that confirmation.
func (e *testEnv) driftStep(t *testing.T, config, prefix string, deleted, edited int) resource.TestStep {
	deletedName, editedName := fmt.Sprintf("%s-%d", prefix, deleted), fmt.Sprintf("%s-%d", prefix, edited)
	var deletedPath string
	return resource.TestStep{
		PreConfig: func() {
			user, found := e.mock.UserByName(deletedName)
			if !found || !e.mock.DeleteUser(deletedName) || !e.mock.EditUser(editedName, func(u *mock.User) { u.Groups = []string{"admin"} }) {
				t.Fatalf("mock lacks %s or %s", deletedName, editedName)
			}
			deletedPath = "/nitro/v2/config/mpsuser/" + user.ID
			e.mock.ResetCounts()
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(fmt.Sprintf("accessplane_mpsuser.many[%d]", deleted), plancheck.ResourceActionCreate),
			plancheck.ExpectResourceAction(fmt.Sprintf("accessplane_mpsuser.many[%d]", edited), plancheck.ResourceActionUpdate),
		}},
		Check: func(*terraform.State) error {
			if n := e.mock.CountPath(http.MethodGet, deletedPath); n != 1 {
				return fmt.Errorf("the deleted user was read %d times by id, want 1", n)
			}
			counts := e.mock.Counts()
			if counts[mock.RouteUserGet] > 11 || counts[mock.RouteUserAdd] != 1 || counts[mock.RouteUserUpdate] != 1 {
				return fmt.Errorf("want at most 11 GETs by id, 1 POST and 1 PUT: %v", counts)
			}
			for _, name := range []string{deletedName, editedName} {
				if user, found := e.mock.UserByName(name); !found || !slices.Equal(user.Groups, []string{"readonly"}) {
					return fmt.Errorf("user %s not restored: %+v", name, user)
				}
			}
			return nil
		},
	}
}

// TestAccMPSUser_refreshOfFewUsersReadsByID: refreshing 1 and 10 users costs exactly
// one GET by id each, and no listing.
func TestAccMPSUser_refreshOfFewUsersReadsByID(t *testing.T) {
	env := newTestEnv(t)
	config := func(n int) string { return env.providerConfig("") + manyUsers("few", n) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkNoUsers("few"),
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
// to listing, one count and one page; users deleted or changed behind Terraform's back
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
		CheckDestroy:             env.checkNoUsers("batch"),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: parallelism("-parallelism=1"), Config: config, Check: env.checkRefreshCost(10, 2)},
			{PreConfig: parallelism("-parallelism=10"), Config: config, Check: env.checkRefreshCost(10, 2)},
			env.driftStep(t, config, "batch", 123, 200),
		},
	})
}

// TestAccMPSUser_refreshSurvivesQuirkyPaging: appliances that ignore pagesize or
// repeat users across pages still give a refresh where nothing is missing. 1,500
// users Terraform does not manage come first, so the 30 managed users are on the
// second page of 1,000.
func TestAccMPSUser_refreshSurvivesQuirkyPaging(t *testing.T) {
	for _, paging := range []string{mock.PagingIgnored, mock.PagingOverlapping} {
		t.Run(paging, func(t *testing.T) {
			env := newTestEnvWith(t, mock.Options{UserPaging: paging})
			env.mock.SeedUsers("unmanaged", 1500)
			config := env.providerConfig("") + manyUsers("quirk", 30)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             env.checkNoUsers("quirk"),
				Steps: []resource.TestStep{
					{Config: config},
					// The count and two pages: with pagesize ignored, the second page
					// adds no user and ends the listing.
					{PreConfig: env.mock.ResetCounts, Config: config, Check: env.checkRefreshCost(10, 3)},
					env.driftStep(t, config, "quirk", 25, 27),
				},
			})
		})
	}
}
