# A cluster has one user-session policy; its import id is always "cluster".
terraform import accessplane_cluster_user_sessions.policy cluster

# The policy of a cluster in the provider's appliances: cluster@<appliance>.
terraform import 'accessplane_cluster_user_sessions.policy["dt-2"]' cluster@dt-2
