# Everyone signed in to the Dynatrace cluster or one of its environments.
data "accessplane_cluster_sessions" "all" {}

# The sessions of one user.
data "accessplane_cluster_sessions" "jdoe" {
  user_id = "jdoe@example.com"
}

# Sessions idle for more than a day, by user: candidates for a shorter
# user_inactivity_timeout on accessplane_cluster_user_sessions.
output "idle_for_a_day" {
  value = { for s in data.accessplane_cluster_sessions.all.sessions : s.user_id => s.last_accessed... if s.idle_seconds > 86400 }
}

output "jdoe_signed_in_from" {
  value = distinct([for s in data.accessplane_cluster_sessions.jdoe.sessions : s.ip])
}
