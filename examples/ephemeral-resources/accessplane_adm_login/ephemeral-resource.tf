# A short-lived NITRO session for another provider or a pipeline step. Terraform signs
# in when it opens the resource and signs out when it closes it; the session id is
# never written to plan or state (Terraform 1.10 and later).
ephemeral "accessplane_adm_login" "pipeline" {
  username = "svc-pipeline"
  password = var.pipeline_password
}

variable "pipeline_password" {
  type      = string
  sensitive = true
}

# Pass it on only to ephemeral contexts, for example another provider's configuration:
# provider "restapi" {
#   headers = { Cookie = "NITRO_AUTH_TOKEN=${ephemeral.accessplane_adm_login.pipeline.session_id}" }
# }
