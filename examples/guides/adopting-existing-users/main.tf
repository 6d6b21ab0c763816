# Bring every user an ADM appliance already has under management in one apply:
# import blocks with for_each (Terraform 1.7 or later, and OpenTofu) over the
# accessplane_mpsusers data source. The apply imports; it creates, changes and deletes
# nothing. On Terraform 1.14 and later, terraform query does the same in one command
# (see query/).
# Endpoints and credentials come from the ACCESSPLANE_ADM_* environment variables.
terraform {
  required_version = ">= 1.7"
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

provider "accessplane" {}

data "accessplane_mpsusers" "existing" {}

locals {
  # Every user but the built-in ones (nsroot), by name.
  existing = { for user in data.accessplane_mpsusers.existing.users : user.name => user if !user.is_default }
}

import {
  for_each = local.existing
  to       = accessplane_mpsuser.user[each.key]
  id       = each.value.id
}

resource "accessplane_mpsuser" "user" {
  for_each = local.existing

  name = each.key

  # Arguments with a default must repeat what the appliance holds, or the first plan
  # changes them: groups, for one, defaults to no groups at all.
  groups                  = each.value.groups
  external_authentication = each.value.external_authentication
  enable_session_timeout  = each.value.enable_session_timeout

  # No password: ADM never returns one, and an imported user without one keeps the
  # password it has. A password is needed only to create a user.
}

output "adopted" {
  value = length(accessplane_mpsuser.user)
}
