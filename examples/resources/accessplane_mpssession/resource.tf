# End every ADM session of a departed user. Apply adopts the user's live sessions;
# removing them from the configuration (or `terraform destroy`) terminates them.
variable "departed_user" {
  type    = string
  default = "bob"
}

data "accessplane_mpssessions" "departed" {
  username = var.departed_user
}

resource "accessplane_mpssession" "departed" {
  for_each = { for session in data.accessplane_mpssessions.departed.sessions : session.id => session }

  id = each.key
}

# Sessions idle for more than an hour, other than the provider's own, can be ended
# the same way.
data "accessplane_mpssessions" "others" {
  is_self = false
}

locals {
  idle_sessions = { for session in data.accessplane_mpssessions.others.sessions : session.id => session if session.idle_seconds > 3600 }
}
