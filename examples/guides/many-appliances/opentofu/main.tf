# Sign one person out of every appliance of a fleet with OpenTofu 1.9 or later: one
# provider block with for_each makes a provider instance per appliance, and each
# sign-out uses the instance of its appliance. The endpoints come from
# var.appliances; the credentials from the ACCESSPLANE_* environment variables
# (ACCESSPLANE_NIMBLE_USERNAME, …), which every instance reads.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

variable "appliances" {
  description = "Every appliance by name: its plane (adm, cluster or nimble) and its endpoint."
  type = map(object({
    plane    = string
    endpoint = string
  }))
  validation {
    condition     = alltrue([for a in values(var.appliances) : contains(["adm", "cluster", "nimble"], a.plane)])
    error_message = "The plane of each appliance must be adm, cluster or nimble."
  }
  # OpenTofu needs the appliances when it validates, to know the provider instances.
  default = {
    "adm-1"     = { plane = "adm", endpoint = "https://adm-1.example.net" }
    "adm-2"     = { plane = "adm", endpoint = "https://adm-2.example.net" }
    "cluster-1" = { plane = "cluster", endpoint = "https://managed-1.example.net" }
    "cluster-2" = { plane = "cluster", endpoint = "https://managed-2.example.net" }
    "nimble-01" = { plane = "nimble", endpoint = "https://array-01.example.net:5392" }
    "nimble-02" = { plane = "nimble", endpoint = "https://array-02.example.net:5392" }
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
  default = {
    adm_username    = "dana"
    cluster_user_id = "dana@example.com"
    nimble_username = "dana"
    ticket          = "HR-4711"
  }
}

provider "accessplane" {
  alias    = "appliance"
  for_each = var.appliances

  adm     = each.value.plane == "adm" ? { endpoint = each.value.endpoint } : null
  cluster = each.value.plane == "cluster" ? { endpoint = each.value.endpoint } : null
  nimble  = each.value.plane == "nimble" ? { endpoint = each.value.endpoint } : null
}

resource "accessplane_user_signout" "person" {
  for_each = var.appliances
  provider = accessplane.appliance[each.key]

  adm_username    = each.value.plane == "adm" ? var.person.adm_username : null
  cluster_user_id = each.value.plane == "cluster" ? var.person.cluster_user_id : null
  nimble_username = each.value.plane == "nimble" ? var.person.nimble_username : null
  triggers        = { ticket = var.person.ticket }
}

output "ended" {
  description = "Sessions and tokens ended, by appliance."
  value = {
    for name, s in accessplane_user_signout.person :
    name => s.adm_sessions_ended + s.cluster_sessions_ended + s.nimble_tokens_revoked
  }
}
