import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Rotations looked at for one file: a folder of years of daily rotations is not searched whole. */
export const MAX_ROTATIONS = 30;

/** What logrotate and friends append to a log's name: a number (app.log.1), a date (app.log-20261120), and .gz. */
const SUFFIX = /(?:\.(\d{1,4})|-(\d{8,14}))?(?:\.gz)?$/;

/**
 * The other generations of a log in its folder, newest first: the live file (when a rotation was
 * cited), then app.log.1, app.log.2.gz, … then dated ones, latest date first. Only names are
 * looked at here; the caller confines and opens each one as it would the cited file.
 */
export async function rotationsOf(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const stem = name.replace(SUFFIX, '');
  if (!stem) return [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ranked: { name: string; rank: number[] }[] = [];
  for (const other of names) {
    if (other === name || !other.startsWith(stem)) continue;
    const m = SUFFIX.exec(other.slice(stem.length));
    // The whole rest of the name must be a rotation suffix: app.log.bak or app.log-old are other files.
    if (!m || m.index !== 0) continue;
    const rank = m[1] !== undefined ? [1, Number(m[1])] : m[2] !== undefined ? [2, -Number(m[2])] : [0, 0];
    ranked.push({ name: other, rank });
  }
  ranked.sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]! || a.name.localeCompare(b.name));
  return ranked.slice(0, MAX_ROTATIONS).map((r) => path.join(dir, r.name));
}
