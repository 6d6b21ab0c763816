# One appliance's part of a fleet sign-out with the accessplane_user_signout action
# (Terraform 1.14 and later), in place of the resource of ../../terraform/signout: it
# takes the same variables, so the root module and appliances.tf stay as they are.
# The ticket is kept in a terraform_data; creating it or changing the ticket runs the
# action, and the sign-out itself keeps nothing in the state.
terraform {
  required_version = ">= 1.14"
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

variable "plane" {
  description = "What the appliance is: adm, cluster or nimble."
  type        = string
  validation {
    condition     = contains(["adm", "cluster", "nimble"], var.plane)
    error_message = "The plane must be adm, cluster or nimble."
  }
}

variable "person" {
  description = "Who to sign out, by the name each plane knows them by, and the ticket that asks for it."
  type = object({
    adm_username    = string
    cluster_user_id = string
    nimble_username = string
    ticket          = string
  })
}

resource "terraform_data" "ticket" {
  input = var.person.ticket

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.accessplane_user_signout.this]
    }
  }
}

action "accessplane_user_signout" "this" {
  config {
    adm_username    = var.plane == "adm" ? var.person.adm_username : null
    cluster_user_id = var.plane == "cluster" ? var.person.cluster_user_id : null
    nimble_username = var.plane == "nimble" ? var.person.nimble_username : null
  }
}
