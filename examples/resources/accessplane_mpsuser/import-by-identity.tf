# Terraform 1.12 and later: import by resource identity, the user's NITRO id and, for a
# user on an entry of the provider's appliances, its appliance. A rename never changes
# it. terraform query writes blocks like this one (see the list resource).
import {
  to = accessplane_mpsuser.operator
  identity = {
    id        = "5d2a8e41-0a6b-4c1e-9a57-2f4e3c1d9b10"
    appliance = "adm-2" # leave out for the default appliance
  }
}
