# One provider block and one module call per appliance. Terraform has no for_each on
# provider blocks, so generate this file from your inventory when the fleet changes.

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
  alias = "adm_2"
  adm   = { endpoint = var.endpoints["adm-2"] }
}

module "adm_2" {
  source    = "./signout"
  providers = { accessplane = accessplane.adm_2 }
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
  alias   = "cluster_2"
  cluster = { endpoint = var.endpoints["cluster-2"] }
}

module "cluster_2" {
  source    = "./signout"
  providers = { accessplane = accessplane.cluster_2 }
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

provider "accessplane" {
  alias  = "nimble_02"
  nimble = { endpoint = var.endpoints["nimble-02"] }
}

module "nimble_02" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_02 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_03"
  nimble = { endpoint = var.endpoints["nimble-03"] }
}

module "nimble_03" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_03 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_04"
  nimble = { endpoint = var.endpoints["nimble-04"] }
}

module "nimble_04" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_04 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_05"
  nimble = { endpoint = var.endpoints["nimble-05"] }
}

module "nimble_05" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_05 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_06"
  nimble = { endpoint = var.endpoints["nimble-06"] }
}

module "nimble_06" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_06 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_07"
  nimble = { endpoint = var.endpoints["nimble-07"] }
}

module "nimble_07" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_07 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_08"
  nimble = { endpoint = var.endpoints["nimble-08"] }
}

module "nimble_08" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_08 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_09"
  nimble = { endpoint = var.endpoints["nimble-09"] }
}

module "nimble_09" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_09 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_10"
  nimble = { endpoint = var.endpoints["nimble-10"] }
}

module "nimble_10" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_10 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_11"
  nimble = { endpoint = var.endpoints["nimble-11"] }
}

module "nimble_11" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_11 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_12"
  nimble = { endpoint = var.endpoints["nimble-12"] }
}

module "nimble_12" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_12 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_13"
  nimble = { endpoint = var.endpoints["nimble-13"] }
}

module "nimble_13" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_13 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_14"
  nimble = { endpoint = var.endpoints["nimble-14"] }
}

module "nimble_14" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_14 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_15"
  nimble = { endpoint = var.endpoints["nimble-15"] }
}

module "nimble_15" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_15 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_16"
  nimble = { endpoint = var.endpoints["nimble-16"] }
}

module "nimble_16" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_16 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_17"
  nimble = { endpoint = var.endpoints["nimble-17"] }
}

module "nimble_17" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_17 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_18"
  nimble = { endpoint = var.endpoints["nimble-18"] }
}

module "nimble_18" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_18 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_19"
  nimble = { endpoint = var.endpoints["nimble-19"] }
}

module "nimble_19" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_19 }
  plane     = "nimble"
  person    = var.person
}

provider "accessplane" {
  alias  = "nimble_20"
  nimble = { endpoint = var.endpoints["nimble-20"] }
}

module "nimble_20" {
  source    = "./signout"
  providers = { accessplane = accessplane.nimble_20 }
  plane     = "nimble"
  person    = var.person
}

output "ended" {
  description = "Sessions and tokens ended, by appliance."
  value = {
    "adm-1"     = module.adm_1.ended
    "adm-2"     = module.adm_2.ended
    "cluster-1" = module.cluster_1.ended
    "cluster-2" = module.cluster_2.ended
    "nimble-01" = module.nimble_01.ended
    "nimble-02" = module.nimble_02.ended
    "nimble-03" = module.nimble_03.ended
    "nimble-04" = module.nimble_04.ended
    "nimble-05" = module.nimble_05.ended
    "nimble-06" = module.nimble_06.ended
    "nimble-07" = module.nimble_07.ended
    "nimble-08" = module.nimble_08.ended
    "nimble-09" = module.nimble_09.ended
    "nimble-10" = module.nimble_10.ended
    "nimble-11" = module.nimble_11.ended
    "nimble-12" = module.nimble_12.ended
    "nimble-13" = module.nimble_13.ended
    "nimble-14" = module.nimble_14.ended
    "nimble-15" = module.nimble_15.ended
    "nimble-16" = module.nimble_16.ended
    "nimble-17" = module.nimble_17.ended
    "nimble-18" = module.nimble_18.ended
    "nimble-19" = module.nimble_19.ended
    "nimble-20" = module.nimble_20.ended
  }
}
