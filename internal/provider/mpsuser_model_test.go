package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// TestRefreshGivesEndSessionsOnDestroyItsDefault: a prior state without a value for
// end_sessions_on_destroy (an import, or a state from before the argument existed)
// is refreshed to the default, false, so the next plan shows no change; a value the
// state holds is kept.
func TestRefreshGivesEndSessionsOnDestroyItsDefault(t *testing.T) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	(&mpsuserResource{}).Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	objectType := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	prior := func(flag any) tftypes.Value {
		values := map[string]tftypes.Value{}
		for name, attributeType := range objectType.AttributeTypes {
			values[name] = tftypes.NewValue(attributeType, nil)
		}
		values[endSessionsOnDestroy] = tftypes.NewValue(tftypes.Bool, flag)
		return tftypes.NewValue(objectType, values)
	}
	for _, tc := range []struct {
		prior any
		want  bool
	}{{nil, false}, {true, true}, {false, false}} {
		state := tfsdk.State{Schema: schemaResp.Schema}
		var diags diag.Diagnostics
		setUserState(&state, &nitro.User{ID: "u1", Name: "alice"}, prior(tc.prior), &diags)
		var got *bool
		diags.Append(state.GetAttribute(ctx, path.Root(endSessionsOnDestroy), &got)...)
		if diags.HasError() || got == nil || *got != tc.want {
			t.Errorf("prior %v: got %v, want %v (%v)", tc.prior, got, tc.want, diags)
		}
	}
}
