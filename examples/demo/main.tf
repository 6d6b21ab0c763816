# The demo applies against the bundled mock: `make demo` sets the ACCESSPLANE_*
# environment variables to the mock's address and credentials.
terraform {
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

provider "accessplane" {}

variable "new_operator_password" {
  description = "Sent to the appliance as a write-only value: it appears in no plan and no state."
  type        = string
  sensitive   = true
  default     = "Demo-Password-2026"
}

locals {
  operators = {
    "ops-alice" = ["admin"]
    "ops-bob"   = ["readonly"]
    "ops-carol" = ["readonly", "auditors"]
  }
}

resource "accessplane_mpsuser" "operator" {
  for_each = local.operators

  name                   = each.key
  password               = "Initial-${each.key}-1"
  groups                 = each.value
  enable_session_timeout = true
  session_timeout        = 30
  session_timeout_unit   = "Minutes"
}

resource "accessplane_mpsuser" "automation" {
  name                = "svc-pipeline"
  password_wo         = var.new_operator_password
  password_wo_version = 1
  groups              = ["readonly"]
}

data "accessplane_mpsusers" "readonly" {
  group      = "readonly"
  depends_on = [accessplane_mpsuser.operator, accessplane_mpsuser.automation]
}

output "user_ids" {
  value = { for name, user in accessplane_mpsuser.operator : name => user.id }
}

output "readonly_users" {
  value = [for user in data.accessplane_mpsusers.readonly.users : user.name]
}

resource "accessplane_cluster_user_sessions" "policy" {
  user_limit                    = 2
  admin_limit                   = 5
  logout_inactive_users_enabled = true
  user_inactivity_timeout       = 900
}

data "accessplane_tokens" "array_sessions" {
  # Read after the offboarding below, so the list shows who is still signed in.
  depends_on = [accessplane_user_signout.departed]
}

output "cluster_session_policy" {
  value = "users ${accessplane_cluster_user_sessions.policy.user_limit}, admins ${accessplane_cluster_user_sessions.policy.admin_limit}, logout after ${accessplane_cluster_user_sessions.policy.user_inactivity_timeout}s"
}

locals {
  # Each Terraform run signs in to the array once, under this app name; leave those
  # sessions out so the audit shows only people and other tools.
  foreign_sessions = [for t in data.accessplane_tokens.array_sessions.tokens : t if t.app_name != "terraform-provider-accessplane"]
}

output "array_sessions_by_user" {
  value = { for user in distinct([for t in local.foreign_sessions : t.username]) : user => length([for t in local.foreign_sessions : t if t.username == user]) }
}

# Offboarding: dana has left. End every session she still has on ADM, the Dynatrace
# cluster and the array, in this same apply. The provider's own session and token are
# never ended; change the ticket to sign her out again.
resource "accessplane_user_signout" "departed" {
  adm_username    = "dana"
  cluster_user_id = "dana@example.com"
  nimble_username = "dana"
  triggers        = { ticket = "HR-4711" }
}

output "offboarding" {
  value = "dana signed out at ${accessplane_user_signout.departed.signed_out_at}: ${accessplane_user_signout.departed.adm_sessions_ended} ADM sessions, ${accessplane_user_signout.departed.cluster_sessions_ended} Dynatrace sessions and ${accessplane_user_signout.departed.nimble_tokens_revoked} Nimble tokens ended"
}

# Who is still signed in to the Dynatrace cluster, read after the offboarding.
data "accessplane_cluster_sessions" "signed_in" {
  depends_on = [accessplane_user_signout.departed]
}

output "cluster_sessions_by_user" {
  value = { for user in distinct([for s in data.accessplane_cluster_sessions.signed_in.sessions : s.user_id]) : user => length([for s in data.accessplane_cluster_sessions.signed_in.sessions : s if s.user_id == user]) }
}
