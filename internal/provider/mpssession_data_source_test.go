package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// checkIdleSeconds asserts an idle_seconds in the state against the session's
// last_activity_time as NITRO reports it: exactly now − last_activity_time on the
// mock, whose clock the provider shares (the test clock); live, on the wall clock,
// a value from 0 to the seconds elapsed since then (and a minute's grace for an
// appliance's clock).
func (e *testEnv) checkIdleSeconds(address, key string, lastActivity int64) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(address, key, func(value string) error {
		return e.idleSecondsWithin(value, lastActivity)
	})
}

func (e *testEnv) idleSecondsWithin(value string, lastActivity int64) error {
	idle, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return fmt.Errorf("idle_seconds %q: %v", value, err)
	}
	if e.mock != nil {
		if want := testNow.Unix() - lastActivity; idle != want {
			return fmt.Errorf("idle_seconds %d, want %d", idle, want)
		}
		return nil
	}
	if most := max(0, time.Now().Unix()-lastActivity) + 60; idle < 0 || idle > most {
		return fmt.Errorf("idle_seconds %d, want 0 to %d", idle, most)
	}
	return nil
}

// TestAccMPSSessionDataSource reads one live session of several by id, and names the
// id of one that has ended. Its fields are what NITRO reports for that session;
// exact idle arithmetic on a session idle for a while is TestAccMPSSessions_idleSeconds.
func TestAccMPSSessionDataSource(t *testing.T) {
	env := newTestEnv(t, admBackend)
	dave, erin, frank := env.name("dave"), env.name("erin"), env.name("frank")
	for _, name := range []string{dave, erin, frank} {
		env.createUser(t, name, personPassword)
	}
	env.signIn(t, dave, personPassword)
	id := env.signIn(t, erin, personPassword)
	ended := env.signIn(t, frank, personPassword)
	env.endSession(t, ended)
	reported := env.session(t, id)
	const one = "data.accessplane_mpssession.one"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.providerConfig("") + `data "accessplane_mpssession" "one" { id = "` + id + `" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(one, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("username"), knownvalue.StringExact(erin)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("client_type"), knownvalue.StringExact(reported.ClientType)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("ip_address"), knownvalue.StringExact(reported.IPAddress)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("tenant_name"), knownvalue.StringExact(reported.TenantName)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("is_self"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(one, tfjsonpath.New("last_activity_time"), knownvalue.Int64Exact(int64(reported.LastActivityTime))),
				},
				Check: env.checkIdleSeconds(one, "idle_seconds", int64(reported.LastActivityTime)),
			},
			{
				Config:      env.providerConfig("") + `data "accessplane_mpssession" "ended" { id = "` + ended + `" }`,
				ExpectError: regexp.MustCompile(`(?s)No such ADM session.*` + ended),
			},
		},
	})
}
