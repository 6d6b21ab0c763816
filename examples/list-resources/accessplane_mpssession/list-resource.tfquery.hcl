# Terraform 1.14 and later: who is signed in to ADM, and from where. Each result is
# named <username>@<ip_address> (<id>); -generate-config-out writes an
# accessplane_mpssession block per session, and destroying one ends that session.
list "accessplane_mpssession" "dana" {
  provider = accessplane

  config {
    username = "dana"
    is_self  = false
  }
}
