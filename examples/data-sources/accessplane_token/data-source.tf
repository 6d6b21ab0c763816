data "accessplane_token" "one" {
  id = "1900000000000004d3000000000000000000000002"
}

output "token_owner" {
  value = "${data.accessplane_token.one.username} via ${data.accessplane_token.one.app_name}"
}
