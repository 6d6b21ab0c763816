package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

// protocolSession drives the provider through the plugin protocol as Terraform does,
// in-process, so that a test can send StopProvider at a moment of its choosing.
type protocolSession struct {
	t      *testing.T
	server tfprotov6.ProviderServer
	user   tftypes.Object // accessplane_mpsuser's state
}

func newProtocolSession(t *testing.T, env *testEnv) *protocolSession {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(testProvider())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is a %T", schemas.Provider.ValueType())
	}
	admType, ok := providerType.AttributeTypes["adm"].(tftypes.Object)
	if !ok {
		t.Fatalf("adm is a %T", providerType.AttributeTypes["adm"])
	}
	adm := objectOf(admType, map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, env.server.URL),
		"username": tftypes.NewValue(tftypes.String, "nsroot"),
		"password": tftypes.NewValue(tftypes.String, "nsroot"),
	})
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config:           dynamic(t, objectOf(providerType, map[string]tftypes.Value{"adm": adm})),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	userType, ok := schemas.ResourceSchemas[mpsuserTypeName].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("the %s schema is a %T", mpsuserTypeName, schemas.ResourceSchemas[mpsuserTypeName].ValueType())
	}
	return &protocolSession{t: t, server: server, user: userType}
}

// objectOf is an object of type typ holding values, and null in every other attribute.
func objectOf(typ tftypes.Object, values map[string]tftypes.Value) tftypes.Value {
	attributes := map[string]tftypes.Value{}
	for name, attributeType := range typ.AttributeTypes {
		if value, set := values[name]; set {
			attributes[name] = value
		} else {
			attributes[name] = tftypes.NewValue(attributeType, nil)
		}
	}
	return tftypes.NewValue(typ, attributes)
}

func dynamic(t *testing.T, value tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(value.Type(), value)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// apply plans and applies config (nil: destroy) over prior, as terraform apply does,
// and returns the apply's reply. stopWhile, when set, runs while the apply is under
// way and before it is answered.
func (p *protocolSession) apply(prior *tfprotov6.DynamicValue, config *tftypes.Value, stopWhile func()) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	ctx := context.Background()
	null := dynamic(p.t, tftypes.NewValue(p.user, nil))
	if prior == nil {
		prior = null
	}
	planned, configValue := null, null
	if config != nil {
		configValue = dynamic(p.t, *config)
		plan, err := p.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: mpsuserTypeName, PriorState: prior, ProposedNewState: configValue, Config: configValue,
		})
		if err != nil || len(plan.Diagnostics) > 0 {
			p.t.Fatalf("plan: %v %v", err, plan.Diagnostics)
		}
		planned = plan.PlannedState
	}
	done := make(chan *tfprotov6.ApplyResourceChangeResponse)
	go func() {
		resp, err := p.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: mpsuserTypeName, PriorState: prior, PlannedState: planned, Config: configValue,
		})
		if err != nil {
			p.t.Error(err)
		}
		done <- resp
	}()
	stopWhile()
	return <-done
}

// stopWhileHeld returns a stopWhile for apply: once the mock holds the request to
// route, it stops the provider, then releases the request.
func (p *protocolSession) stopWhileHeld(env *testEnv, route string) func() {
	held, release := env.mock.Hold(route)
	return func() {
		<-held
		if _, err := p.server.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
			p.t.Error(err)
		}
		release()
	}
}

// TestStopSettlesWritesUnderWay: when Terraform stops the provider while a create or
// a delete is on the wire (the mock holds it until the test releases it), the reply
// is awaited and returned: the created user is in the new state with a warning that
// the apply was interrupted, the deleted one is gone from it, and the appliance
// agrees with the state each time.
func TestStopSettlesWritesUnderWay(t *testing.T) {
	mockOnly(t, "needs a create and a delete held on the wire until the provider is stopped (held replies)")
	env := newTestEnv(t)
	p := newProtocolSession(t, env)
	config := objectOf(p.user, map[string]tftypes.Value{
		"name":     tftypes.NewValue(tftypes.String, "interrupted"),
		"password": tftypes.NewValue(tftypes.String, "Secret-123"),
	})

	created := p.apply(nil, &config, p.stopWhileHeld(env, mock.RouteUserAdd))
	checkInterrupted(t, "create", created.Diagnostics)
	state, err := created.NewState.Unmarshal(p.user)
	if err != nil {
		t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	var id string
	if err := state.As(&attributes); err != nil || attributes["id"].As(&id) != nil {
		t.Fatalf("state %v: %v", state, err)
	}
	if user, found := env.mock.UserByName("interrupted"); !found || user.ID != id || id == "" {
		t.Fatalf("the state holds user id %q, the appliance %+v (found %t)", id, user, found)
	}

	// A new provider process, as the next terraform command starts.
	p = newProtocolSession(t, env)
	deleted := p.apply(created.NewState, nil, p.stopWhileHeld(env, mock.RouteUserDelete))
	checkInterrupted(t, "delete", deleted.Diagnostics)
	if state, err := deleted.NewState.Unmarshal(p.user); err != nil || !state.IsNull() {
		t.Fatalf("state after the delete: %v, %v; want none", state, err)
	}
	if _, found := env.mock.UserByName("interrupted"); found {
		t.Fatal("the appliance still holds the user the state no longer has")
	}
}

// checkInterrupted asserts that an apply the stop interrupted succeeded with the
// warning that says so.
func checkInterrupted(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	warned := false
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
		warned = warned || strings.Contains(d.Summary, "interrupted")
	}
	if !warned {
		t.Errorf("%s: no warning that the apply was interrupted: %v", what, diags)
	}
}
