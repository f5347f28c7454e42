/**
 * Describes a database URL for people: engine and location, never the password. Pure string work so
 * the config, the health endpoint and the logs all say the same thing.
 */
export function describeDatabaseUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) return '(unparseable database URL)';
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  const port = parsed.port ? `:${parsed.port}` : '';
  return `${parsed.protocol}//${user}${parsed.hostname}${port}${parsed.pathname}`;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
