/** `--name value` or `--name=value` from argv, else the environment variable, else the default. */
export function numberOption(name: string, env: string, fallback: number): number {
  const raw = stringOption(name) ?? process.env[env];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} (or ${env}) must be a positive number, not "${raw}"`);
  return n;
}

export function flag(name: string, env: string): boolean {
  return process.argv.slice(2).includes(`--${name}`) || process.env[env] === '1';
}

/** `--name value` or `--name=value` from argv (the last one given), else undefined. */
export function stringOption(name: string): string | undefined {
  const argv = process.argv.slice(2);
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) raw = argv[i + 1];
    else if (argv[i].startsWith(`--${name}=`)) raw = argv[i].slice(name.length + 3);
  }
  return raw;
}
