# Every user in the "admin" group, read from ADM 1000 users per request.
data "accessplane_mpsusers" "admins" {
  group = "admin"
}

output "admin_names" {
  value = [for user in data.accessplane_mpsusers.admins.users : user.name]
}
