# Incident response: a laptop was stolen. End every live session of its owner on ADM,
# the Dynatrace cluster and the storage arrays, now, and keep nothing in the state:
#
#   terraform apply -invoke=action.accessplane_user_signout.stolen_laptop
#
# Each plane reports what it ended, as in `ADM: ended 2 sessions of "jdoe"`. The
# provider's own session and token are never ended.
action "accessplane_user_signout" "stolen_laptop" {
  config {
    adm_username    = "jdoe"
    cluster_user_id = "jdoe@example.com"
    nimble_username = "jdoe"
  }
}

# Or from another resource: a new password or group takes effect at once only when the
# sessions opened before it end, so end them right after each change of the user.
resource "accessplane_mpsuser" "jdoe" {
  name     = "jdoe"
  password = var.jdoe_password
  groups   = ["readonly"]

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.accessplane_user_signout.stolen_laptop]
    }
  }
}

variable "jdoe_password" {
  type      = string
  sensitive = true
}
