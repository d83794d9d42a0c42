// Build step after tsc: copies each app's static files (apps/<app>/public, e.g. the demo page)
// to dist/apps/<app>/public, where the compiled code looks for them (same relative path as in
// the sources), so the built apps serve them without the source tree.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
for (const app of readdirSync(join(root, 'apps'))) {
  const source = join(root, 'apps', app, 'public');
  if (!existsSync(source)) continue;
  const target = join(root, 'dist', 'apps', app, 'public');
  cpSync(source, target, { recursive: true });
  console.log(`copied apps/${app}/public -> dist/apps/${app}/public`);
}
