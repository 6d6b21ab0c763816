# A user with a write-only password (Terraform 1.11 and later): the password is sent
# to ADM but never stored in the plan or the state. Bump password_wo_version to send
# a new password.
resource "accessplane_mpsuser" "operator" {
  name                = "ops-alice"
  password_wo         = var.alice_password
  password_wo_version = 1
  groups              = ["admin"]

  enable_session_timeout = true
  session_timeout        = 30
  session_timeout_unit   = "Minutes"
}

# A user who signs in through LDAP/RADIUS/TACACS needs no password.
resource "accessplane_mpsuser" "auditor" {
  name                    = "audit-bob"
  external_authentication = true
  groups                  = ["readonly"]
}

variable "alice_password" {
  type      = string
  sensitive = true
}
