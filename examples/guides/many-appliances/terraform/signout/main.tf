# One appliance's part of a fleet sign-out. The root module passes in the provider
# configured for the appliance and says which plane it is.
terraform {
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

resource "accessplane_user_signout" "this" {
  adm_username    = var.plane == "adm" ? var.person.adm_username : null
  cluster_user_id = var.plane == "cluster" ? var.person.cluster_user_id : null
  nimble_username = var.plane == "nimble" ? var.person.nimble_username : null
  triggers        = { ticket = var.person.ticket }
}

output "ended" {
  description = "Sessions and tokens ended on this appliance."
  value       = accessplane_user_signout.this.adm_sessions_ended + accessplane_user_signout.this.cluster_sessions_ended + accessplane_user_signout.this.nimble_tokens_revoked
}
