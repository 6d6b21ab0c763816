# Terraform 1.14 and later: `terraform query` lists ADM users, and
# `terraform query -generate-config-out=users.tf` writes a resource and an import
# block for each, ready to adopt (see the guide "Adopting existing users").

# Every user of the appliance, with the state an import would store.
list "accessplane_mpsuser" "all" {
  provider         = accessplane
  include_resource = true
}

# Only the auditors who sign in with a local password, at most 50.
list "accessplane_mpsuser" "auditors" {
  provider = accessplane
  limit    = 50

  config {
    group                   = "auditors"
    external_authentication = false
  }
}
