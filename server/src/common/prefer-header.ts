/**
 * Whether a request's `Prefer` header (RFC 7240) asks for `return=minimal`: the preferences are
 * comma-separated, each `token[=value]` with optional `;`-parameters; names are case-insensitive,
 * a value may be quoted. The header may come several times (Fastify joins them with commas).
 */
export function prefersMinimalReturn(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  return text.split(',').some((preference) => {
    const [name, value] = (preference.split(';')[0] ?? '').split('=').map((part) => part.trim());
    return name?.toLowerCase() === 'return' && value?.replace(/^"(.*)"$/, '$1').toLowerCase() === 'minimal';
  });
}
