# Incident response: see where a person is signed in, on every appliance and plane,
# end every session they have on ADM, the Dynatrace cluster and the storage arrays
# with one command, and read again to see that nothing is left (Terraform 1.14 and
# later):
#
#   terraform apply -var-file=person.tfvars          # signed_in: where they are now
#   terraform apply -var-file=person.tfvars -invoke=action.accessplane_user_signout.person
#   terraform apply -var-file=person.tfvars          # signed_in = [], total = 0
#
# Nothing here creates, changes or deletes anything, and the sign-out keeps nothing in
# the state. Endpoints and credentials come from the ACCESSPLANE_* environment variables.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

provider "accessplane" {}

variable "person" {
  description = "The person's names on each plane; leave out a plane they have no account on."
  type = object({
    adm_username    = optional(string)
    cluster_user_id = optional(string)
    nimble_username = optional(string)
  })
}

# Where is the person signed in? One read of every appliance and plane of the provider
# configuration, each filtered by the person's name there; no session credential is
# read. An appliance that cannot be read fails the read rather than pass for "nowhere".
data "accessplane_user_signins" "person" {
  adm_username    = var.person.adm_username
  cluster_user_id = var.person.cluster_user_id
  nimble_username = var.person.nimble_username
}

locals {
  planes = { adm = "ADM", cluster = "Dynatrace", nimble = "Nimble" }
}

output "signed_in" {
  description = "Every live session of the person, newest first, one line each."
  value = [
    for s in data.accessplane_user_signins.person.signins :
    "${local.planes[s.plane]}: ${s.client} session from ${s.from_ip} on ${s.appliance} (${s.host}), since ${s.started}, last active ${s.last_active}"
  ]
}

output "total" {
  description = "How many; 0 once the sign-out has ended them all."
  value       = data.accessplane_user_signins.person.total
}

# Runs only when invoked (-invoke) and then on every plane the person has a name on.
action "accessplane_user_signout" "person" {
  config {
    adm_username    = var.person.adm_username
    cluster_user_id = var.person.cluster_user_id
    nimble_username = var.person.nimble_username
  }
}
