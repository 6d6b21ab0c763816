# Incident response: a laptop was stolen. End every live session of its owner on ADM,
# the Dynatrace cluster and the storage arrays in one apply. The provider's own
# session and token are never ended.
resource "accessplane_user_signout" "stolen_laptop" {
  adm_username    = "jdoe"
  cluster_user_id = "jdoe@example.com"
  nimble_username = "jdoe"

  # Change the ticket to sign the person out again, for example after a password
  # reset that they signed in with before it took effect.
  triggers = {
    ticket = "SEC-2291"
  }
}

output "ended" {
  value = "${accessplane_user_signout.stolen_laptop.adm_sessions_ended} ADM sessions, ${accessplane_user_signout.stolen_laptop.cluster_sessions_ended} cluster sessions and ${accessplane_user_signout.stolen_laptop.nimble_tokens_revoked} array sessions ended at ${accessplane_user_signout.stolen_laptop.signed_out_at}"
}
