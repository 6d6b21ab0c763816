package provider

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/nimble"
	"github.com/accessplane/terraform-provider-accessplane/internal/nitro"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// readDataSource runs one Read of a data source with an all-null configuration.
func readDataSource(b *testing.B, ds datasource.DataSource) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	objectType := schemaResp.Schema.Type().TerraformType(ctx)
	attributes := map[string]tftypes.Value{}
	object, ok := objectType.(tftypes.Object)
	if !ok {
		b.Fatalf("schema type %T is not an object", objectType)
	}
	for name, typ := range object.AttributeTypes {
		attributes[name] = tftypes.NewValue(typ, nil)
	}
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, attributes)}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, nil)}}
	ds.Read(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		b.Fatal(resp.Diagnostics)
	}
}

func BenchmarkMPSUsersRead10000(b *testing.B) {
	m := mock.New(mock.Options{})
	m.SeedUsers("bench", 10000)
	server := httptest.NewServer(m)
	defer server.Close()
	client, err := nitro.New(nitro.Config{Transport: transport.Config{Endpoint: server.URL}, Username: "nsroot", Password: "nsroot"})
	if err != nil {
		b.Fatal(err)
	}
	ds := &mpsusersDataSource{providerDataHolder{data: onDefault(&applianceClients{adm: client})}}
	b.ReportAllocs()
	for b.Loop() {
		readDataSource(b, ds)
	}
}

func BenchmarkTokensRead10000(b *testing.B) {
	m := mock.New(mock.Options{})
	m.SeedTokens(mock.TokenSeed{Count: 10000})
	server := httptest.NewServer(m)
	defer server.Close()
	client, err := nimble.New(nimble.Config{Transport: transport.Config{Endpoint: server.URL}, Username: "admin", Password: "admin"})
	if err != nil {
		b.Fatal(err)
	}
	ds := &tokensDataSource{providerDataHolder{data: onDefault(&applianceClients{nimble: client})}}
	b.ReportAllocs()
	for b.Loop() {
		readDataSource(b, ds)
	}
}

// onDefault is provider data with clients as its one appliance, "default".
func onDefault(clients *applianceClients) *providerData {
	clients.source = defaultSource
	return &providerData{appliances: map[string]*applianceClients{defaultAppliance: clients}, now: time.Now}
}
