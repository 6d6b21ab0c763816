# Incident response: see where a person is signed in, then end every session they have
# on ADM, the Dynatrace cluster and the storage arrays with one command (Terraform 1.14
# and later):
#
#   terraform apply -var-file=person.tfvars          # signed_in: where they are now
#   terraform apply -var-file=person.tfvars -invoke=action.accessplane_user_signout.person
#   terraform apply -var-file=person.tfvars          # signed_in = []
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

# A plane the person has no name on is not listed at all: an unfiltered list would
# show everyone.
data "accessplane_mpssessions" "person" {
  count    = var.person.adm_username == null ? 0 : 1
  username = var.person.adm_username
}

data "accessplane_cluster_sessions" "person" {
  count   = var.person.cluster_user_id == null ? 0 : 1
  user_id = var.person.cluster_user_id
}

data "accessplane_tokens" "person" {
  count    = var.person.nimble_username == null ? 0 : 1
  username = var.person.nimble_username
}

output "signed_in" {
  description = "Every live session of the person, one line each; no session credential is ever read."
  value = concat(
    [for s in flatten(data.accessplane_mpssessions.person[*].sessions) : "ADM: ${s.client_type} session from ${s.ip_address}, idle ${s.idle_seconds}s"],
    [for s in flatten(data.accessplane_cluster_sessions.person[*].sessions) : "Dynatrace: ${s.login_type} session from ${s.ip}, idle ${s.idle_seconds}s"],
    [for t in flatten(data.accessplane_tokens.person[*].tokens) : "Nimble: ${t.app_name} session from ${t.source_ip}, since ${t.creation_time}"],
  )
}

# Runs only when invoked (-invoke) and then on every plane the person has a name on.
action "accessplane_user_signout" "person" {
  config {
    adm_username    = var.person.adm_username
    cluster_user_id = var.person.cluster_user_id
    nimble_username = var.person.nimble_username
  }
}
