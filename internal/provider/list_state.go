package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file is the large-list fast path, the one place state is written without
// State.Set. For a list of 10,000 objects the framework's struct reflection and value
// conversions cost seconds and hundreds of MiB (profiled with
// BenchmarkMPSUsersRead10000 and BenchmarkTokensRead10000 in list_benchmark_test.go),
// so list data sources convert each object's model to terraform-plugin-go values
// directly and write the state from those.

// setComputedList writes a list data source's state: its configuration (the filters)
// with the computed list attribute set to count objects, the i-th converted from
// model(i); models are built one at a time, so only one is alive while the list is
// built.
func setComputedList[M any](state *tfsdk.State, config tfsdk.Config, attribute string, elementType tftypes.Object, count int, model func(i int) M, diags *diag.Diagnostics) {
	if diags.HasError() {
		return
	}
	configured := map[string]tftypes.Value{}
	if err := config.Raw.As(&configured); err != nil {
		diags.AddError("Could not read the data source configuration", err.Error())
		return
	}
	fields := tfsdkFields(reflect.TypeFor[M]())
	elements := make([]tftypes.Value, count)
	for i := range elements {
		m := model(i)
		element, err := objectValue(reflect.ValueOf(&m).Elem(), fields, elementType)
		if err != nil {
			diags.AddError("Could not convert "+attribute, err.Error())
			return
		}
		elements[i] = element
	}
	// As hands out the configuration's own map: copy it, so the configuration (which
	// the framework compares the state with afterwards) stays unchanged.
	values := make(map[string]tftypes.Value, len(configured))
	for name, value := range configured {
		values[name] = value
	}
	values[attribute] = tftypes.NewValue(tftypes.List{ElementType: elementType}, elements)
	state.Raw = tftypes.NewValue(config.Raw.Type(), values)
}

type tfsdkField struct {
	name  string
	index int
}

func tfsdkFields(model reflect.Type) []tfsdkField {
	fields := make([]tfsdkField, 0, model.NumField())
	for i := range model.NumField() {
		if name := model.Field(i).Tag.Get("tfsdk"); name != "" {
			fields = append(fields, tfsdkField{name: name, index: i})
		}
	}
	return fields
}

// objectValue converts one addressable model struct. Fields are taken by address,
// which saves boxing each value.
func objectValue(model reflect.Value, fields []tfsdkField, objectType tftypes.Object) (tftypes.Value, error) {
	values := make(map[string]tftypes.Value, len(fields))
	for _, field := range fields {
		value, ok := model.Field(field.index).Addr().Interface().(attr.Value)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("field %s is not a framework value", field.name)
		}
		converted, err := terraformValue(value)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", field.name, err)
		}
		values[field.name] = converted
	}
	return tftypes.NewValue(objectType, values), nil
}

// terraformValue converts known strings and bools, most of what a list holds, itself:
// the framework's conversion validates each by boxing it once more, a third of what a
// 10,000-object list allocates. Every other value converts itself.
func terraformValue(value attr.Value) (tftypes.Value, error) {
	switch v := value.(type) {
	case *basetypes.StringValue:
		if !v.IsNull() && !v.IsUnknown() {
			return tftypes.NewValue(tftypes.String, v.ValueString()), nil
		}
	case *basetypes.BoolValue:
		if !v.IsNull() && !v.IsUnknown() {
			return tftypes.NewValue(tftypes.Bool, v.ValueBool()), nil
		}
	}
	return value.ToTerraformValue(context.Background())
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
