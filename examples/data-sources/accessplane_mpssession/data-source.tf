data "accessplane_mpssession" "one" {
  id = "6b5b8c1e2f0a4d7c9e1f3a5b7c9d1e2f"
}

output "session_origin" {
  value = "${data.accessplane_mpssession.one.username} from ${data.accessplane_mpssession.one.ip_address}, idle ${data.accessplane_mpssession.one.idle_seconds}s"
}
