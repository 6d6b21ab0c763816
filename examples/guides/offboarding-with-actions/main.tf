# Offboarding with an action (Terraform 1.16 and later). As in the offboarding recipe,
# everyone who may sign in is listed in var.people and a leaver gets the ticket that
# records it in `left`. Here the sign-out is an action of each user instead of a
# resource of its own: it runs right after the user is changed (a new group takes
# effect at once, not at the next sign-in) and before the user is deleted, on every
# plane, and keeps nothing in the state. Endpoints and credentials come from the
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

resource "accessplane_mpsuser" "staff" {
  for_each = { for name, person in var.people : name => person if person.left == null }

  name                    = each.key
  external_authentication = true
  groups                  = each.value.groups

  lifecycle {
    action_trigger {
      events  = [after_update, before_destroy]
      actions = [action.accessplane_user_signout.staff]
    }
  }
}

# caller is the user that triggered the action; a leaver stays in var.people, so their
# other names are still known when their user is destroyed.
action "accessplane_user_signout" "staff" {
  config {
    adm_username    = caller.name
    cluster_user_id = var.people[caller.name].cluster_user_id
    nimble_username = var.people[caller.name].nimble_username
  }
}
