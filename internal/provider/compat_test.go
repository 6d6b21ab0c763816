package provider

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// make test runs the acceptance tests once per leg of its compatibility matrix: the
// terraform on PATH, the oldest supported Terraform and OpenTofu. Tests of features
// that an older Terraform lacks skip there with these checks, which say which feature.
var (
	needsWriteOnly = skipBelow(tfversion.Version1_11_0, "write-only arguments (password_wo) need Terraform 1.11")
	needsEphemeral = skipBelow(tfversion.Version1_10_0, "ephemeral resources (accessplane_adm_login) need Terraform 1.10")
)

// skipBelow is tfversion.SkipBelow with the reason in the skip message.
func skipBelow(minimum *version.Version, reason string) tfversion.TerraformVersionCheck {
	return reasonedSkip{check: tfversion.SkipBelow(minimum), reason: reason}
}

type reasonedSkip struct {
	check  tfversion.TerraformVersionCheck
	reason string
}

func (s reasonedSkip) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	s.check.CheckTerraformVersion(ctx, req, resp)
	if resp.Skip != "" {
		resp.Skip = s.reason + ": " + resp.Skip
	}
}

// terraformBinary is the binary of the current matrix leg, for tests that run it
// themselves: the one terraform-plugin-testing runs (TF_ACC_TERRAFORM_PATH), else the
// terraform on PATH.
func terraformBinary(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		return path
	}
	path, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("terraform not on PATH and TF_ACC_TERRAFORM_PATH not set")
	}
	return path
}

// devOverrides is a CLI configuration that runs the provider built into plugins. A
// source address without a host means registry.terraform.io to Terraform and
// registry.opentofu.org to OpenTofu, so the override names both.
func devOverrides(plugins string) string {
	var lines strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		lines.WriteString("    \"" + host + "/accessplane/accessplane\" = \"" + plugins + "\"\n")
	}
	return "provider_installation {\n  dev_overrides {\n" + lines.String() + "  }\n  direct {}\n}\n"
}
