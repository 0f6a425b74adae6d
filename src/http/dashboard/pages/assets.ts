/** The stylesheet and the enhancement script, served from disk (no CDN: installs run offline). */
import { join } from 'node:path';
import { ASSETS_DIR } from '../render.js';
import type { RouteTable } from '../route-table.js';

const ASSETS: Record<string, string> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
};

export function registerAssets(t: RouteTable): void {
  for (const [file, type] of Object.entries(ASSETS)) {
    t.getRaw(`/assets/${file}`, 'public', (_req, res) => {
      res.setHeader('Content-Type', type);
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.sendFile(join(ASSETS_DIR, file));
    });
  }
}
