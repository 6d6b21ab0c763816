# Every user of the appliance, with what an import would store
# (include_resource), so the generated configuration repeats each user's groups,
# tenant and session settings and plans no change. terraform query stops at 100
# results unless limit says otherwise.
list "accessplane_mpsuser" "user" {
  provider         = accessplane
  include_resource = true
  limit            = 10000
}
