data "accessplane_cluster_user_sessions" "current" {}

output "automatic_logout_after_seconds" {
  value = data.accessplane_cluster_user_sessions.current.logout_inactive_users_enabled ? data.accessplane_cluster_user_sessions.current.user_inactivity_timeout : null
}
