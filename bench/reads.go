package main

import (
	"flag"
	"fmt"
	"strings"
)

// The fleet table's reads of where a person is signed in, beside the sign-outs.

// readType is the data source the reads apply.
const readType = "accessplane_user_signins"

// fleetRows picks the fleet table's rows: all, or the reads alone, for a quick look
// at them.
var fleetRows = flag.String("fleet-rows", "all", "the fleet table's rows: all, or reads (those of "+readType+" alone)")

// readConfiguration reads where dana is signed in on the fleet, in a new working
// directory: one provider configuration whose appliances are the fleet (credentials
// from the environment, as the guides say), the data source readType naming dana on
// the fleet's planes, and its total as an output.
func (b *bench) readConfiguration(fleet []*fleetAppliance) string {
	var config strings.Builder
	config.WriteString("terraform {\n  required_providers {\n    accessplane = { source = \"accessplane/accessplane\" }\n  }\n}\nprovider \"accessplane\" {\n  appliances = {\n")
	person := map[string]string{}
	for _, a := range fleet {
		fmt.Fprintf(&config, "    %q = { %s = { endpoint = %q } }\n", a.name, a.plane, a.server.URL)
		person[danaOn[a.plane].argument] = danaOn[a.plane].name
	}
	config.WriteString("  }\n}\ndata \"" + readType + "\" \"dana\" {\n")
	for _, plane := range []string{"adm", "cluster", "nimble"} {
		if name, ok := person[danaOn[plane].argument]; ok {
			fmt.Fprintf(&config, "  %s = %q\n", danaOn[plane].argument, name)
		}
	}
	config.WriteString("}\noutput \"total\" {\n  value = data." + readType + ".dana.total\n}\n")
	return b.workdir(config.String())
}

// danaSeeded is how many sessions (or tokens) dana has on the fleet before anything
// is signed out.
func danaSeeded(fleet []*fleetAppliance) int {
	n := 0
	for _, a := range fleet {
		n += danaOn[a.plane].sessions
	}
	return n
}
