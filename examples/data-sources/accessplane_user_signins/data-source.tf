# Where is dana signed in right now? One read of every appliance of the provider
# configuration and every plane: ADM sessions, Dynatrace sessions and Nimble session
# tokens, newest first. An appliance that cannot be read fails the read (it is never
# counted as "signed in nowhere").
data "accessplane_user_signins" "dana" {
  adm_username    = "dana"
  cluster_user_id = "dana@example.com"
  nimble_username = "dana"
}

output "dana_signed_in" {
  value = [for s in data.accessplane_user_signins.dana.signins : "${s.appliance} ${s.plane}: ${s.client} from ${s.from_ip} since ${s.started}"]
}

# During an incident, the rest of the answer now: appliances that cannot be read are
# a warning and listed in unreachable (total is then null).
data "accessplane_user_signins" "dana_now" {
  adm_username      = "dana"
  nimble_username   = "dana"
  appliances        = ["default", "nimble-07"]
  allow_unreachable = true
}

output "not_read" {
  value = [for u in data.accessplane_user_signins.dana_now.unreachable : "${u.appliance} ${u.plane}: ${u.error}"]
}

# After offboarding: warn on every plan if erin signs in anywhere again.
check "erin_stays_out" {
  data "accessplane_user_signins" "erin" {
    adm_username    = "erin"
    cluster_user_id = "erin@example.com"
    nimble_username = "erin"
  }

  assert {
    condition     = data.accessplane_user_signins.erin.total == 0
    error_message = "erin is signed in again: ${join(", ", [for s in data.accessplane_user_signins.erin.signins : "${s.appliance} ${s.plane} from ${s.from_ip}"])}"
  }
}
