package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// applianceQueryCheck runs checks of the mock as a query check, for what a query
// costs the appliance.
type applianceQueryCheck []tfresource.TestCheckFunc

func (c applianceQueryCheck) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	for _, check := range c {
		if err := check(nil); err != nil {
			resp.Error = errors.Join(resp.Error, err)
		}
	}
}

// queryConfig is a .tfquery.hcl: the provider pointed at the mock and list blocks.
func (e *testEnv) queryConfig(lists string) string {
	return e.providerConfig("") + lists
}

// ownResults counts the results of one list block that name users the test made
// (display names beginning with prefix-), ignoring the others a shared appliance holds.
type ownResults struct {
	address, prefix string
	want            int
}

func (c ownResults) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	n := 0
	for _, found := range req.Query {
		if strings.TrimPrefix(found.Address, "list.") == c.address && strings.HasPrefix(found.DisplayName, c.prefix+"-") {
			n++
		}
	}
	if n != c.want {
		resp.Error = fmt.Errorf("%s found %d of the test's users, want %d", c.address, n, c.want)
	}
}

// TestAccMPSUserList: terraform query finds users with the data source's filters,
// names each "<name> (<id>)" and identifies it by id; with include_resource each
// result is the state an import stores; limit caps both the results and the pages
// asked for; a filter the NITRO syntax cannot carry fails at validation, before any
// request.
func TestAccMPSUserList(t *testing.T) {
	env := newTestEnv(t, admBackend)
	prefix := env.name("q")
	var third *nitro.User
	for i := 1; i <= 30; i++ {
		user := env.createUser(t, fmt.Sprintf("%s-%02d", prefix, i), "Query-Secret-1")
		if i == 3 {
			third = user
		}
	}
	env.editUser(t, third.Name, func(u *nitro.UserSpec) { u.Groups = &[]string{"admin"} })
	if read, err := env.user(third.Name); err != nil || read == nil {
		t.Fatalf("reading %s: %v", third.Name, err)
	} else {
		third = read
	}
	recordPageSizes, lastPageSize := pageSizes()
	factories := env.factories(recordPageSizes)
	byThird := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(third.ID), "appliance": knownvalue.Null()})
	found := []querycheck.QueryResultCheck{
		ownResults{"accessplane_mpsuser.readonly", prefix, 29},
		querycheck.ExpectLength("accessplane_mpsuser.admins", 1),
		querycheck.ExpectIdentity("accessplane_mpsuser.admins", map[string]knownvalue.Check{"id": knownvalue.StringExact(third.ID), "appliance": knownvalue.Null()}),
		querycheck.ExpectResourceDisplayName("accessplane_mpsuser.admins", byThird, knownvalue.StringExact(third.Name+" ("+third.ID+")")),
		querycheck.ExpectResourceKnownValues("accessplane_mpsuser.admins", byThird, []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(third.ID)},
			{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact(third.Name)},
			{Path: tfjsonpath.New("groups"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("admin")})},
			{Path: tfjsonpath.New("tenant_id"), KnownValue: knownvalue.StringExact(third.TenantID)},
			{Path: tfjsonpath.New("permission"), KnownValue: knownvalue.StringExact(third.Permission)},
			{Path: tfjsonpath.New("end_sessions_on_destroy"), KnownValue: knownvalue.Bool(false)},
			{Path: tfjsonpath.New("password"), KnownValue: knownvalue.Null()},
			{Path: tfjsonpath.New("password_wo_version"), KnownValue: knownvalue.Null()},
		}),
	}
	if !liveTarget {
		// The test's own mock holds its 30 users and nsroot, which is not readonly.
		found = append(found, querycheck.ExpectLength("accessplane_mpsuser.readonly", 29))
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsQuery},
		Steps: []tfresource.TestStep{
			{
				PreConfig: env.resetCounts,
				Query:     true,
				Config: env.queryConfig(`
list "accessplane_mpsuser" "readonly" {
  provider = accessplane
  config {
    group = "readonly"
  }
}

list "accessplane_mpsuser" "admins" {
  provider         = accessplane
  include_resource = true
  config {
    name                    = "` + third.Name + `"
    group                   = "admin"
    external_authentication = false
  }
}
`),
				QueryResultChecks: found,
			},
			{
				// 30 users match; limit 5 reads one page of 5 and asks for no second.
				PreConfig: env.resetCounts,
				Query:     true,
				Config: env.queryConfig(`
list "accessplane_mpsuser" "five" {
  provider = accessplane
  limit    = 5
}
`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("accessplane_mpsuser.five", 5),
					applianceQueryCheck{env.checkCount(mock.RouteUserList, 1), func(*terraform.State) error {
						if last := lastPageSize(); last != "5" {
							return fmt.Errorf("pages of %s users asked for, want 5", last)
						}
						return nil
					}},
				},
			},
			{
				PreConfig: env.resetCounts,
				Query:     true,
				Config: env.queryConfig(`
list "accessplane_mpsuser" "bad" {
  provider = accessplane
  config {
    name = "alice,bob"
  }
}
`),
				ExpectError: regexp.MustCompile(`(?s)Invalid filter value.*must not contain ','`),
			},
		},
	})
	// Query steps keep nothing in state, so the framework would skip a CheckDestroy:
	// that the bad filter reached no appliance is checked once the test case has run.
	check(t, env.checkCount(mock.RouteUserList, 0))
}

