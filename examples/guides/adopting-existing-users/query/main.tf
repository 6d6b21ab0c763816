# Adopt every user an ADM appliance already has, in one command (Terraform 1.14 or
# later): users.tfquery.hcl lists them, and
#
#   terraform query -generate-config-out=users.tf
#
# writes a resource block and an import block for each into users.tf. The next plan
# imports them all and changes nothing. Endpoints and credentials come from the
# ACCESSPLANE_ADM_* environment variables.
terraform {
  required_version = ">= 1.14"
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

provider "accessplane" {}
