package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setComputedList writes a list data source's state: its configuration (the filters)
// with the computed list attribute set to elements. It builds the state from
// terraform-plugin-go values directly: the framework's struct reflection and value
// conversions cost seconds and hundreds of MiB for 10,000 objects (profiled with
// BenchmarkMPSUsersRead10000 and BenchmarkTokensRead10000).
func setComputedList(state *tfsdk.State, config tfsdk.Config, attribute string, listType tftypes.List, elements []tftypes.Value, diags *diag.Diagnostics) {
	if diags.HasError() {
		return
	}
	configured := map[string]tftypes.Value{}
	if err := config.Raw.As(&configured); err != nil {
		diags.AddError("Could not read the data source configuration", err.Error())
		return
	}
	// As hands out the configuration's own map: copy it, so the configuration (which
	// the framework compares the state with afterwards) stays unchanged.
	values := make(map[string]tftypes.Value, len(configured))
	for name, value := range configured {
		values[name] = value
	}
	values[attribute] = tftypes.NewValue(listType, elements)
	state.Raw = tftypes.NewValue(config.Raw.Type(), values)
}

// objectTypeOf is the terraform-plugin-go type of an object with these attributes, so
// that a list's element type is derived from the schema that declares it.
func objectTypeOf(attributes map[string]schema.Attribute) tftypes.Object {
	types := make(map[string]tftypes.Type, len(attributes))
	for name, attribute := range attributes {
		types[name] = attribute.GetType().TerraformType(context.Background())
	}
	return tftypes.Object{AttributeTypes: types}
}
