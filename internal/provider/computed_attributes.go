package provider

import (
	"fmt"
	"reflect"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// computedCopies derives data-source attributes from a resource's: one computed
// attribute of the same type and description for each tfsdk field of model, so an
// attribute is declared once, in the resource's schema.
func computedCopies(attributes map[string]rschema.Attribute, model any) map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for _, field := range tfsdkFields(reflect.TypeOf(model)) {
		name := field.name
		attribute, declared := attributes[name]
		if !declared {
			panic(fmt.Sprintf("model field %q has no attribute in the resource schema", name))
		}
		description := attribute.GetMarkdownDescription()
		switch typ := attribute.GetType().(type) {
		case basetypes.StringType:
			out[name] = dschema.StringAttribute{MarkdownDescription: description, Computed: true}
		case basetypes.BoolType:
			out[name] = dschema.BoolAttribute{MarkdownDescription: description, Computed: true}
		case basetypes.Int64Type:
			out[name] = dschema.Int64Attribute{MarkdownDescription: description, Computed: true}
		case basetypes.SetType:
			out[name] = dschema.SetAttribute{MarkdownDescription: description, Computed: true, ElementType: typ.ElemType}
		default:
			panic(fmt.Sprintf("attribute %q: no computed copy for type %s", name, typ))
		}
	}
	return out
}
