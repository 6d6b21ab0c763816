# Terraform 1.12 and later: import by resource identity, the session id.
import {
  to = accessplane_mpssession.departed["6b5b8c1e2f0a4d7c9e1f3a5b7c9d1e2f"]
  identity = {
    id = "6b5b8c1e2f0a4d7c9e1f3a5b7c9d1e2f"
  }
}
