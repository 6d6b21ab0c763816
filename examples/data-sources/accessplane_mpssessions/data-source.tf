# Everyone signed in through a browser, and how long each has been idle.
data "accessplane_mpssessions" "browser" {
  client_type = "browser"
}

output "idle_browser_sessions" {
  value = { for session in data.accessplane_mpssessions.browser.sessions : session.id => "${session.username}: ${session.idle_seconds}s idle" }
}
