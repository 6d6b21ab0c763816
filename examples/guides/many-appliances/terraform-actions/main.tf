# Sign one person out of every appliance of a fleet with the accessplane_user_signout
# action (Terraform 1.14 and later): appliances.tf holds one provider block per
# appliance and passes it to the signout module, whose action runs when the ticket is
# new. The endpoints come from var.endpoints; the credentials from the ACCESSPLANE_*
# environment variables, which every provider block reads.
terraform {
  required_version = ">= 1.14"
  required_providers {
    accessplane = {
      source = "accessplane/accessplane"
    }
  }
}

variable "endpoints" {
  description = "The endpoint of each appliance, by the name appliances.tf gives it."
  type        = map(string)
}

variable "person" {
  description = "Who to sign out, by the name each plane knows them by, and the ticket that asks for it."
  type = object({
    adm_username    = string
    cluster_user_id = string
    nimble_username = string
    ticket          = string
  })
  default = {
    adm_username    = "dana"
    cluster_user_id = "dana@example.com"
    nimble_username = "dana"
    ticket          = "HR-4711"
  }
}
