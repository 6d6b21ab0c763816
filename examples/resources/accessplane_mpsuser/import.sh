# Import by NITRO id:
terraform import accessplane_mpsuser.operator 5d2a8e41-0a6b-4c1e-9a57-2f4e3c1d9b10

# Or by user name:
terraform import accessplane_mpsuser.operator name:ops-alice

# On an appliance of the provider's appliances, add @<appliance> to either:
terraform import accessplane_mpsuser.operator name:ops-alice@adm-2
