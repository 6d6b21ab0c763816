# One provider block and one module call per appliance, as for the signout resource;
# generate this file from your inventory. For 2 ADM instances, 2 clusters and 20
# arrays it holds 24 such pairs; here are the first of each kind.

provider "accessplane" {
  alias = "adm_1"
  adm   = { endpoint = var.endpoints["adm-1"] }
}

module "adm_1" {
  source    = "./signout"
  providers = { accessplane = accessplane.adm_1 }
  plane     = "adm"
  person    = var.person
}

provider "accessplane" {
  alias   = "cluster_1"
  cluster = { endpoint = var.endpoints["cluster-1"] }
}

module "cluster_1" {
  source    = "./signout"
  providers = { accessplane = accessplane.cluster_1 }
  plane     = "cluster"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_01"
  nimble = { endpoint = var.endpoints["nimble-01"] }
}

module "nimble_01" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_01 }
  plane     = "nimble"
  person    = var.person
}
