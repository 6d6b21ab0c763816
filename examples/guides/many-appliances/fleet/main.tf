# A whole fleet from one provider configuration (Terraform 1.5+, OpenTofu 1.6+): the
# inventory goes into the provider's appliances as it is, one sign-out ends a person's
# sessions on every appliance, and resources that exist once per appliance use
# for_each over the appliance names with the argument appliance.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

variable "inventory" {
  description = "Every appliance by name, with the settings of its plane. Credentials left out come from the ACCESSPLANE_* environment variables (ACCESSPLANE_NIMBLE_PASSWORD, …)."
  sensitive   = true
  type = map(object({
    adm     = optional(object({ endpoint = string, username = optional(string), password = optional(string) }))
    cluster = optional(object({ endpoint = string, api_token = optional(string) }))
    nimble  = optional(object({ endpoint = string, username = optional(string), password = optional(string) }))
  }))
}

variable "person" {
  description = "Who to sign out, by the name each plane knows them by, and the ticket that asks for it."
  type = object({
    adm_username    = string
    cluster_user_id = string
    nimble_username = string
    ticket          = string
  })
  default = {
    adm_username    = "dana"
    cluster_user_id = "dana@example.com"
    nimble_username = "dana"
    ticket          = "HR-4711"
  }
}

provider "accessplane" {
  appliances = var.inventory
}

locals {
  # The names are no secret, only the credentials beside them: for_each takes no
  # sensitive value.
  clusters = nonsensitive(toset([for name, appliance in var.inventory : name if appliance.cluster != null]))
}

# Signs the person out of every appliance, on each plane it has. A new ticket signs
# them out again.
resource "accessplane_user_signout" "person" {
  adm_username    = var.person.adm_username
  cluster_user_id = var.person.cluster_user_id
  nimble_username = var.person.nimble_username
  triggers        = { ticket = var.person.ticket }
}

# The same session policy on every Dynatrace cluster of the fleet.
resource "accessplane_cluster_user_sessions" "policy" {
  for_each  = local.clusters
  appliance = each.key

  user_limit                    = 5
  admin_limit                   = 2
  logout_inactive_users_enabled = true
  user_inactivity_timeout       = 900
}

output "ended" {
  description = "Sessions and tokens ended, by appliance."
  value = {
    for name, counts in accessplane_user_signout.person.by_appliance :
    name => counts.adm_sessions_ended + counts.cluster_sessions_ended + counts.nimble_tokens_revoked
  }
}
