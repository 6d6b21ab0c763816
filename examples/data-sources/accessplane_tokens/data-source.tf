# Who holds a session on the array, from which application and address.
data "accessplane_tokens" "admin" {
  username = "admin"
}

output "admin_sessions" {
  value = { for token in data.accessplane_tokens.admin.tokens : token.id => "${token.app_name} from ${token.source_ip}" }
}

# Sessions opened by anything other than the array's own GUI, for a policy check.
output "non_gui_sessions" {
  value = [for token in data.accessplane_tokens.admin.tokens : token.source_ip if token.app_name != "GUI"]
}
