package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
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

// TestAccMPSUserList: terraform query finds users with the data source's filters,
// names each "<name> (<id>)" and identifies it by id; with include_resource each
// result is the state an import stores; limit caps both the results and the pages
// asked for; a filter the NITRO syntax cannot carry fails at validation, before any
// request.
func TestAccMPSUserList(t *testing.T) {
	env := newTestEnv(t)
	lastPageSize := env.pageSizes(t)
	seeded := env.mock.SeedUsers("q", 30)
	env.mock.EditUser("q-0003", func(u *mock.User) { u.Groups = []string{"auditors"} })
	third := seeded[2]
	byThird := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(third.ID), "appliance": knownvalue.Null()})
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
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

list "accessplane_mpsuser" "auditors" {
  provider         = accessplane
  include_resource = true
  config {
    group                   = "auditors"
    external_authentication = false
  }
}
`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("accessplane_mpsuser.readonly", 29),
					querycheck.ExpectLength("accessplane_mpsuser.auditors", 1),
					querycheck.ExpectIdentity("accessplane_mpsuser.auditors", map[string]knownvalue.Check{"id": knownvalue.StringExact(third.ID), "appliance": knownvalue.Null()}),
					querycheck.ExpectResourceDisplayName("accessplane_mpsuser.auditors", byThird, knownvalue.StringExact("q-0003 ("+third.ID+")")),
					querycheck.ExpectResourceKnownValues("accessplane_mpsuser.auditors", byThird, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(third.ID)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("q-0003")},
						{Path: tfjsonpath.New("groups"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("auditors")})},
						{Path: tfjsonpath.New("tenant_id"), KnownValue: knownvalue.StringExact("owner-tenant")},
						{Path: tfjsonpath.New("permission"), KnownValue: knownvalue.StringExact("readonly")},
						{Path: tfjsonpath.New("end_sessions_on_destroy"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("password"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("password_wo_version"), KnownValue: knownvalue.Null()},
					}),
				},
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
				// In a fleet, a failed query says which appliance failed.
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

// pageSizes serves env's mock through a server that records the pagesize of every
// user list request, and returns the last one recorded.
func (e *testEnv) pageSizes(t *testing.T) func() string {
	var mu sync.Mutex
	sizes := []string{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/nitro/v2/config/mpsuser" && r.URL.Query().Has("pagesize") {
			mu.Lock()
			sizes = append(sizes, r.URL.Query().Get("pagesize"))
			mu.Unlock()
		}
		e.mock.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	e.server = server
	return func() string {
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
