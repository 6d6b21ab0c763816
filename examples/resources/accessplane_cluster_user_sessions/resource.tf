# Pin the cluster's session policy so a console click cannot quietly weaken it:
# at most 2 concurrent sessions per user, 5 per admin, sign out after 15 idle minutes.
resource "accessplane_cluster_user_sessions" "policy" {
  user_limit                    = 2
  admin_limit                   = 5
  logout_inactive_users_enabled = true
  user_inactivity_timeout       = 900
}
