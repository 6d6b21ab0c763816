# Offboarding in one apply. Everyone who may sign in is listed in var.people; when
# someone leaves, set `left` to the ticket that records it. The next apply deletes
# their ADM account (ending its live sessions first) and signs them out of the
# Dynatrace cluster and the storage arrays, and from then on every plan warns if
# they are signed in anywhere again. Endpoints and credentials come from the
# ACCESSPLANE_* environment variables.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

provider "accessplane" {}

variable "people" {
  description = "Everyone who may sign in, by ADM user name, with the names the other planes know them by."
  type = map(object({
    groups          = list(string)
    cluster_user_id = string
    nimble_username = string
    left            = optional(string) # the offboarding ticket, once they have left
  }))
  default = {
    ana  = { groups = ["admin"], cluster_user_id = "ana@example.com", nimble_username = "ana" }
    dana = { groups = ["readonly"], cluster_user_id = "dana@example.com", nimble_username = "dana", left = "HR-4711" }
  }
}

locals {
  current = { for name, person in var.people : name => person if person.left == null }
  leavers = { for name, person in var.people : name => person if person.left != null }
}

# Staff sign in through the directory, so ADM holds no password for them.
resource "accessplane_mpsuser" "staff" {
  for_each = local.current

  name                    = each.key
  external_authentication = true
  groups                  = each.value.groups

  # ADM does not end the sessions of a user it deletes: end them first.
  end_sessions_on_destroy = true
}

# The other planes have no account for Terraform to delete; end the sessions.
resource "accessplane_user_signout" "leaver" {
  for_each = local.leavers

  cluster_user_id = each.value.cluster_user_id
  nimble_username = each.value.nimble_username
  triggers        = { ticket = each.value.left }
}

output "signed_out" {
  value = {
    for name, s in accessplane_user_signout.leaver :
    name => "${s.cluster_sessions_ended} cluster sessions and ${s.nimble_tokens_revoked} array sessions ended at ${s.signed_out_at}"
  }
}

# They stay out: one check per leaver (module stays-out), which reads on every plan
# where they are signed in, on every plane and appliance, and warns, without failing
# the plan, when they are signed in again: a token minted before the sign-out, an
# external-auth account the directory missed. Terraform 1.5+, OpenTofu 1.6+.
module "stays_out" {
  source   = "./stays-out"
  for_each = local.leavers

  adm_username    = each.key
  cluster_user_id = each.value.cluster_user_id
  nimble_username = each.value.nimble_username

  # Read after the sign-out, not before it.
  depends_on = [accessplane_user_signout.leaver]
}
