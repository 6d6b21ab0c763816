package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/accessplane/terraform-provider-accessplane/internal/provider"
)

// version is set by the release build (goreleaser's ldflags); "dev" otherwise.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	process := provider.NewProcess(version)
	err := providerserver.Serve(context.Background(), process.Provider, providerserver.ServeOpts{
		Address: "registry.terraform.io/accessplane/accessplane",
		Debug:   debug,
	})
	// Serve returns once Terraform has stopped the plugin: end the sessions the
	// provider opened. A failure here is only logged; the run has already succeeded.
	if signOutErr := process.SignOut(context.Background()); signOutErr != nil {
		log.Printf("[WARN] accessplane: signing out when the provider stopped: %v", signOutErr)
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}
