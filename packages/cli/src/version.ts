import { readFileSync } from 'node:fs'

/** The version in packages/cli/package.json; the same relative path works from src/ and dist/. */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown
  }
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0'
}
