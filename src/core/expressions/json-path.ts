const plainKey = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a` for keys that read as names, `$['my-key']` for the rest, so every path can be read back. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (plainKey.test(key)) return `${parent}.${key}`;
  return `${parent}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
