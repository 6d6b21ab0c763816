# Configure only the backends you use. Every value can also come from the
# environment (ACCESSPLANE_ADM_ENDPOINT, ACCESSPLANE_ADM_PASSWORD, …), and a value
# set here wins over the environment.
provider "accessplane" {
  adm = {
    endpoint       = "https://adm.example.net"
    username       = "nsroot"
    password       = var.adm_password
    ca_certificate = file("${path.module}/adm-ca.pem")
  }

  cluster = {
    endpoint  = "https://managed.example.net"
    api_token = var.cluster_token
  }

  nimble = {
    endpoint = "https://array.example.net:5392"
    username = "admin"
    password = var.nimble_password
  }

  # More appliances, by name; resources choose one with appliance = "adm-2".
  # Credentials left out come from the environment (ACCESSPLANE_ADM_USERNAME, …).
  appliances = {
    "adm-2"     = { adm = { endpoint = "https://adm-2.example.net" } }
    "nimble-07" = { nimble = { endpoint = "https://array-07.example.net:5392", password = var.nimble_password } }
  }

  request_timeout = "30s"
  max_retries     = 4
}

variable "adm_password" {
  type      = string
  sensitive = true
}

variable "cluster_token" {
  type      = string
  sensitive = true
}

variable "nimble_password" {
  type      = string
  sensitive = true
}
