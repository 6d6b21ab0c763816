package provider

import (
	"context"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
)

// filterSet is the filter arguments of a list data source, which the list resource
// of the same objects (terraform query) takes too: declared once here, read once.
type filterSet struct {
	// note ends the description of each string filter.
	note      string
	maxLength int
	filters   []filterArgument
}

// filterArgument is one filter: an argument and the NITRO property it matches.
type filterArgument struct {
	attribute, property, description string
	boolean                          bool
}

var userFilters = filterSet{
	note:      " Exact match, applied by the appliance (`filter=`).",
	maxLength: 128,
	filters: []filterArgument{
		{attribute: "name", property: "name", description: "Only the user with this name."},
		{attribute: "tenant_name", property: "tenant_name", description: "Only users of this tenant."},
		{attribute: "group", property: "groups", description: "Only users in this group."},
		{attribute: "external_authentication", property: "external_authentication", boolean: true,
			description: "Only users that do (`true`) or do not (`false`) authenticate externally."},
	},
}

var sessionFilters = filterSet{
	note:      " Exact match.",
	maxLength: 255,
	filters: []filterArgument{
		{attribute: "username", property: "username", description: "Only sessions of this user."},
		{attribute: "client_type", property: "client_type", description: "Only sessions of this client type (`API`, `browser`, …)."},
		{attribute: "ip_address", property: "ip_address", description: "Only sessions from this address."},
		{attribute: "tenant_name", property: "tenant_name", description: "Only sessions of this tenant."},
		{attribute: "is_self", property: "is_self", boolean: true,
			description: "Only the provider's own session (`true`) or only the others (`false`)."},
	},
}

func (s filterSet) stringValidators() []validator.String {
	return []validator.String{charactersBetween(1, s.maxLength), filterValueValidator()}
}

// dataSourceAttributes are the filters as a data source declares them.
func (s filterSet) dataSourceAttributes() map[string]dschema.Attribute {
	return filterAttributes(s,
		func(description string) dschema.Attribute {
			return dschema.BoolAttribute{MarkdownDescription: description, Optional: true}
		},
		func(description string, validators []validator.String) dschema.Attribute {
			return dschema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: validators}
		})
}

// listAttributes are the filters as a list resource declares them.
func (s filterSet) listAttributes() map[string]listschema.Attribute {
	return filterAttributes(s,
		func(description string) listschema.Attribute {
			return listschema.BoolAttribute{MarkdownDescription: description, Optional: true}
		},
		func(description string, validators []validator.String) listschema.Attribute {
			return listschema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: validators}
		})
}

// filterAttributes declares each filter once for either schema package, whose
// attribute types differ only in name.
func filterAttributes[A any](s filterSet, boolean func(description string) A, text func(description string, validators []validator.String) A) map[string]A {
	attributes := make(map[string]A, len(s.filters))
	for _, f := range s.filters {
		if f.boolean {
			attributes[f.attribute] = boolean(f.description)
			continue
		}
		attributes[f.attribute] = text(f.description+s.note, s.stringValidators())
	}
	return attributes
}

// read turns the configured filters into a NITRO filter.
func (s filterSet) read(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) nitro.Filter {
	filter := nitro.Filter{}
	if config.Raw.IsNull() {
		return filter
	}
	for _, f := range s.filters {
		var value types.String
		if f.boolean {
			var flag types.Bool
			diags.Append(config.GetAttribute(ctx, path.Root(f.attribute), &flag)...)
			value = types.StringNull()
			if !flag.IsNull() && !flag.IsUnknown() {
				value = types.StringValue(flag.String())
			}
		} else {
			diags.Append(config.GetAttribute(ctx, path.Root(f.attribute), &value)...)
		}
		if !value.IsNull() && !value.IsUnknown() {
			filter[f.property] = value.ValueString()
		}
	}
	return filter
}
