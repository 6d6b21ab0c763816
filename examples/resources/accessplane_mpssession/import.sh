# Import a live session by its id, as accessplane_mpssessions reports it.
terraform import accessplane_mpssession.departed 6b5b8c1e2f0a4d7c9e1f3a5b7c9d1e2f

# On an appliance of the provider's appliances, add @<appliance>:
terraform import accessplane_mpssession.departed 6b5b8c1e2f0a4d7c9e1f3a5b7c9d1e2f@adm-2
