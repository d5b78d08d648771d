import { readFile } from 'node:fs/promises';

/** The files the page loads, shipped in the package's `assets/`; nothing comes from the internet. */
const ASSET_TYPES: Record<string, string> = {
  'page.css': 'text/css; charset=utf-8',
  'page.js': 'text/javascript; charset=utf-8',
};

/** An asset's bytes and type. */
export interface Asset {
  type: string;
  body: Buffer;
}

/** Reads every asset once at start-up: a request names one of a fixed list, never a path on disk. */
export async function loadAssets(): Promise<Map<string, Asset> | { error: string }> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSET_TYPES)) {
    const url = new URL(`../../assets/${name}`, import.meta.url);
    try {
      assets.set(name, { type, body: await readFile(url) });
    } catch (error) {
      return { error: `${url.pathname}: status page asset missing: ${(error as Error).message}` };
    }
  }
  return assets;
}
