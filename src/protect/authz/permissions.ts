// Effective permissions (the seed's rule): what the roles grant, narrowed to the token's scopes when
// the credential carries a scope claim. "Scopes constrain; user permissions authorize."
import type { AuthConfig } from '../../core/config/sections/auth.js';
import type { AuthIdentity } from '../auth/types.js';

export function effectivePermissions(config: AuthConfig, id: AuthIdentity): ReadonlySet<string> {
  if (!config.roles) return new Set(id.scopes);
  const granted = new Set<string>();
  for (const role of id.roles) for (const p of config.roles[role] ?? []) granted.add(p);
  if (!id.scoped) return granted;
  const scopes = new Set(id.scopes);
  return new Set([...granted].filter((p) => scopes.has(p)));
}
