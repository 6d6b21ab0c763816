# A cluster has one user-session policy; its import id is always "cluster".
terraform import accessplane_cluster_user_sessions.policy cluster
