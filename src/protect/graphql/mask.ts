// Field suggestions ("Did you mean "passwordHash"?") rebuild a schema even with introspection off
// (tools like Clairvoyance), so they are cut from every error message Bulwark sends or forwards.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function maskSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** Rewrites `errors[].message` of a GraphQL response (or batch of them) in place; true if changed. */
export function maskResponse(body: unknown): boolean {
  let changed = false;
  const replies = Array.isArray(body) ? body : [body];
  for (const reply of replies) {
    const errors = (reply as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors)) continue;
    for (const err of errors) {
      if (err === null || typeof err !== 'object') continue;
      const e = err as { message?: unknown };
      if (typeof e.message !== 'string') continue;
      const masked = maskSuggestions(e.message);
      if (masked !== e.message) {
        e.message = masked;
        changed = true;
      }
    }
  }
  return changed;
}
