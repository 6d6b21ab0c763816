data "accessplane_mpsuser" "root" {
  name = "nsroot"
}

output "root_is_superuser" {
  value = data.accessplane_mpsuser.root.issuperuser
}
