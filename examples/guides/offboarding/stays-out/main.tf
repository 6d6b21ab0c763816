# One offboarded person stays out: a check that reads, on every plan and apply, where
# they are signed in across every appliance and plane of the provider configuration,
# and warns (without failing) when it is anywhere. A check block cannot repeat with
# for_each; a module instance per person can.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

variable "adm_username" {
  description = "The person's ADM user name; null if they have none."
  type        = string
  default     = null
}

variable "cluster_user_id" {
  description = "The person's Dynatrace user id; null if they have none."
  type        = string
  default     = null
}

variable "nimble_username" {
  description = "The person's Nimble user name; null if they have none."
  type        = string
  default     = null
}

check "stays_out" {
  data "accessplane_user_signins" "person" {
    adm_username    = var.adm_username
    cluster_user_id = var.cluster_user_id
    nimble_username = var.nimble_username
  }

  assert {
    condition     = data.accessplane_user_signins.person.total == 0
    error_message = "${coalesce(var.adm_username, var.cluster_user_id, var.nimble_username)} left, and is signed in again: ${join(", ", [for s in data.accessplane_user_signins.person.signins : "${s.plane} on ${s.appliance} from ${s.from_ip} since ${s.started}"])}."
  }
}
