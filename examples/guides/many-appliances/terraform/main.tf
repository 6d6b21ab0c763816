# Sign one person out of every appliance of a fleet with Terraform, which has no
# for_each on provider blocks: appliances.tf holds one provider block per appliance
# and passes it to the signout module. The endpoints come from var.endpoints; the
# credentials from the ACCESSPLANE_* environment variables (ACCESSPLANE_NIMBLE_USERNAME,
# …), which every provider block reads.
terraform {
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
