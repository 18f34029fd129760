package io.graphsync.app.security;

import java.util.Map;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /session}: who is logged in, with which roles; where the login page ({@code /login}) lands, so an
 * operator sees that the session the Web UI's codec requests carry is there.
 */
@RestController
class SessionController {

  @GetMapping("/session")
  Map<String, Object> session(Authentication authentication) {
    TreeSet<String> roles = new TreeSet<>();
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      String name = authority.getAuthority();
      if (name != null && name.startsWith("ROLE_")) {
        roles.add(name.substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return Map.of("user", authentication.getName(), "roles", roles);
  }
}