// TestAccMPSUserList_failureNamesTheAppliance: in a fleet, a failed query says which
// appliance failed.
func TestAccMPSUserList_failureNamesTheAppliance(t *testing.T) {
	mockOnly(t, "needs an injected fault (HTTP 400 on every user list)")
	env := newTestEnvWith(t, mock.Options{})
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{needsQuery},
		Steps: []tfresource.TestStep{{
			PreConfig: func() {
				env.mock.InjectFault(mock.Fault{Route: mock.RouteUserList, Count: mock.Persistent, Status: http.StatusBadRequest})
			},
			Query: true,
			Config: env.queryConfig(`
list "accessplane_mpsuser" "failing" {
  provider = accessplane
}
`),
			ExpectError: regexp.MustCompile(wrapped("Could not list ADM users on " + env.hostPort())),
		}},
	})
}

// pageSizes records the pagesize of every user list request the provider sends
// (env.factories(record)); last returns the last one recorded.
func pageSizes() (record func(http.RoundTripper) http.RoundTripper, last func() string) {
	var mu sync.Mutex
	var sizes []string
	record = func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet && r.URL.Path == "/nitro/v2/config/mpsuser" && r.URL.Query().Has("pagesize") {
				mu.Lock()
				sizes = append(sizes, r.URL.Query().Get("pagesize"))
				mu.Unlock()
			}
			return next.RoundTrip(r)
		})
	}
	return record, func() string {
		mu.Lock()
		defer mu.Unlock()
		if len(sizes) == 0 {
			return "none"
		}
		return sizes[len(sizes)-1]
	}
}

// TestListStopsWhenTerraformStopsReading: once push returns false (Terraform has what
// it wants, or went away), no further page is asked for.
func TestListStopsWhenTerraformStopsReading(t *testing.T) {
	ctx := context.Background()
	var schema resource.SchemaResponse
	var identity resource.IdentitySchemaResponse
	(&mpsuserResource{}).Schema(ctx, resource.SchemaRequest{}, &schema)
	(&mpsuserResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identity)
	req := list.ListRequest{ResourceSchema: schema.Schema, ResourceIdentitySchema: identity.IdentitySchema}
	pagesAsked, pushed := 0, 0
	pages := func(_ int, yield func([]nitro.User) bool) error {
		for pagesAsked < 10 {
			pagesAsked++
			if !yield(make([]nitro.User, 2)) {
				return nil
			}
		}
		return nil
	}
	streamResults(ctx, req, func(list.ListResult) bool { pushed++; return pushed < 3 }, "listing", pages,
		func(context.Context, *nitro.User, *list.ListResult) {})
	if pagesAsked != 2 || pushed != 3 {
		t.Fatalf("%d pages asked for and %d results pushed, want 2 and 3", pagesAsked, pushed)
	}
}
